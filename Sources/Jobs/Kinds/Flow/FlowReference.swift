import Foundation
import Phi4
import Store

/// An HMC (or any φ⁴) run at the point a flow samples, read to put its results beside the flow's:
/// the `/summary` row and G(t) of the point whose lattice and couplings are the flow's.
struct FlowReference {
    /// The observables compared, as `/summary` names them; G(t) is compared at every t too.
    static let observables = ["phi2", "abs_magnetization", "susceptibility", "binder", "magnetization"]

    let path: String
    /// Per observable, (value, error).
    let values: [String: (value: Double, error: Double)]
    /// G(t) as (mean, error) pairs, t = 0 … L₀ − 1.
    let correlator: [Double]

    /// Reads the point of the completed φ⁴ run at `path` with these extents and couplings; the
    /// errors say what is wrong (not a φ⁴ run, another lattice, no such point).
    init(_ path: String, extents: [Int], couplings: Phi4Couplings) throws(JobError) {
        self.path = path
        (values, correlator) = try ResultSeal.read(path, as: "reference φ⁴ run") { root in
            guard root.hasAttribute("kind"), case .text("phi4") = try root.attribute("kind"), root.contains("summary") else {
                throw JobError(file: path, key: "sampling.reference", "is not a φ⁴ run file")
            }
            guard case .boolean(true) = try root.attribute("completed") else {
                throw JobError(file: path, key: "sampling.reference", "is not a completed φ⁴ run")
            }
            let parameters = try root.openGroup("parameters")
            guard case let .integers(stored) = try parameters.attribute("extents"), stored.map(Int.init) == extents else {
                throw JobError(file: path, key: "sampling.reference", "is a run on another lattice than the flow's \(extents)")
            }
            let kappas = try parameters.openDataset("kappa").readAll(Double.self)
            let lambdas = try parameters.openDataset("lambda").readAll(Double.self)
            guard let point = kappas.indices.first(where: { Self.same(kappas[$0], couplings.kappa) && Self.same(lambdas[$0], couplings.lambda) }) else {
                throw JobError(file: path, key: "sampling.reference",
                               "has no point at the flow's κ = \(couplings.kappa), λ = \(couplings.lambda) (its κ: \(kappas), λ: \(lambdas))")
            }
            let table = try Table.open("summary", in: root), row = try table.rows()[point]
            var values: [String: (Double, Double)] = [:]
            for name in Self.observables {
                guard let i = table.columns.firstIndex(where: { $0.name == name }), let e = table.columns.firstIndex(where: { $0.name == name + "_error" }),
                      case let .real(v) = row[i], case let .real(err) = row[e] else {
                    throw JobError(file: path, key: "sampling.reference", "has no \(name) in its summary")
                }
                values[name] = (v, err)
            }
            let l0 = extents[0]
            let g = try root.openGroup("analysis").openDataset("correlator").read(Double.self, at: [point, 0, 0], count: [1, l0, 2])
            return (values, g)
        }
    }

    static func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(abs(a), abs(b)) }

    /// One line per observable and per t of G(t): the flow's value, the reference's, and their
    /// difference in combined standard deviations; the largest |difference| last.
    func comparison(flowSummary: [String: (value: Double, error: Double)], flowCorrelator: [Double]) -> (rows: [[Cell]], worst: Double) {
        var rows: [[Cell]] = [], worst = 0.0
        func add(_ name: String, _ flow: (value: Double, error: Double), _ reference: (value: Double, error: Double)) {
            let sigma = (flow.value - reference.value) / (flow.error * flow.error + reference.error * reference.error).squareRoot()
            if sigma.isFinite { worst = max(worst, abs(sigma)) }
            rows.append([.text(name), .real(flow.value), .real(flow.error), .real(reference.value), .real(reference.error), .real(sigma)])
        }
        for name in Self.observables { add(name, flowSummary[name] ?? (.nan, .nan), values[name]!) }
        for t in 0..<(correlator.count / 2) {
            add("G(\(t))", (flowCorrelator[2 * t], flowCorrelator[2 * t + 1]), (correlator[2 * t], correlator[2 * t + 1]))
        }
        return (rows, worst)
    }

    /// The columns of `/flow_sampling/comparison`.
    static let columns = [Column("observable", .text(maximumBytes: 32)), Column("flow", .real), Column("flow_error", .real),
                          Column("reference", .real), Column("reference_error", .real), Column("difference_sigma", .real)]
}
