// Wolff's Γ-method: error and integrated autocorrelation time of a Monte Carlo estimate.
//
// Reference: U. Wolff, "Monte Carlo errors with less errors", Comput. Phys. Commun. 156 (2004) 143,
// hep-lat/0306017, and its UWerr.m (one replicum). The formulas are those of REFERENCE.md:
//   Γ(t) = (N−t)⁻¹ Σᵢ δᵢ δᵢ₊ₜ,  τ_int(W) = ½ + Σ_{t=1..W} Γ(t)/Γ(0),
//   τ(W) = S / ln[(2τ_int(W)+1)/(2τ_int(W)−1)],  g(W) = exp(−W/τ(W)) − τ(W)/√(WN),
// W the first with g(W) < 0 (never beyond ⌊N/2⌋, see below); then C = Γ(0) + 2Σ_{t≤W} Γ(t), Γ(t) += C/N,
// C recomputed, σ = √(C/N), τ_int = C/(2Γ(0)), δτ_int = 2τ_int √((W − τ_int + ½)/N).
// Γ(t) is computed lazily only up to the window, so the cost is O(N·W), not O(N²).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Value, error and integrated autocorrelation time of a mean or of a function of means (Γ-method).
///
/// Edge cases: a series without fluctuations (Γ(0) = 0) gives error 0, τ_int = ½, δτ_int = 0 and
/// window 0. Fewer than 2 samples, unequal or non-finite series throw `StatisticsError`, as does
/// C ≤ 0 (pathologically anticorrelated data, where UWerr also gives up; every 2-sample series is
/// such a case, since its lag-1 autocovariance is −Γ(0)). The search for W needs no cap in
/// practice: at W = ⌊N/2⌋, g(W) < 0 for every τ(W) because x·e^(−x/2) ≤ 2/e < √2 with x = N/τ;
/// the loop still stops at ⌊N/2⌋, the largest lag whose Γ(t) averages at least half the data.
public struct GammaAnalysis: Sendable, Equatable {
    /// Wolff's default S: τ(W) = S/ln(…); his tests show errors are insensitive to S in 1…2.
    public static let defaultS = 1.5

    /// The mean, or f at the means for a derived quantity.
    public let value: Double
    /// σ = √(C/N): the statistical error of `value`, autocorrelations included.
    public let error: Double
    /// τ_int = C/(2Γ(0)) after the bias correction (½ for uncorrelated data).
    public let tauInt: Double
    /// δτ_int ≈ 2τ_int √((W − τ_int + ½)/N) (Madras–Sokal approximation, as in UWerr).
    public let tauIntError: Double
    /// The summation window W chosen by the g(W) < 0 criterion.
    public let window: Int
    /// Number of samples N.
    public let count: Int

    /// Creates a result from already computed figures (for decoding stored summaries and tests).
    public init(value: Double, error: Double, tauInt: Double, tauIntError: Double,
                window: Int, count: Int) {
        self.value = value
        self.error = error
        self.tauInt = tauInt
        self.tauIntError = tauIntError
        self.window = window
        self.count = count
    }

    /// Γ-method analysis of the mean of one series, in measurement order.
    public init(_ series: some Collection<Double>, s: Double = GammaAnalysis.defaultS) throws {
        precondition(s > 0, "GammaAnalysis: S must be positive")
        var x = Array(series)
        try Statistics.validate(x, series: 0, minimumCount: 2)
        let mean = x.withUnsafeBufferPointer(Statistics.sum) / Double(x.count)
        for i in x.indices { x[i] -= mean }
        try self.init(deviations: x, value: mean, s: s)
    }

    /// Γ-method analysis of f(⟨a₀⟩, ⟨a₁⟩, …) for primary series measured together.
    ///
    /// As in Wolff §3.1, the fluctuations are projected onto the gradient of f at the means,
    /// δᵢ = Σ_α f_α (a_α,ᵢ − ā_α), and δ is analysed like a primary series. f_α is a central
    /// difference with step h_α = √(Γ_αα(0)/N), the naive error of ā_α (UWerr's choice): small
    /// against the scale on which f varies, large against rounding. Series that do not fluctuate
    /// get f_α = 0.
    public init(_ series: [[Double]], s: Double = GammaAnalysis.defaultS,
                function: ([Double]) -> Double) throws {
        precondition(s > 0, "GammaAnalysis: S must be positive")
        try Statistics.validate(series, minimumCount: 2)
        let n = series[0].count
        let means = series.map { $0.withUnsafeBufferPointer(Statistics.sum) / Double(n) }
        let value = function(means)
        guard value.isFinite else { throw StatisticsError.nonFiniteFunctionValue }

        var gradient = [Double](repeating: 0, count: series.count)
        var shifted = means
        for alpha in series.indices {
            let spread = series[alpha].withUnsafeBufferPointer {
                Statistics.sumOfSquaredDeviations($0, from: means[alpha])
            }
            let h = (spread / Double(n) / Double(n)).squareRoot()
            guard h > 0 else { continue }
            shifted[alpha] = means[alpha] + h
            let up = function(shifted)
            shifted[alpha] = means[alpha] - h
            let down = function(shifted)
            shifted[alpha] = means[alpha]
            guard up.isFinite, down.isFinite else { throw StatisticsError.nonFiniteFunctionValue }
            gradient[alpha] = (up - down) / (2 * h)
        }

        var deviations = [Double](repeating: 0, count: n)
        deviations.withUnsafeMutableBufferPointer { d in
            for alpha in series.indices where gradient[alpha] != 0 {
                let g = gradient[alpha], m = means[alpha]
                series[alpha].withUnsafeBufferPointer { a in
                    for i in 0..<n { d[i] += g * (a[i] - m) }
                }
            }
        }
        try self.init(deviations: deviations, value: value, s: s)
    }

    /// The Binder cumulant U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²) from the series of m² and m⁴ (derived quantity).
    public static func binderCumulant(m2: [Double], m4: [Double],
                                      s: Double = GammaAnalysis.defaultS) throws -> GammaAnalysis {
        try GammaAnalysis([m2, m4], s: s) { a in 1 - a[1] / (3 * a[0] * a[0]) }
    }

    /// The windowing and bias correction on fluctuations δᵢ with zero mean.
    init(deviations: [Double], value: Double, s: Double) throws {
        let n = deviations.count
        let analysis = try deviations.withUnsafeBufferPointer { d -> GammaAnalysis in
            let gamma0 = Statistics.sumOfSquaredDeviations(d, from: 0) / Double(n)
            guard gamma0 > 0 else {
                return GammaAnalysis(value: value, error: 0, tauInt: 0.5, tauIntError: 0,
                                     window: 0, count: n)
            }
            let tMax = n / 2
            var gammas = [gamma0]
            var integrated = 0.0
            var window = tMax
            var t = 1
            while t <= tMax {
                let gammaT = Self.autocovariance(d, lag: t)
                gammas.append(gammaT)
                integrated += gammaT / gamma0
                // integrated = τ_int(W) − ½, so (2τ_int+1)/(2τ_int−1) = (integrated+1)/integrated.
                let tau = integrated <= 0 ? Double.ulpOfOne : s / log((integrated + 1) / integrated)
                let g = exp(-Double(t) / tau) - tau / (Double(t) * Double(n)).squareRoot()
                if g < 0 {
                    window = t
                    break
                }
                t += 1
            }
            var c = gammas[0]
            for t in stride(from: 1, through: window, by: 1) { c += 2 * gammas[t] }
            guard c > 0 else { throw StatisticsError.nonPositiveIntegratedAutocorrelation(c) }
            // Bias correction: every Γ(t) is low by about C/N because ā was estimated from the data.
            let shift = c / Double(n)
            let corrected0 = gamma0 + shift
            c += Double(2 * window + 1) * shift
            let tauInt = c / (2 * corrected0)
            let tauIntError = 2 * tauInt * (max(0, Double(window) - tauInt + 0.5) / Double(n)).squareRoot()
            return GammaAnalysis(value: value, error: (c / Double(n)).squareRoot(), tauInt: tauInt,
                                 tauIntError: tauIntError, window: window, count: n)
        }
        self = analysis
    }

    /// Γ(t) = (N−t)⁻¹ Σᵢ δᵢ δᵢ₊ₜ with four accumulators so the O(N) loop vectorises.
    static func autocovariance(_ d: UnsafeBufferPointer<Double>, lag t: Int) -> Double {
        let m = d.count - t
        guard let p = d.baseAddress, m > 0 else { return 0 }
        let q = p + t
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= m {
            s0 += p[i] * q[i]; s1 += p[i + 1] * q[i + 1]
            s2 += p[i + 2] * q[i + 2]; s3 += p[i + 3] * q[i + 3]
            i += 4
        }
        while i < m { s0 += p[i] * q[i]; i += 1 }
        return ((s0 + s1) + (s2 + s3)) / Double(m)
    }
}
