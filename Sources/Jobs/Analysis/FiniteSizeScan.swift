import Foundation
import Numerics
import Store

/// One lattice size's scan, read for finite-size analysis: the parameter grid (temperature or κ),
/// the couplings held fixed, and per point the measured series an observable is built from.
struct FiniteSizeScan {
    /// The run file.
    let path: String
    /// `ising` or `phi4`.
    let kind: String
    /// The lattice extents.
    let extents: [Int]
    /// What the scan varies: `temperature` (Ising) or `kappa` (φ⁴).
    let parameter: String
    /// The parameter at each point, in the file's order.
    let points: [Double]
    /// The couplings every point shares (J and h, or λ), which must agree between sizes.
    let fixed: [String: [Double]]
    /// Per point, the blocked series of the quantities the observable needs.
    let blocks: [BlockMeans]

    /// The lattice volume, which orders the sizes.
    var volume: Int { extents.reduce(1, *) }
    /// The size as a physicist writes it: `32` for 32 × 32, `16×8` otherwise.
    var sizeLabel: String { Set(extents).count == 1 ? "\(extents[0])" : extents.map(String.init).joined(separator: "×") }

    /// The parameter each kind scans.
    static let parameters = ["ising": "temperature", "phi4": "kappa"]

    /// Reads the series `components` (e.g. `magnetization2`, `magnetization4`) of every point of
    /// the completed Ising or φ⁴ run at `path`, each chain cut into `blockCount` blocks.
    init(_ path: String, components: [String], blockCount: Int) throws(JobError) {
        self.path = path
        var kind = "", extents: [Int] = [], parameter = "", points: [Double] = [], fixed: [String: [Double]] = [:]
        var blocks: [BlockMeans] = []
        try ResultSeal.read(path, as: "scan") { root in
            guard case let .text(k) = try root.attribute("kind"), let p = Self.parameters[k] else {
                throw JobError(file: path, "is not an Ising or φ⁴ run; a crossing needs scans of one of those kinds")
            }
            guard case .boolean(true) = try root.attribute("completed") else {
                throw JobError(file: path, "is not a completed run (an interrupted run's .partial file is not a result)")
            }
            let parameters = try root.openGroup("parameters")
            guard case let .integers(e) = try parameters.attribute("extents") else {
                throw JobError(file: path, "has no /parameters extents attribute")
            }
            (kind, parameter, extents) = (k, p, e.map(Int.init))
            points = try parameters.openDataset(p).readAll(Double.self)
            for name in k == "ising" ? ["coupling", "field"] : ["lambda"] {
                if parameters.contains(name) {
                    fixed[name] = try parameters.openDataset(name).readAll(Double.self)
                } else if parameters.hasAttribute(name), case let .real(v) = try parameters.attribute(name) {
                    fixed[name] = [v]
                }
            }
            let observables = try root.openGroup("observables")
            let series = try components.map { name throws -> (Dataset, [Int]) in
                guard observables.contains(name) else { throw JobError(file: path, "has no /observables/\(name) series") }
                let d = try observables.openDataset(name)
                return (d, try d.shape())
            }
            guard let shape = series.first?.1, shape.count == 3, shape[0] == points.count, shape[2] >= 2 else {
                throw JobError(file: path, "its /observables are not [point, chain, measurement] series of \(points.count) points")
            }
            for point in points.indices {
                let chains = try (0..<shape[1]).map { chain throws -> BlockMeans in
                    let values = try series.map { try $0.0.read(Double.self, at: [point, chain, 0], count: [1, 1, shape[2]]) }
                    return BlockMeans(components: values, count: blockCount)
                }
                blocks.append(BlockMeans(pooling: chains))
            }
        }
        (self.kind, self.extents, self.parameter, self.points, self.fixed, self.blocks) = (kind, extents, parameter, points, fixed, blocks)
    }
}
