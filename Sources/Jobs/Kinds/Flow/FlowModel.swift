import Foundation
import Generative
import Learning
import Phi4
import Store

/// The trained flow in its run file, `/flow`: the parameters (coupling after coupling, each
/// network layer by layer, as `CouplingFlow.parameters` lays them out) with everything needed to
/// rebuild it: lattice, couplings, each network's layers as text, precision and target.
enum FlowModel {
    /// Writes `/flow` with `flow`'s parameters and architecture. Collective.
    static func write<Scalar: NetworkScalar & StorableScalar>(_ flow: CouplingFlow<Scalar>, job: FlowJob, in root: Group) throws {
        let group = try root.createGroup("flow")
        let parameters = try group.createDataset("parameters", of: Scalar.self, shape: [flow.parameterCount])
        try parameters.setAttribute("axes", "parameter (coupling after coupling, each network layer by layer: weights then biases)")
        try parameters.writeFromRoot(flow.parameters)
        try group.nameAxes(of: parameters, ["parameter"], root: group)
        try group.setAttribute("extents", flow.extents.map(Int64.init))
        try group.setAttribute("couplings", Int64(flow.architecture.couplings))
        try group.setAttribute("network", flow.architecture.network.map(\.description).joined(separator: "; "))
        try group.setAttribute("masks", "checkerboard; coupling k freezes the sites with (x0 + x1) % 2 == k % 2")
        try group.setAttribute("coupling_map", "x' = x exp(s) + t on the sites not frozen; (s, t) = network(frozen sites), channels 0 and 1")
        try group.setAttribute("prior", "independent standard normal on every site")
        try group.setAttribute("precision", Scalar.precisionName)
        try group.setAttribute("kappa", job.couplings!.kappa)
        try group.setAttribute("lambda", job.couplings!.lambda)
        try writeExamples(flow, seed: job.seed, in: group, root: root)
    }

    /// Worked examples kept in the file.
    static let exampleCount = 8

    /// Writes `/flow/examples`: `exampleCount` prior draws z (from the job's seed, purpose
    /// `flowExample`), their fields φ = f(z) and log q(φ), as the sampler computes them. They are
    /// the known answers a port of the flow (the ONNX export, PyTorch) is checked against. Collective.
    static func writeExamples<Scalar: NetworkScalar & StorableScalar>(_ flow: CouplingFlow<Scalar>, seed: UInt64,
                                                                     in group: Group, root: Group) throws {
        let n = exampleCount, shape = [n] + flow.extents
        var fields = [Scalar](repeating: 0, count: n * flow.sites), logDensity: [Double] = []
        fields.withUnsafeMutableBufferPointer { f in
            flow.drawPrior(f, count: n, first: 0, seed: seed, purpose: .flowExample, step: 0)
        }
        let prior = fields
        fields.withUnsafeMutableBufferPointer { logDensity = flow.forward($0, batch: n) }
        let examples = try group.createGroup("examples")
        try examples.setAttribute("purpose", "known answers for a port of the flow: fields = f(prior), log_density = log q(fields)")
        let latticeAxes = flow.extents.indices.map { "x\($0)" }
        let items: [(String, Meaning, [Scalar])] = [
            ("prior", Meaning(units: "1", longName: "prior draw z", definition: "independent standard normal on every site"), prior),
            ("fields", Meaning(units: "1", longName: "field phi = f(z)", definition: "hopping-form phi, the flow's image of the prior draw"), fields),
        ]
        for (name, meaning, values) in items {
            let dataset = try examples.createDataset(name, of: Scalar.self, shape: shape)
            try dataset.writeFromRoot(values)
            try meaning.write(to: dataset)
            try examples.nameAxes(of: dataset, ["example"] + latticeAxes, root: root)
        }
        let density = try examples.createDataset("log_density", of: Double.self, shape: [n])
        try density.writeFromRoot(logDensity)
        try Meaning(units: "1", longName: "log q(phi)", definition: "log r(z) - log|det df/dz|, r the standard normal density").write(to: density)
        try examples.nameAxes(of: density, ["example"], root: root)
    }

    /// A trained flow as read back from a completed flow run: its architecture, target and parameters.
    struct Stored {
        let extents: [Int]
        let architecture: FlowArchitecture
        let precision: Precision
        let couplings: Phi4Couplings
        let parameters: [Double]

        /// The flow with these weights, in `Scalar`.
        func flow<Scalar: NetworkScalar>(_: Scalar.Type, path: String) throws(JobError) -> CouplingFlow<Scalar> {
            let flow: CouplingFlow<Scalar>
            do { flow = try CouplingFlow<Scalar>(extents: extents, architecture: architecture) }
            catch { throw JobError(file: path, key: "flow", "its architecture does not build: \(error.description)") }
            guard flow.parameterCount == parameters.count else {
                throw JobError(file: path, key: "flow/parameters", "holds \(parameters.count) parameters; the architecture needs \(flow.parameterCount)")
            }
            flow.parameters = parameters.map { Scalar($0) }
            return flow
        }
    }

    /// Reads the trained flow of the completed flow run at `path`; the errors say what is wrong.
    static func read(_ path: String) throws(JobError) -> Stored {
        try ResultSeal.read(path, as: "a trained flow") { root in
            guard root.hasAttribute("kind"), case .text("flow") = try root.attribute("kind"), root.contains("flow") else {
                throw JobError(file: path, "is not a trained flow (the run file of a completed flow job)")
            }
            guard case .boolean(true) = try root.attribute("completed") else { throw JobError(file: path, "is not a completed flow run") }
            let group = try root.openGroup("flow")
            guard case let .integers(extents) = try group.attribute("extents"), case let .integer(couplings) = try group.attribute("couplings"),
                  case let .text(network) = try group.attribute("network"), case let .text(word) = try group.attribute("precision"),
                  let precision = Precision(rawValue: word), case let .real(kappa) = try group.attribute("kappa"),
                  case let .real(lambda) = try group.attribute("lambda") else {
                throw JobError(file: path, key: "flow", "lacks the attributes that describe the flow (extents, couplings, network, precision, kappa, lambda)")
            }
            let layers = try network.split(separator: ";").map { try LayerSpecification(parsing: $0.trimmingCharacters(in: .whitespaces)) }
            let parameters = try group.openDataset("parameters").readAll(Double.self)
            guard parameters.allSatisfy(\.isFinite) else { throw JobError(file: path, key: "flow/parameters", "holds numbers that are not finite") }
            return Stored(extents: extents.map(Int.init), architecture: FlowArchitecture(couplings: Int(couplings), network: layers),
                          precision: precision, couplings: Phi4Couplings(kappa: kappa, lambda: lambda), parameters: parameters)
        }
    }

    /// The summary row: the point, the steps, and the last loss and ESS with the mean ESS of the last tenth.
    static let columns = [
        Column("kappa", .real), Column("lambda", .real), Column("steps", .integer), Column("loss", .real),
        Column("effective_sample_size", .real), Column("ess_last_tenth", .real),
    ]
}

extension FlowModel {
    /// `/parameters` of a flow run or a flow sampler: the one point in both forms, and the lattice.
    static func runParameters(_ c: Phi4Couplings, extents: [Int], formGiven: String) -> RunParameters {
        let standard = c.standard(dimension: extents.count)
        var p = RunParameters(datasets: [("kappa", [c.kappa]), ("lambda", [c.lambda]),
                                         ("mass_squared", [standard.massSquared]), ("coupling", [standard.quartic])],
                              meanings: Phi4Meanings.parameters)
        p.set("form_given", .text(formGiven))
        p.set("hopping_action", .text("S = sum_x [ -2 kappa sum_mu phi_x phi_{x+mu} + phi_x^2 + lambda (phi_x^2 - 1)^2 ]"))
        p.set("extents", .integers(extents.map(Int64.init)))
        return p
    }
}

extension FlowJob {
    /// `/parameters`: the one point in both forms, and the lattice.
    var runParameters: RunParameters {
        FlowModel.runParameters(couplings!, extents: phi4.extents, formGiven: phi4.kappa != nil ? "hopping" : "standard")
    }
}
