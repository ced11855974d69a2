// Which samples each rank trains on. One permutation per epoch, a pure function of (seed, epoch),
// is computed identically on every rank; global step s of the epoch takes positions
// s·B ..< (s+1)·B of it, and shard j of S takes every S-th of those starting at j. With one shard
// per rank this is "rank r takes every N-th index", so the union of the ranks' batches is exactly
// the batch a single process would draw. Deterministic mode uses more shards than ranks (each rank
// holds the shards j ≡ r mod N), which leaves every rank's set of samples the same.

import Numerics

/// The per-epoch permutation of a training set and its split into global batches and shards.
public struct EpochSampler: Sendable, Equatable {
    /// Samples in the training set.
    public let sampleCount: Int
    /// Samples in one global batch (all ranks together).
    public let globalBatch: Int
    /// The run's seed.
    public let seed: UInt64

    /// A sampler of `sampleCount` samples in global batches of `globalBatch` (≤ sampleCount).
    public init(sampleCount: Int, globalBatch: Int, seed: UInt64) {
        precondition(globalBatch > 0 && globalBatch <= sampleCount,
                     "EpochSampler: global batch \(globalBatch) must be in 1...\(sampleCount) (the training set)")
        self.sampleCount = sampleCount
        self.globalBatch = globalBatch
        self.seed = seed
    }

    /// Whole global batches per epoch; the last `sampleCount mod globalBatch` positions of each
    /// permutation are left out, so every step sees the same batch size.
    public var stepsPerEpoch: Int { sampleCount / globalBatch }

    /// The positions 0..<sampleCount in the order of `epoch`: Fisher–Yates with the
    /// `learningShuffle` stream of (seed, epoch).
    public func permutation(epoch: Int) -> [Int] {
        var order = Array(0..<sampleCount)
        var random = RandomStream(seed: seed, purpose: .learningShuffle, step: epoch)
        for i in stride(from: sampleCount - 1, to: 0, by: -1) {
            order.swapAt(i, random.integer(below: i + 1))
        }
        return order
    }

    /// The training-set indices of shard `shard` of `shards` at `step` of the epoch ordered by
    /// `permutation`: positions step·B + shard + k·shards for k = 0 ..< B/shards.
    public func batch(step: Int, of permutation: [Int], shard: Int, shards: Int) -> [Int] {
        precondition(globalBatch % shards == 0, "EpochSampler: global batch \(globalBatch) is not a multiple of \(shards) shards")
        precondition(step >= 0 && step < stepsPerEpoch, "EpochSampler: step \(step) outside 0..<\(stepsPerEpoch)")
        let start = step * globalBatch + shard
        return stride(from: start, to: (step + 1) * globalBatch, by: shards).map { permutation[$0] }
    }

    /// Every training-set index that rank `rank` of `ranks` uses during the epoch ordered by
    /// `permutation`, ascending: what that rank reads from the files for the epoch.
    public func indices(of permutation: [Int], rank: Int, ranks: Int) -> [Int] {
        let used = stepsPerEpoch * globalBatch
        return stride(from: rank, to: used, by: ranks).map { permutation[$0] }.sorted()
    }
}
