/// A correlated Monte Carlo series cut into blocks, each block reduced to the means of its
/// components: the unit a bootstrap of a Markov chain resamples, since blocks much longer than the
/// autocorrelation time are nearly independent where single measurements are not.
public struct BlockMeans: Sendable {
    /// `blocks[b][c]`: the mean of component `c` over block `b`.
    public let blocks: [[Double]]

    /// Cuts `components` (each a series of one measured quantity, all of one length) into
    /// `count` blocks of equal length, dropping the few measurements left at the end; fewer
    /// blocks when the series is shorter than `count`.
    public init(components: [[Double]], count: Int) {
        let length = components.first?.count ?? 0
        precondition(components.allSatisfy { $0.count == length }, "BlockMeans: components of different lengths")
        let blockCount = min(count, length), size = blockCount > 0 ? length / blockCount : 0
        blocks = (0..<blockCount).map { b in
            components.map { series in series[(b * size)..<((b + 1) * size)].reduce(0, +) / Double(size) }
        }
    }

    /// The blocks of several independent chains, pooled.
    public init(pooling chains: [BlockMeans]) {
        blocks = chains.flatMap(\.blocks)
    }

    /// The mean of each component over all blocks.
    public var mean: [Double] { Self.average(blocks.indices, of: blocks) }

    /// The mean of each component over as many blocks drawn with replacement: one bootstrap replica.
    public func resampledMean(_ random: inout RandomStream) -> [Double] {
        Self.average(blocks.indices.map { _ in random.integer(below: blocks.count) }, of: blocks)
    }

    private static func average(_ picks: some Collection<Int>, of blocks: [[Double]]) -> [Double] {
        guard let width = blocks.first?.count else { return [] }
        var sum = [Double](repeating: 0, count: width)
        for b in picks { for c in 0..<width { sum[c] += blocks[b][c] } }
        return sum.map { $0 / Double(picks.count) }
    }
}
