// Basic moments and the input checks shared by the error analyses (jackknife, binning, Γ-method).
// Every analysis validates its input the same way and throws `StatisticsError` rather than
// returning NaN, so `Jobs` can name the observable that could not be analysed.

/// Why a statistical analysis could not be carried out on its input.
public enum StatisticsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The series has fewer samples than the analysis needs.
    case tooFewSamples(count: Int, required: Int)
    /// A derived-quantity analysis was given no primary series.
    case noSeries
    /// Primary series of a derived quantity must be measured together, so equally long.
    case lengthMismatch(series: Int, count: Int, expected: Int)
    /// A sample is NaN or infinite; its position is reported so the measurement can be found.
    case nonFinite(series: Int, index: Int)
    /// A bin size must be at least 1 and leave at least two bins.
    case invalidBinSize(binSize: Int, count: Int)
    /// The derived function returned NaN or ∞ at the means (or near them, for the gradient).
    case nonFiniteFunctionValue
    /// Γ(0) + 2Σ Γ(t) came out ≤ 0: strongly anticorrelated data for which the Γ-method is undefined.
    case nonPositiveIntegratedAutocorrelation(Double)

    /// A one-line explanation for error messages.
    public var description: String {
        switch self {
        case let .tooFewSamples(count, required):
            return "too few samples: \(count), need at least \(required)"
        case .noSeries:
            return "no primary series given"
        case let .lengthMismatch(series, count, expected):
            return "series \(series) has \(count) samples, expected \(expected) like series 0"
        case let .nonFinite(series, index):
            return "series \(series) has a non-finite sample at index \(index)"
        case let .invalidBinSize(binSize, count):
            return "bin size \(binSize) is invalid for \(count) samples (need 1 ≤ size ≤ count/2)"
        case .nonFiniteFunctionValue:
            return "the derived function is not finite at (or next to) the means"
        case let .nonPositiveIntegratedAutocorrelation(c):
            return "Γ(0) + 2ΣΓ(t) = \(c) ≤ 0: the series is pathologically anticorrelated"
        }
    }
}

/// Means, variances and standard errors of independent samples.
public enum Statistics: Sendable {
    /// The arithmetic mean; throws for an empty or non-finite series.
    public static func mean(_ series: some Collection<Double>) throws -> Double {
        let x = Array(series)
        try validate(x, series: 0, minimumCount: 1)
        return x.withUnsafeBufferPointer { sum($0) } / Double(x.count)
    }

    /// The unbiased sample variance Σ(x−x̄)²/(N−1), by two passes; throws for N < 2.
    public static func variance(_ series: some Collection<Double>) throws -> Double {
        let x = Array(series)
        try validate(x, series: 0, minimumCount: 2)
        return x.withUnsafeBufferPointer { p in
            let m = sum(p) / Double(p.count)
            return sumOfSquaredDeviations(p, from: m) / Double(p.count - 1)
        }
    }

    /// The naive standard error √(variance/N) of the mean, right only for uncorrelated samples.
    public static func standardError(_ series: some Collection<Double>) throws -> Double {
        let x = Array(series)
        return (try variance(x) / Double(x.count)).squareRoot()
    }

    /// Throws unless `x` has at least `minimumCount` samples, all finite.
    static func validate(_ x: [Double], series: Int, minimumCount: Int) throws {
        guard x.count >= minimumCount else {
            throw StatisticsError.tooFewSamples(count: x.count, required: minimumCount)
        }
        if let bad = x.firstIndex(where: { !$0.isFinite }) {
            throw StatisticsError.nonFinite(series: series, index: bad)
        }
    }

    /// Checks a set of primary series for a derived quantity: non-empty, equally long, finite.
    static func validate(_ series: [[Double]], minimumCount: Int) throws {
        guard let first = series.first else { throw StatisticsError.noSeries }
        for (alpha, x) in series.enumerated() {
            guard x.count == first.count else {
                throw StatisticsError.lengthMismatch(series: alpha, count: x.count, expected: first.count)
            }
            try validate(x, series: alpha, minimumCount: minimumCount)
        }
    }

    /// Sum with four accumulators: lets the loop vectorise and halves rounding error growth.
    static func sum(_ x: UnsafeBufferPointer<Double>) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        let n = x.count
        var i = 0
        while i + 4 <= n {
            s0 += x[i]; s1 += x[i + 1]; s2 += x[i + 2]; s3 += x[i + 3]
            i += 4
        }
        while i < n { s0 += x[i]; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// Σ(xᵢ − m)², four accumulators for the same reason as `sum`.
    static func sumOfSquaredDeviations(_ x: UnsafeBufferPointer<Double>, from m: Double) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        let n = x.count
        var i = 0
        while i + 4 <= n {
            let d0 = x[i] - m, d1 = x[i + 1] - m, d2 = x[i + 2] - m, d3 = x[i + 3] - m
            s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3
            i += 4
        }
        while i < n { let d = x[i] - m; s0 += d * d; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// Means of consecutive bins of `binSize` samples; a trailing partial bin is dropped.
    static func binMeans(_ x: [Double], binSize: Int) -> [Double] {
        let bins = x.count / binSize
        return x.withUnsafeBufferPointer { p in
            (0..<bins).map { b in
                sum(UnsafeBufferPointer(rebasing: p[(b * binSize)..<((b + 1) * binSize)])) / Double(binSize)
            }
        }
    }
}
