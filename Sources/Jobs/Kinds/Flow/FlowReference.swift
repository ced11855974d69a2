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
            let table = try Table.open("summary", in: root)
            guard let values = Self.values(in: try table.rows()[point], columns: table.columns) else {
                throw JobError(file: path, key: "sampling.reference", "lacks one of \(Self.observables) with its error in its summary")
            }
            let l0 = extents[0]
            let g = try root.openGroup("analysis").openDataset("correlator").read(Double.self, at: [point, 0, 0], count: [1, l0, 2])
            return (values, g)
        }
    }

    static func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(abs(a), abs(b)) }

    /// Each of `observables` with its error, from a φ⁴ `/summary` row; nil if one is missing.
    static func values(in row: [Cell], columns: [Column]) -> [String: (value: Double, error: Double)]? {
        var values: [String: (value: Double, error: Double)] = [:]
        for name in observables {
            guard let i = columns.firstIndex(where: { $0.name == name }), let e = columns.firstIndex(where: { $0.name == name + "_error" }),
                  case let .real(v) = row[i], case let .real(err) = row[e] else { return nil }
            values[name] = (v, err)
        }
        return values
    }

    /// One compared quantity: the flow's value and the reference's, and their difference in
    /// combined standard deviations.
    struct Line {
        let name: String
        let flow: (value: Double, error: Double)
        let reference: (value: Double, error: Double)
        var sigma: Double { (flow.value - reference.value) / (flow.error * flow.error + reference.error * reference.error).squareRoot() }
        var cells: [Cell] { [.text(name), .real(flow.value), .real(flow.error), .real(reference.value), .real(reference.error), .real(sigma)] }
        var text: String {
            [name.padding(toLength: 18, withPad: " ", startingAt: 0), parenthesized(flow.value, error: flow.error).padding(toLength: 16, withPad: " ", startingAt: 0),
             parenthesized(reference.value, error: reference.error).padding(toLength: 16, withPad: " ", startingAt: 0),
             String(format: "%+.1fσ", sigma)].joined(separator: " ")
        }
    }

    /// One line per observable and per t of G(t), given the flow's `/summary` row and G(t).
    func comparison(flowSummary: [Cell], flowCorrelator: [Double]) -> [Line] {
        let flow = Self.values(in: flowSummary, columns: Phi4Summary.columns)!
        return Self.observables.map { Line(name: $0, flow: flow[$0]!, reference: values[$0]!) }
            + (0..<(correlator.count / 2)).map { t in
                Line(name: "G(\(t))", flow: (flowCorrelator[2 * t], flowCorrelator[2 * t + 1]), reference: (correlator[2 * t], correlator[2 * t + 1]))
            }
    }

    /// The columns of `/flow_sampling/comparison`.
    static let columns = [Column("observable", .text(maximumBytes: 32)), Column("flow", .real), Column("flow_error", .real),
                          Column("reference", .real), Column("reference_error", .real), Column("difference_sigma", .real)]
}
