import Numerics
import Store

/// Per-temperature results of an Ising run, with Γ-method errors and autocorrelation times; chains
/// at one temperature are averaged.
enum IsingSummary {
    static let columns: [Column] = [
        "temperature", "beta", "energy", "energy_error", "energy_tau_int", "energy_tau_int_error",
        "specific_heat", "specific_heat_error", "abs_magnetization", "abs_magnetization_error",
        "abs_magnetization_tau_int", "abs_magnetization_tau_int_error", "susceptibility", "susceptibility_error",
        "binder", "binder_error", "binder_tau_int",
    ].map { Column($0, .real) }

    /// What the columns hold (their `_error` and `_tau_int` columns share the units); averages
    /// are over the measurements of every chain at one temperature, V the number of sites.
    static let meanings: [String: Meaning] = [
        "temperature": Meaning(units: "J/k_B", longName: "temperature T", definition: "in units of the coupling J over k_B"),
        "beta": Meaning(units: "k_B/J", longName: "inverse temperature beta = 1/T"),
        "energy": Meaning(units: "J", longName: "mean energy per site <e>", definition: "e = E/V, E = -J sum_<ij> s_i s_j - h sum_i s_i"),
        "energy_tau_int": Meaning(units: "measurements", longName: "integrated autocorrelation time of e (Gamma method)"),
        "specific_heat": Meaning(units: "k_B", longName: "specific heat per site c", definition: "c = beta^2 V (<e^2> - <e>^2)"),
        "abs_magnetization": Meaning(units: "1", longName: "mean absolute magnetization per site <|m|>", definition: "m = V^-1 sum_i s_i"),
        "abs_magnetization_tau_int": Meaning(units: "measurements", longName: "integrated autocorrelation time of |m| (Gamma method)"),
        "susceptibility": Meaning(units: "1/J", longName: "magnetic susceptibility per site chi",
                                  definition: "chi = beta V (<m^2> - <|m|>^2), m the magnetization per site"),
        "binder": Meaning(units: "1", longName: "Binder cumulant U_4", definition: "U_4 = 1 - <m^4> / (3 <m^2>^2)"),
        "binder_tau_int": Meaning(units: "measurements", longName: "integrated autocorrelation time of U_4 (Gamma method)"),
    ]

    /// What the replica-exchange table's columns hold.
    static let temperingMeanings: [String: Meaning] = [
        "temperature_low": Meaning(units: "J/k_B", longName: "lower temperature of the pair"),
        "temperature_high": Meaning(units: "J/k_B", longName: "higher temperature of the pair"),
        "acceptance": Meaning(units: "1", longName: "fraction of accepted exchanges", definition: "accepted / attempted"),
    ]

    /// The replica-exchange acceptance of each pair of neighbouring temperatures.
    static let temperingColumns = [
        Column("temperature_low", .real), Column("temperature_high", .real),
        Column("accepted", .integer), Column("attempted", .integer), Column("acceptance", .real),
    ]

    /// One row per temperature: ⟨e⟩, c = β²V(⟨e²⟩ − ⟨e⟩²), ⟨|m|⟩, χ = βV(⟨m²⟩ − ⟨|m|⟩²), U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²) (rank 0).
    static func rows(_ series: SeriesRecorder, job: IsingJob) -> [[Cell]] {
        let volume = Double(job.model.geometry.volume), betas = job.betas
        return job.temperatures.enumerated().map { t, temperature in
            let beta = betas[t], cells = series.cells(ofPoint: t)
            let e = series.average(0, point: t), m = series.average(2, point: t)
            let c = ChainAverage(cells.map { cell in
                let energy = Array(series.series(0, cell: cell))
                return try? GammaAnalysis([energy, energy.map { $0 * $0 }]) { beta * beta * volume * ($0[1] - $0[0] * $0[0]) }
            })
            let x = series.average([2, 3], point: t) { beta * volume * ($0[1] - $0[0] * $0[0]) }
            let u = ChainAverage(cells.map { try? GammaAnalysis.binderCumulant(m2: Array(series.series(3, cell: $0)), m4: Array(series.series(4, cell: $0))) })
            return ([temperature, beta] + e.all + c.estimate + m.all + x.estimate + u.estimate + [u.tauInt]).map(Cell.real)
        }
    }
}
