// Data-parallel training: every rank holds the whole network, computes the gradient of its part of
// the global batch, and the ranks sum their gradients before one identical optimiser step.
//
// Two ways to sum:
// - buckets (default): the flat gradient is cut into buckets from its end, because backward
//   finishes the last layer first; a bucket's non-blocking allreduce starts as soon as the layers
//   it covers are done, so the reduction overlaps the rest of backward, as in PyTorch's DDP.
// - deterministic: the global batch is cut into a fixed number of shards, each shard's gradient is
//   computed separately, all shard gradients are gathered on every rank and added in shard order.
//   The result depends on the shards, not on the ranks: N ranks reproduce 1 rank bit for bit.
// Both divide the sum by the global batch, so the step is that of the mean loss.

import Cluster
import Numerics

/// How a trainer learns: loss, optimiser, schedule and how gradients are summed over ranks.
public struct TrainingSettings: Sendable, Equatable {
    /// The loss minimised (its mean over the global batch).
    public var loss: Loss
    /// SGD with momentum or Adam.
    public var optimizer: OptimizerKind
    /// L2 (SGD) or decoupled (Adam) weight decay.
    public var weightDecay: Double
    /// Learning rate per step.
    public var schedule: LearningRateSchedule
    /// Bytes per gradient bucket in the overlapped allreduce.
    public var bucketBytes: Int
    /// Shards of the global batch in deterministic mode; nil for the bucketed allreduce.
    public var deterministicShards: Int?
    /// The run's seed (dropout masks).
    public var seed: UInt64
    /// Samples per forward/backward pass (0: the whole local batch); a rank's batch (or shard) is
    /// processed in micro-batches of this size with gradients accumulated, bounding activation memory.
    public var microBatch: Int

    /// Settings with every field given.
    public init(loss: Loss, optimizer: OptimizerKind, weightDecay: Double, schedule: LearningRateSchedule,
                bucketBytes: Int, deterministicShards: Int?, seed: UInt64, microBatch: Int = 0) {
        self.loss = loss
        self.optimizer = optimizer
        self.weightDecay = weightDecay
        self.schedule = schedule
        self.bucketBytes = bucketBytes
        self.deterministicShards = deterministicShards
        self.seed = seed
        self.microBatch = microBatch
    }
}

/// The part of one global batch a rank computes: inputs, targets and the samples' dataset ids.
public struct LocalBatch<Scalar: NetworkScalar>: Sendable {
    /// `count × inputSize` inputs.
    public var inputs: [Scalar]
    /// `count × targetWidth` targets.
    public var targets: [Scalar]
    /// The dataset id of each sample (keys its dropout mask).
    public var sampleIDs: [Int]

    /// A batch of `sampleIDs.count` samples.
    public init(inputs: [Scalar], targets: [Scalar], sampleIDs: [Int]) {
        self.inputs = inputs
        self.targets = targets
        self.sampleIDs = sampleIDs
    }
}

/// What one step did, summed over all ranks.
public struct StepResult: Sendable, Equatable {
    /// Σ of the per-sample losses over the global batch.
    public var lossSum: Double
    /// Correctly classified samples in the global batch.
    public var correct: Int
    /// The learning rate used.
    public var learningRate: Double
}

/// Why training stopped.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// The loss or the averaged gradient was NaN or infinite at `step`; the parameters are those
    /// before that step.
    case nonFinite(step: Int, quantity: String)
    /// The ranks' parameters differed after `step`: the allreduce did not give every rank the same sum.
    case ranksDisagree(step: Int)

    /// Names the step and what failed; for disagreeing ranks, points at the MPI library or the network.
    public var description: String {
        switch self {
        case let .nonFinite(step, quantity):
            return "the \(quantity) became non-finite at step \(step); the parameters were left as before that step"
        case let .ranksDisagree(step):
            return "the ranks' parameters differ after step \(step): "
                + "the allreduce did not give every rank the same sum (MPI library or network fault)"
        }
    }
}

/// Trains one network replica per rank on the ranks' shares of each global batch.
public final class DataParallelTrainer<Scalar: NetworkScalar> {
    /// The network this rank holds.
    public let network: Network<Scalar>
    /// The ranks that train together.
    public let communicator: Communicator
    /// Loss, optimiser and reduction settings.
    public let settings: TrainingSettings
    /// The optimiser and its state (checkpointed).
    public var optimizer: Optimizer<Scalar>

    /// A loss the `Loss` cases do not cover, e.g. a policy gradient: given a batch's outputs
    /// (`batch × outputSize`) and targets (`batch × k`, any k), it returns Σ loss over the batch
    /// and overwrites `gradient` with ∂(Σ loss)/∂outputs. Replaces `settings.loss` when set.
    public typealias Objective = (_ outputs: UnsafeBufferPointer<Scalar>, _ targets: UnsafeBufferPointer<Scalar>,
                                  _ batch: Int, _ gradient: UnsafeMutableBufferPointer<Scalar>) -> Double
    /// The custom objective, if any.
    public var objective: Objective?

    /// The summed (then averaged) gradient, laid out as the parameters; fixed address for MPI.
    private let gradients: UnsafeMutableBufferPointer<Scalar>
    /// Gradient buckets, last parameters first.
    private let buckets: [Range<Int>]
    /// The last forward pass's outputs and ∂L/∂outputs; grown as batches need.
    private var outputs = UnsafeMutableBufferPointer<Scalar>(start: nil, count: 0)
    private var outputGradient = UnsafeMutableBufferPointer<Scalar>(start: nil, count: 0)

    /// A trainer for `network` on `communicator`'s ranks. Call `synchronizeParameters()` before
    /// the first step (or after loading a checkpoint on rank 0 only).
    public init(network: Network<Scalar>, settings: TrainingSettings, communicator: Communicator) {
        precondition(settings.bucketBytes >= MemoryLayout<Scalar>.stride, "bucket of \(settings.bucketBytes) bytes")
        if let shards = settings.deterministicShards {
            precondition(shards % communicator.size == 0,
                         "\(shards) deterministic shards cannot be spread evenly over \(communicator.size) ranks")
        }
        self.network = network
        self.communicator = communicator
        self.settings = settings
        self.optimizer = Optimizer(kind: settings.optimizer, weightDecay: settings.weightDecay,
                                   parameterCount: network.parameterCount)
        self.gradients = .allocate(capacity: network.parameterCount)
        gradients.initialize(repeating: 0)
        let perBucket = max(1, settings.bucketBytes / MemoryLayout<Scalar>.stride)
        self.buckets = stride(from: network.parameterCount, to: 0, by: -perBucket).map { end in max(0, end - perBucket)..<end }
    }

    deinit {
        gradients.deallocate()
        outputs.deallocate()
        outputGradient.deallocate()
    }

    /// Steps taken so far (the optimiser's count).
    public var stepsTaken: Int { optimizer.stepsTaken }

    /// Copies rank 0's parameters to every rank. Collective.
    public func synchronizeParameters() throws(MPIError) {
        try network.parameters.withUnsafeMutableBufferPointer { (p) throws(MPIError) in try communicator.broadcast(p) }
    }

    /// Whether every rank holds bit-for-bit the same parameters: a 64-bit FNV-1a hash of their bit
    /// patterns, compared over all ranks. Collective.
    public func parametersAgree() throws(MPIError) -> Bool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        network.parameters.withUnsafeBytes { raw in
            for byte in raw { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        let all = try communicator.allgather(hash)
        return all.allSatisfy { $0 == all[0] }
    }

    /// One training step on this rank's `shards` of a global batch of `globalBatch` samples: one
    /// batch in bucketed mode, `deterministicShards / ranks` in deterministic mode (shard j of the
    /// global batch on rank j mod N, in increasing j). Collective.
    public func step(_ shards: [LocalBatch<Scalar>], globalBatch: Int) throws -> StepResult {
        let step = optimizer.stepsTaken
        let expectedShards = settings.deterministicShards.map { $0 / communicator.size } ?? 1
        precondition(shards.count == expectedShards, "DataParallelTrainer.step: \(shards.count) shards, expected \(expectedShards)")
        let lossSum: Double, correct: Int
        if settings.deterministicShards == nil {
            (lossSum, correct) = try bucketedGradient(shards[0], step: step)
        } else {
            (lossSum, correct) = try orderedGradient(shards, step: step)
        }
        guard lossSum.isFinite else { throw TrainingError.nonFinite(step: step, quantity: "loss") }
        let scale = 1 / Scalar(globalBatch)
        var finite = true
        for i in gradients.indices {
            gradients[i] *= scale
            finite = finite && gradients[i].isFinite
        }
        guard finite else { throw TrainingError.nonFinite(step: step, quantity: "gradient") }
        let rate = settings.schedule.rate(atStep: step)
        network.parameters.withUnsafeMutableBufferPointer { p in
            optimizer.update(parameters: p, gradients: UnsafeBufferPointer(gradients), learningRate: rate)
        }
        return StepResult(lossSum: lossSum, correct: correct, learningRate: rate)
    }

    /// Σ loss and correct count of `batch` on this rank alone, without gradients (validation, prediction).
    public func evaluate(_ batch: LocalBatch<Scalar>) -> LossValue {
        let n = batch.sampleIDs.count
        guard n > 0 else { return LossValue(sum: 0, correct: 0) }
        let pass = Pass(training: false, seed: settings.seed, step: optimizer.stepsTaken, sampleIDs: batch.sampleIDs)
        forwardLoss(batch, pass: pass)
        return lossValue(batch)
    }

    // MARK: Gradient sums

    /// Forward, loss and backward of one batch, the buckets' allreduce started as backward
    /// reaches them; returns the global loss sum and correct count.
    private func bucketedGradient(_ batch: LocalBatch<Scalar>, step: Int) throws -> (Double, Int) {
        let value = localGradient(batch, step: step, into: gradients, startingBuckets: true)
        try startRemainingBuckets(from: 0, into: &pending)
        try pending.waitAll()
        var totals = [value.sum, Double(value.correct)]
        try communicator.allreduce(&totals, .sum)
        return (totals[0], Int(totals[1]))
    }

    /// Each local shard's gradient separately, all shards gathered on every rank and added in
    /// shard order, so the sum does not depend on the number of ranks.
    private func orderedGradient(_ shards: [LocalBatch<Scalar>], step: Int) throws -> (Double, Int) {
        let p = network.parameterCount, local = shards.count
        var mine = [Scalar](repeating: 0, count: local * p)
        var values = [Double](repeating: 0, count: 2 * local)
        mine.withUnsafeMutableBufferPointer { m in
            for (k, shard) in shards.enumerated() {
                let value = localGradient(shard, step: step, into: UnsafeMutableBufferPointer(rebasing: m[(k * p)..<((k + 1) * p)]),
                                          startingBuckets: false)
                values[2 * k] = value.sum
                values[2 * k + 1] = Double(value.correct)
            }
        }
        let totals = try mine.withUnsafeBufferPointer { (m) throws(MPIError) in
            try ShardOrderedSum.sum(m, values: values, width: p, into: gradients, communicator: communicator)
        }
        return (totals[0], Int(totals[1]))
    }

    /// Requests of buckets started during the current backward pass.
    private var pending = RequestList()
    /// Buckets started during the current backward pass.
    private var bucketsStarted = 0

    /// Forward, loss and backward of one local batch into `target`, micro-batch by micro-batch
    /// (gradients accumulated; buckets start during the last one's backward); returns this rank's loss value.
    private func localGradient(_ batch: LocalBatch<Scalar>, step: Int, into target: UnsafeMutableBufferPointer<Scalar>,
                               startingBuckets: Bool) -> LossValue {
        let n = batch.sampleIDs.count, width = network.outputSize, size = network.inputSize
        precondition(n > 0, "DataParallelTrainer: an empty local batch")
        let targetWidth = batch.targets.count / n
        var total = LossValue(sum: 0, correct: 0)
        let chunk = settings.microBatch > 0 ? settings.microBatch : n
        for start in stride(from: 0, to: n, by: chunk) {
            let end = min(n, start + chunk), m = end - start
            let part = start == 0 && end == n ? batch
                : LocalBatch(inputs: Array(batch.inputs[(start * size)..<(end * size)]),
                             targets: Array(batch.targets[(start * targetWidth)..<(end * targetWidth)]),
                             sampleIDs: Array(batch.sampleIDs[start..<end]))
            let pass = Pass(training: true, seed: settings.seed, step: step, sampleIDs: part.sampleIDs)
            forwardLoss(part, pass: pass)
            let value = lossValue(part)
            total.sum += value.sum
            total.correct += value.correct
            let last = end == n
            bucketsStarted = 0
            network.backward(UnsafeBufferPointer(rebasing: outputGradient[0..<(m * width)]), pass: pass, gradients: target,
                             accumulate: start > 0) { layer in
                guard startingBuckets && last else { return }
                // A bucket that fails to start is started again, and its error thrown, by bucketedGradient.
                try? startRemainingBuckets(from: network.parameterRanges[layer].lowerBound, into: &pending)
            }
        }
        return total
    }

    /// Starts the allreduce of every bucket not yet started whose parameters all lie at or after `offset`.
    private func startRemainingBuckets(from offset: Int, into requests: inout RequestList) throws(MPIError) {
        while bucketsStarted < buckets.count, buckets[bucketsStarted].lowerBound >= offset {
            let range = buckets[bucketsStarted]
            requests.append(try communicator.startAllreduce(UnsafeMutableBufferPointer(rebasing: gradients[range]), .sum))
            bucketsStarted += 1
        }
    }

    /// The loss of the last forward pass against `batch`'s targets, and ∂(Σ loss)/∂outputs.
    private func lossValue(_ batch: LocalBatch<Scalar>) -> LossValue {
        let n = batch.sampleIDs.count, width = network.outputSize
        if let objective {
            let sum = batch.targets.withUnsafeBufferPointer { t in
                objective(UnsafeBufferPointer(rebasing: outputs[0..<(n * width)]), t, n,
                          UnsafeMutableBufferPointer(rebasing: outputGradient[0..<(n * width)]))
            }
            return LossValue(sum: sum, correct: 0)
        }
        return batch.targets.withUnsafeBufferPointer { t in
            settings.loss.evaluate(outputs: UnsafeBufferPointer(rebasing: outputs[0..<(n * width)]), targets: t, batch: n,
                                   width: width, gradient: UnsafeMutableBufferPointer(rebasing: outputGradient[0..<(n * width)]))
        }
    }

    /// Runs the network on `batch` into `outputs`.
    private func forwardLoss(_ batch: LocalBatch<Scalar>, pass: Pass) {
        let n = batch.sampleIDs.count, width = network.outputSize
        precondition(batch.inputs.count == n * network.inputSize, "LocalBatch: \(batch.inputs.count) inputs for \(n) samples")
        if outputs.count < n * width {
            outputs.deallocate()
            outputGradient.deallocate()
            outputs = .allocate(capacity: n * width)
            outputs.initialize(repeating: 0)
            outputGradient = .allocate(capacity: n * width)
            outputGradient.initialize(repeating: 0)
        }
        batch.inputs.withUnsafeBufferPointer { x in
            network.forward(x, batch: n, pass: pass, output: UnsafeMutableBufferPointer(rebasing: outputs[0..<(n * width)]))
        }
    }
}
