// Jackknife over bins: the error of any smooth function of means without linearising by hand.
// Binning first (bins much longer than τ_int) makes the bins nearly independent, which the
// jackknife assumes; with bin size 1 on correlated data it underestimates the error.

/// Jackknife estimate of f(⟨a₀⟩, ⟨a₁⟩, …) from primary series measured together, over bins.
///
/// The series are cut into B = ⌊N / binSize⌋ bins (a trailing partial bin is dropped, and the
/// value uses the same samples). With θ = f(ā) and θᵢ = f of the means without bin i,
/// error = √((B−1)/B · Σᵢ (θᵢ − θ̄)²) and the bias-corrected value is B·θ − (B−1)·θ̄.
public struct JackknifeAnalysis: Sendable, Equatable {
    /// f at the means of the binned samples.
    public let value: Double
    /// The jackknife standard error of `value`.
    public let error: Double
    /// B·θ − (B−1)·θ̄: removes the O(1/N) bias of a nonlinear f.
    public let biasCorrectedValue: Double
    /// Samples per bin.
    public let binSize: Int
    /// Number of bins B (at least 2).
    public let binCount: Int

    /// Jackknife of the mean of one series; with `binSize` 1 its error equals the naive standard error.
    public init(_ series: some Collection<Double>, binSize: Int = 1) throws {
        try self.init([Array(series)], binSize: binSize) { $0[0] }
    }

    /// Jackknife of `function` of the means of `series` (all equally long, measured together).
    ///
    /// `function` receives the means in the order of `series` and must be smooth near them.
    /// Throws `StatisticsError` for empty, unequal or non-finite series, a bin size that does not
    /// leave two bins, or a non-finite function value.
    public init(_ series: [[Double]], binSize: Int = 1, function: ([Double]) -> Double) throws {
        try Statistics.validate(series, minimumCount: 2)
        let n = series[0].count
        guard binSize >= 1, n / binSize >= 2 else {
            throw StatisticsError.invalidBinSize(binSize: binSize, count: n)
        }
        let bins = series.map { Statistics.binMeans($0, binSize: binSize) }
        let b = bins[0].count
        let totals = bins.map { $0.withUnsafeBufferPointer(Statistics.sum) }
        let means = totals.map { $0 / Double(b) }
        let theta = function(means)
        guard theta.isFinite else { throw StatisticsError.nonFiniteFunctionValue }

        var leaveOneOut = [Double](repeating: 0, count: b)
        var reduced = means
        for i in 0..<b {
            for alpha in 0..<series.count {
                reduced[alpha] = (totals[alpha] - bins[alpha][i]) / Double(b - 1)
            }
            let t = function(reduced)
            guard t.isFinite else { throw StatisticsError.nonFiniteFunctionValue }
            leaveOneOut[i] = t
        }
        let thetaBar = leaveOneOut.withUnsafeBufferPointer(Statistics.sum) / Double(b)
        let spread = leaveOneOut.withUnsafeBufferPointer {
            Statistics.sumOfSquaredDeviations($0, from: thetaBar)
        }
        self.value = theta
        self.error = (Double(b - 1) / Double(b) * spread).squareRoot()
        self.biasCorrectedValue = Double(b) * theta - Double(b - 1) * thetaBar
        self.binSize = binSize
        self.binCount = b
    }
}
