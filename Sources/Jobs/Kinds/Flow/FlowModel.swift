import Generative
import Learning
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
        try group.setAttribute("extents", flow.extents.map(Int64.init))
        try group.setAttribute("couplings", Int64(flow.architecture.couplings))
        try group.setAttribute("network", flow.architecture.network.map(\.description).joined(separator: "; "))
        try group.setAttribute("masks", "checkerboard; coupling k freezes the sites with (x0 + x1) % 2 == k % 2")
        try group.setAttribute("coupling_map", "x' = x exp(s) + t on the sites not frozen; (s, t) = network(frozen sites), channels 0 and 1")
        try group.setAttribute("prior", "independent standard normal on every site")
        try group.setAttribute("precision", Scalar.precisionName)
        try group.setAttribute("kappa", job.couplings!.kappa)
        try group.setAttribute("lambda", job.couplings!.lambda)
    }

    /// The summary row: the point, the steps, and the last loss and ESS with the mean ESS of the last tenth.
    static let columns = [
        Column("kappa", .real), Column("lambda", .real), Column("steps", .integer), Column("loss", .real),
        Column("effective_sample_size", .real), Column("ess_last_tenth", .real),
    ]
}

extension FlowJob {
    /// `/parameters`: the one point in both forms, and the lattice.
    var runParameters: RunParameters {
        let c = couplings!, standard = c.standard(dimension: 2)
        var p = RunParameters(datasets: [("kappa", [c.kappa]), ("lambda", [c.lambda]),
                                         ("mass_squared", [standard.massSquared]), ("coupling", [standard.quartic])])
        p.set("form_given", .text(phi4.kappa != nil ? "hopping" : "standard"))
        p.set("hopping_action", .text("S = sum_x [ -2 kappa sum_mu phi_x phi_{x+mu} + phi_x^2 + lambda (phi_x^2 - 1)^2 ]"))
        p.set("extents", .integers(phi4.extents.map(Int64.init)))
        return p
    }
}
