import Numerics
import Store

/// Per-temperature results of an Ising run, with Γ-method errors and autocorrelation times.
enum IsingSummary {
    static let columns: [Column] = [
        "temperature", "beta", "energy", "energy_error", "energy_tau_int", "energy_tau_int_error",
        "specific_heat", "specific_heat_error", "abs_magnetization", "abs_magnetization_error",
        "abs_magnetization_tau_int", "abs_magnetization_tau_int_error", "susceptibility", "susceptibility_error",
        "binder", "binder_error", "binder_tau_int",
    ].map { Column($0, .real) }

    /// A chain's estimate with its error and τ_int; chains at one temperature are averaged.
    private static func combine(_ analyses: [GammaAnalysis]) -> (value: Double, error: Double, tau: Double, tauError: Double) {
        let n = Double(analyses.count)
        return (analyses.map(\.value).reduce(0, +) / n,
                analyses.map { $0.error * $0.error }.reduce(0, +).squareRoot() / n,
                analyses.map(\.tauInt).reduce(0, +) / n,
                analyses.map { $0.tauIntError * $0.tauIntError }.reduce(0, +).squareRoot() / n)
    }

    /// One row per temperature: ⟨e⟩, c = β²V(⟨e²⟩ − ⟨e⟩²), ⟨|m|⟩, χ = βV(⟨m²⟩ − ⟨|m|⟩²), U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²).
    static func rows(series: [[Double]], job: IsingJob, volume: Double) throws -> [[Cell]] {
        let n = job.measurements
        let betas = job.betas
        return try job.temperatures.enumerated().map { t, temperature in
            let beta = betas[t]
            var energy: [GammaAnalysis] = [], heat: [GammaAnalysis] = [], absM: [GammaAnalysis] = []
            var chi: [GammaAnalysis] = [], binder: [GammaAnalysis] = []
            for chain in 0..<job.chains {
                let start = (t * job.chains + chain) * n
                func slice(_ o: Int) -> [Double] { Array(series[o][start..<(start + n)]) }
                let e = slice(0), a = slice(2), m2 = slice(3), m4 = slice(4)
                energy.append(try GammaAnalysis(e))
                heat.append(try GammaAnalysis([e, e.map { $0 * $0 }]) { beta * beta * volume * ($0[1] - $0[0] * $0[0]) })
                absM.append(try GammaAnalysis(a))
                chi.append(try GammaAnalysis([a, m2]) { beta * volume * ($0[1] - $0[0] * $0[0]) })
                binder.append(try GammaAnalysis.binderCumulant(m2: m2, m4: m4))
            }
            let e = combine(energy), c = combine(heat), m = combine(absM), x = combine(chi), u = combine(binder)
            return [temperature, beta, e.value, e.error, e.tau, e.tauError, c.value, c.error, m.value, m.error, m.tau, m.tauError,
                    x.value, x.error, u.value, u.error, u.tau].map(Cell.real)
        }
    }
}
