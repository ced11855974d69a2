import Foundation
import Numerics
import Phi4
import Store

/// Per-point results of a φ⁴ run, with Γ-method errors and autocorrelation times; chains at one
/// point are averaged. A quantity the Γ-method cannot analyse (too few measurements, a non-finite
/// ΔH in the series) is NaN.
enum Phi4Summary {
    static let columns: [Column] = [
        "kappa", "lambda", "mass_squared", "coupling", "steps", "step_size",
        "acceptance", "acceptance_error", "delta_h", "delta_h_error", "exp_minus_delta_h", "exp_minus_delta_h_error",
        "phi2", "phi2_error", "phi2_tau_int", "phi2_tau_int_error", "magnetization", "magnetization_error",
        "abs_magnetization", "abs_magnetization_error", "abs_magnetization_tau_int", "abs_magnetization_tau_int_error",
        "magnetization2", "magnetization2_error", "susceptibility", "susceptibility_error", "binder", "binder_error",
        "action_density", "action_density_error", "correlation_length", "correlation_length_error",
    ].map { Column($0, .real) }

    /// The summary rows, and per point G(t) and m_eff(t) as (mean, error) pairs.
    struct Results {
        var rows: [[Cell]] = []
        var correlator: [[Double]] = []
        var effectiveMass: [[Double]] = []
    }

    /// The results of every point (rank 0).
    static func results(_ series: SeriesRecorder, job: Phi4Job, tuners: [StepSizeTuner]) -> Results {
        let volume = Double(job.phi4.extents.reduce(1, *)), l0 = job.phi4.extents[0], d = job.phi4.extents.count
        let c = { series.component($0) }
        let g = (0..<l0).map { c("correlator") + $0 }
        var results = Results()
        for (p, point) in job.points.enumerated() {
            let cells = series.cells(ofPoint: p)
            func scalar(_ name: String) -> ChainAverage { series.average(c(name), point: p) }
            let chi = series.average([c("abs_magnetization"), c("magnetization2")], point: p) { volume * ($0[1] - $0[0] * $0[0]) }
            let binder = ChainAverage(cells.map {
                try? GammaAnalysis.binderCumulant(m2: Array(series.series(c("magnetization2"), cell: $0)),
                                                  m4: Array(series.series(c("magnetization4"), cell: $0)))
            })
            // Second-moment correlation length from Ĝ(0) = Σ_t G(t) and Ĝ(2π/L₀) = Σ_t G(t) cos(2πt/L₀).
            let xi = series.average(g, point: p) { values in
                let g0 = values.reduce(0, +)
                let g1 = values.enumerated().map { $0.element * cos(2 * Double.pi * Double($0.offset) / Double(l0)) }.reduce(0, +)
                return (g0 / g1 - 1).squareRoot() / (2 * sin(Double.pi / Double(l0)))
            }
            results.correlator.append(g.flatMap { series.average($0, point: p).estimate })
            results.effectiveMass.append((1..<max(1, l0 / 2)).flatMap { t in
                series.average([g[t - 1], g[t], g[t + 1]], point: p) { acosh(($0[0] + $0[2]) / (2 * $0[1])) }.estimate
            })
            let steps = cells.map { Double(tuners[$0].steps) }.reduce(0, +) / Double(cells.count)
            let stepSize = cells.map { tuners[$0].stepSize }.reduce(0, +) / Double(cells.count)
            let standard = point.standard(dimension: d)
            let values = [point.kappa, point.lambda, standard.massSquared, standard.quartic, steps, stepSize]
                + scalar("accepted").estimate + scalar("delta_h").estimate + scalar("exp_minus_delta_h").estimate + scalar("phi2").all
                + scalar("magnetization").estimate + scalar("abs_magnetization").all + scalar("magnetization2").estimate
                + chi.estimate + binder.estimate + scalar("action_density").estimate + xi.estimate
            results.rows.append(values.map(Cell.real))
        }
        return results
    }
}
