import Foundation
import Phi4
import Store

extension Phi4Job {
    /// What a φ⁴ run records in `/parameters` (the tuned steps follow at the end).
    var runParameters: RunParameters {
        let d = phi4.extents.count, standard = points.map { $0.standard(dimension: d) }
        var p = RunParameters(datasets: [("kappa", points.map(\.kappa)), ("lambda", points.map(\.lambda)),
                                         ("mass_squared", standard.map(\.massSquared)), ("coupling", standard.map(\.quartic))],
                              meanings: Phi4Meanings.parameters)
        p.set("form_given", .text(isStandardForm ? "standard" : "hopping"))
        p.set("hopping_action", .text("S = sum_x [ -2 kappa sum_mu phi_x phi_{x+mu} + phi_x^2 + lambda (phi_x^2 - 1)^2 ]"))
        p.set("standard_action", .text("S = sum_x [ 1/2 sum_mu (phi_{x+mu} - phi_x)^2 + 1/2 m0^2 phi_x^2 + g/4! phi_x^4 ], phi_std = sqrt(2 kappa) phi"))
        p.set("extents", .integers(phi4.extents.map(Int64.init)))
        p.set("chains", .integer(Int64(chains)))
        p.set("integrator", .text(integrator.rawValue))
        p.set("trajectory_length", .real(trajectoryLength))
        p.set("initial_steps", .integer(Int64(phi4.steps)))
        p.set("target_acceptance", .real(targetAcceptance))
        p.set("tuned", .boolean(tunes))
        p.set("decomposition", .text(decomposition.rawValue))
        p.set("start", .text(start.rawValue))
        p.set("cluster_every", .integer(Int64(phi4.clusterEvery ?? 0)))
        p.set("fourier_acceleration", .boolean(fourierAccelerated))
        p.set("fourier_mass", .real(fourierMass))
        p.setSchedule(thermalization: phi4.thermalization, steps: phi4.trajectories, stepsKey: "trajectories",
                      measureEvery: measureEvery, saveEvery: saveEvery)
        return p
    }
}

extension Phi4Chain {
    /// The observables measured per chain, in this order: the scalars, then the correlator G(t)
    /// over the `timeExtent` planes of axis 0.
    static func observables(timeExtent: Int) -> [Observable] {
        ["phi2", "magnetization", "abs_magnetization", "magnetization2", "magnetization4", "action_density",
         "delta_h", "exp_minus_delta_h", "accepted"].map { Observable(name: $0, meaning: Phi4Meanings.observables[$0]) }
            + [Observable(name: "correlator", width: timeExtent, axis: "t", meaning: Phi4Meanings.correlator)]
    }

    /// Adds one measurement of one chain to `series`, in the order of `observables(timeExtent:)`.
    /// `deltaH` is the exponent of the accept step: HMC's ΔH, or a flow sampler's log w − log w′.
    static func record(_ m: Phi4Measurement, deltaH: Double, finite: Bool, accepted: Bool, measurement: Int, cell: Int,
                       into series: SeriesRecorder) {
        let numbers = [m.phi2, m.magnetization, m.absoluteMagnetization, m.magnetizationSquared, m.magnetizationFourth, m.actionDensity,
                       deltaH, finite ? min(1e300, exp(-deltaH)) : 0, accepted ? 1 : 0]
        for (k, x) in numbers.enumerated() { series.add(measurement: measurement, cell: cell, observable: k, x) }
        series.add(measurement: measurement, cell: cell, observable: numbers.count, m.correlator)
    }
}
