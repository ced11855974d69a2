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

    /// Mean, error, τ_int and its error of several chains' analyses (NaN if any failed).
    static func combine(_ analyses: [GammaAnalysis?]) -> [Double] {
        guard !analyses.isEmpty, analyses.allSatisfy({ $0 != nil }) else { return [.nan, .nan, .nan, .nan] }
        let a = analyses.map { $0! }, n = Double(a.count)
        return [a.map(\.value).reduce(0, +) / n, a.map { $0.error * $0.error }.reduce(0, +).squareRoot() / n,
                a.map(\.tauInt).reduce(0, +) / n, a.map { $0.tauIntError * $0.tauIntError }.reduce(0, +).squareRoot() / n]
    }

    /// The summary rows, and per point G(t) and m_eff(t) as (mean, error) pairs.
    struct Results {
        var rows: [[Cell]] = []
        var correlator: [[Double]] = []
        var effectiveMass: [[Double]] = []
    }

    static func rows(_ store: Phi4SeriesStore, job: Phi4Job, tuners: [StepSizeTuner]) -> Results {
        let volume = Double(job.phi4.extents.reduce(1, *)), l0 = job.phi4.extents[0], d = job.phi4.extents.count
        var rows: [[Cell]] = [], correlator: [[Double]] = [], effectiveMass: [[Double]] = []
        for (p, point) in job.points.enumerated() {
            let cells = (0..<job.chains).map { p * job.chains + $0 }
            func scalar(_ o: Int) -> [Double] { combine(cells.map { try? GammaAnalysis(store.series(o, cell: $0)) }) }
            func derived(_ os: [Int], _ f: @escaping ([Double]) -> Double) -> [Double] {
                combine(cells.map { cell in try? GammaAnalysis(os.map { Array(store.series($0, cell: cell)) }, function: f) })
            }
            let g = (0..<l0).map { phi4Series.count + $0 }
            let chi = derived([2, 3]) { volume * ($0[1] - $0[0] * $0[0]) }
            let binder = combine(cells.map { try? GammaAnalysis.binderCumulant(m2: Array(store.series(3, cell: $0)), m4: Array(store.series(4, cell: $0))) })
            // Second-moment correlation length from Ĝ(0) = Σ_t G(t) and Ĝ(2π/L₀) = Σ_t G(t) cos(2πt/L₀).
            let xi = derived(g) { values in
                let g0 = values.reduce(0, +)
                let g1 = values.enumerated().map { $0.element * cos(2 * Double.pi * Double($0.offset) / Double(l0)) }.reduce(0, +)
                return (g0 / g1 - 1).squareRoot() / (2 * sin(Double.pi / Double(l0)))
            }
            correlator.append((0..<l0).flatMap { Array(scalar(g[$0]).prefix(2)) })
            effectiveMass.append((1..<max(1, l0 / 2)).flatMap { t in
                Array(derived([g[t - 1], g[t], g[t + 1]]) { acosh(($0[0] + $0[2]) / (2 * $0[1])) }.prefix(2))
            })
            let steps = cells.map { Double(tuners[$0].steps) }.reduce(0, +) / Double(cells.count)
            let stepSize = cells.map { tuners[$0].stepSize }.reduce(0, +) / Double(cells.count)
            let standard = point.standard(dimension: d)
            var values: [Double] = [point.kappa, point.lambda, standard.massSquared, standard.quartic, steps, stepSize]
            for part in [scalar(8).prefix(2), scalar(6).prefix(2), scalar(7).prefix(2), scalar(0)[...], scalar(1).prefix(2), scalar(2)[...],
                         scalar(3).prefix(2), chi.prefix(2), binder.prefix(2), scalar(5).prefix(2), xi.prefix(2)] {
                values += part
            }
            rows.append(values.map(Cell.real))
        }
        return Results(rows: rows, correlator: correlator, effectiveMass: effectiveMass)
    }
}
