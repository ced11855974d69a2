// Binning analysis: the classic visual check on autocorrelation. The naive error of bin means
// grows with the bin size until bins are much longer than τ_int, then plateaus at the true error;
// no plateau means the run is too short for its autocorrelation time.

/// Error of the mean versus bin size 1, 2, 4, …, for judging where the error plateaus.
public struct BinningAnalysis: Sendable, Equatable {
    /// One bin size and the naive error of the mean computed from its bins.
    public struct Level: Sendable, Equatable {
        /// Samples per bin (a power of two).
        public let binSize: Int
        /// Number of complete bins at this size.
        public let binCount: Int
        /// √(var(bin means)/binCount): the error estimate at this bin size.
        public let error: Double
        /// error/√(2(binCount−1)): the statistical uncertainty of `error` for Gaussian bins.
        public let errorOfError: Double
        /// ½·(error/error at bin size 1)²: approaches τ_int on the plateau; ½ for a constant series.
        public let tauInt: Double
    }

    /// The mean of all samples.
    public let mean: Double
    /// Levels with bin sizes 1, 2, 4, … while at least `minimumBins` bins remain.
    public let levels: [Level]

    /// Bins `series` repeatedly by pairs (O(N) in total), dropping a trailing odd bin at each level.
    ///
    /// Throws `StatisticsError` unless the series is finite with at least `minimumBins` samples;
    /// `minimumBins` (≥ 2) bounds how noisy the last level may be.
    public init(_ series: some Collection<Double>, minimumBins: Int = 32) throws {
        precondition(minimumBins >= 2, "BinningAnalysis: minimumBins must be at least 2")
        var bins = Array(series)
        try Statistics.validate(bins, series: 0, minimumCount: minimumBins)
        mean = bins.withUnsafeBufferPointer(Statistics.sum) / Double(bins.count)

        var levels: [Level] = []
        var binSize = 1
        var firstError = 0.0
        while bins.count >= minimumBins {
            let b = bins.count
            let error = bins.withUnsafeBufferPointer { p -> Double in
                let m = Statistics.sum(p) / Double(b)
                return (Statistics.sumOfSquaredDeviations(p, from: m) / Double(b - 1) / Double(b))
                    .squareRoot()
            }
            if binSize == 1 { firstError = error }
            let ratio = firstError > 0 ? error / firstError : 1
            levels.append(Level(binSize: binSize, binCount: b, error: error,
                                errorOfError: error / (2 * Double(b - 1)).squareRoot(),
                                tauInt: 0.5 * ratio * ratio))
            let half = b / 2
            for i in 0..<half {
                bins[i] = 0.5 * (bins[2 * i] + bins[2 * i + 1])
            }
            bins.removeLast(b - half)
            binSize *= 2
        }
        self.levels = levels
    }
}
