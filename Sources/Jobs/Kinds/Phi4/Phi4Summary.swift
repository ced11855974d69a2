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

    /// The results of every point (rank 0): `steps` and `stepSizes` per cell (point · chains + chain),
    /// the molecular-dynamics steps of a trajectory and their size (NaN for a sampler without them).
    static func results(_ series: SeriesRecorder, points: [Phi4Couplings], extents: [Int], steps: [Double], stepSizes: [Double]) -> Results {
        let volume = Double(extents.reduce(1, *)), l0 = extents[0], d = extents.count
        let c = { series.component($0) }
        let g = (0..<l0).map { c("correlator") + $0 }
        var results = Results()
        for (p, point) in points.enumerated() {
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
            let meanSteps = cells.map { steps[$0] }.reduce(0, +) / Double(cells.count)
            let stepSize = cells.map { stepSizes[$0] }.reduce(0, +) / Double(cells.count)
            let standard = point.standard(dimension: d)
            let values = [point.kappa, point.lambda, standard.massSquared, standard.quartic, meanSteps, stepSize]
                + scalar("accepted").estimate + scalar("delta_h").estimate + scalar("exp_minus_delta_h").estimate + scalar("phi2").all
                + scalar("magnetization").estimate + scalar("abs_magnetization").all + scalar("magnetization2").estimate
                + chi.estimate + binder.estimate + scalar("action_density").estimate + xi.estimate
            results.rows.append(values.map(Cell.real))
        }
        return results
    }

    /// Writes `/summary` and `/analysis` (G(t) and m_eff(t) per point, as (mean, error)) and returns
    /// them (empty but on rank 0). Collective.
    @discardableResult
    static func write(_ series: SeriesRecorder, points: [Phi4Couplings], extents: [Int], steps: [Double], stepSizes: [Double],
                      root: Group, isRoot: Bool) throws -> Results {
        let count = points.count, l0 = extents[0], half = max(0, l0 / 2 - 1)
        let summary = isRoot ? results(series, points: points, extents: extents, steps: steps, stepSizes: stepSizes) : Results()
        let table = try Table.create("summary", in: root, columns: columns)
        try table.append(summary.rows)
        try table.describe(axis: "point", columns: Phi4Meanings.summary, in: root, root: root)
        let analysis = try root.createGroup("analysis")
        // The (mean, error) axis is labelled by name; m_eff(t) runs over t = 1 … half.
        try analysis.makeCoordinate("statistic", labels: ["mean", "error"], meaning: Meaning(units: "1", longName: "estimate and its error"))
        try analysis.makeCoordinate("t_effective_mass", values: (0..<half).map { Double($0 + 1) },
                                    meaning: Meaning(units: "lattice spacings", longName: "separation t of m_eff(t)"))
        let g = try analysis.createDataset("correlator", of: Double.self, shape: [count, l0, 2])
        try g.setAttribute("axes", "point, t, (mean, error)")
        try Phi4Meanings.correlator.write(to: g)
        try g.write(summary.correlator.flatMap { $0 }, at: [0, 0, 0], count: isRoot ? [count, l0, 2] : [0, 0, 0])
        try analysis.nameAxes(of: g, ["point", "t", "statistic"], root: root)
        let m = try analysis.createDataset("effective_mass", of: Double.self, shape: [count, half, 2])
        try m.setAttribute("axes", "point, t - 1, (mean, error); m_eff(t) = arccosh((G(t-1) + G(t+1)) / 2G(t)), NaN where undefined")
        try Phi4Meanings.effectiveMass.write(to: m)
        try m.write(summary.effectiveMass.flatMap { $0 }, at: [0, 0, 0], count: isRoot ? [count, half, 2] : [0, 0, 0])
        try analysis.nameAxes(of: m, ["point", "t_effective_mass", "statistic"], root: root)
        return summary
    }
}
