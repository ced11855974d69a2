import Store

/// The RBM's data: every configuration of one point of a completed free-field φ⁴ run, with its κ.
struct RBMData {
    let extents: [Int]
    let kappa: Double
    /// How many configurations the point has.
    let count: Int
    /// The point's configurations, one after another (hopping-form φ); empty unless read.
    let configurations: [Double]

    var sites: Int { extents.reduce(1, *) }

    /// Reads and checks `job`'s data file, and its configurations when `readingConfigurations`
    /// (checks and plans need only the shape); the errors say what is wrong with it.
    init(job: RBMJob, readingConfigurations: Bool = true) throws(JobError) {
        let path = job.data.file, point = job.data.point ?? 0
        (extents, kappa, count, configurations) = try ResultSeal.read(path, as: "RBM training data") { root in
            guard root.hasAttribute("kind"), case .text("phi4") = try root.attribute("kind"), root.contains("configurations") else {
                throw JobError(file: path, "is not a φ⁴ run with saved configurations (save_every > 0)")
            }
            guard case .boolean(true) = try root.attribute("completed") else { throw JobError(file: path, "is not a completed φ⁴ run") }
            let parameters = try root.openGroup("parameters")
            let kappas = try parameters.openDataset("kappa").readAll(Double.self)
            let lambdas = try parameters.openDataset("lambda").readAll(Double.self)
            guard point < kappas.count else {
                throw JobError(file: path, key: "data.point", "\(point) is past the file's \(kappas.count) point(s)")
            }
            guard lambdas[point] == 0 else {
                throw JobError(file: path, key: "data.point", "has λ = \(lambdas[point]); the Gaussian RBM is trained on the free field (λ = 0)")
            }
            let dataset = try root.openDataset("configurations"), shape = try dataset.shape()
            guard shape.count >= 4, shape[1] >= 2 else { throw JobError(file: path, key: "configurations", "holds fewer than 2 configurations per point") }
            let extents = Array(shape[2...])
            let values = readingConfigurations
                ? try dataset.read(Double.self, at: [point, 0] + extents.map { _ in 0 }, count: [1, shape[1]] + extents) : []
            return (extents, kappas[point], shape[1], values)
        }
    }
}
