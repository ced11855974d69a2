import Cluster

/// Epochs of data-parallel steps over a sample source: each rank reads only its share of each
/// epoch, steps the trainer, checks that the ranks agree, and validates at each epoch's end. The
/// caller decides, after every step, whether to checkpoint and stop.
public final class TrainingLoop<Source: SampleSource> {
    /// The element type of the network.
    public typealias Scalar = Source.Scalar

    /// What the loop runs, fixed for the whole training.
    public struct Plan: Sendable {
        /// Epochs to train.
        public var epochs: Int
        /// Samples per step, over all ranks.
        public var globalBatch: Int
        /// The seed of the epoch permutations.
        public var orderSeed: UInt64
        /// The symmetry transformations applied to each training input.
        public var augmentation: SymmetryAugmentation
        /// The seed of the augmentation draws.
        public var augmentationSeed: UInt64
        /// Check every this many steps that the ranks hold identical parameters (0: never).
        public var verifyEvery: Int

        /// A plan with every field given.
        public init(epochs: Int, globalBatch: Int, orderSeed: UInt64, augmentation: SymmetryAugmentation,
                    augmentationSeed: UInt64, verifyEvery: Int) {
            self.epochs = epochs
            self.globalBatch = globalBatch
            self.orderSeed = orderSeed
            self.augmentation = augmentation
            self.augmentationSeed = augmentationSeed
            self.verifyEvery = verifyEvery
        }
    }

    /// The trainer whose network is trained.
    public let trainer: DataParallelTrainer<Scalar>
    /// Where the samples come from.
    public let source: Source
    /// Epochs, batch, seeds and checks.
    public let plan: Plan
    /// How many times the ranks' parameters were compared and found identical.
    public private(set) var verifiedSteps = 0

    private let sampler: EpochSampler
    private var communicator: Communicator { trainer.communicator }

    /// A loop training `trainer` on `source` as `plan` says; each epoch's sample order is drawn from `plan.orderSeed`.
    public init(trainer: DataParallelTrainer<Scalar>, source: Source, plan: Plan) {
        self.trainer = trainer
        self.source = source
        self.plan = plan
        sampler = EpochSampler(sampleCount: source.trainingCount, globalBatch: plan.globalBatch, seed: plan.orderSeed)
    }

    /// Steps in the whole training.
    public var totalSteps: Int { plan.epochs * sampler.stepsPerEpoch }

    /// Trains from `progress` (already restored into the trainer) to the last step or until
    /// `afterStep` returns true; returns whether it stopped early. `afterEpoch` sees each epoch's
    /// metrics row. Collective: `afterStep` must return the same on every rank.
    public func run(_ progress: inout TrainingProgress<Scalar>, afterEpoch: ([Double]) -> Void,
                    afterStep: (TrainingProgress<Scalar>) throws -> Bool) throws -> Bool {
        let ranks = communicator.size, rank = communicator.rank.index
        let shards = trainer.settings.deterministicShards ?? ranks
        let localShards = Array(stride(from: rank, to: shards, by: ranks))
        let total = totalSteps
        while progress.stepsTaken < total {
            let epoch = progress.stepsTaken / sampler.stepsPerEpoch
            let epochStart = MPIEnvironment.wallTime()
            let permutation = sampler.permutation(epoch: epoch)
            // This rank's samples for the whole epoch: read once, indexed by training-set position.
            let mine = sampler.indices(of: permutation, rank: rank, ranks: ranks)
            var inputs: [Scalar] = []
            try source.readInputs(mine.map { source.trainingID($0) }, into: &inputs)
            let row = Dictionary(uniqueKeysWithValues: mine.enumerated().map { ($1, $0) })
            for step in (progress.stepsTaken % sampler.stepsPerEpoch)..<sampler.stepsPerEpoch {
                let batches = localShards.map { shard in
                    batch(step: step, shard: shard, of: shards, permutation: permutation, inputs: inputs, row: row,
                          globalStep: progress.stepsTaken)
                }
                let result = try trainer.step(batches, globalBatch: plan.globalBatch)
                progress.stepsTaken = trainer.stepsTaken
                if plan.verifyEvery > 0, progress.stepsTaken % plan.verifyEvery == 0 {
                    guard try trainer.parametersAgree() else { throw TrainingError.ranksDisagree(step: progress.stepsTaken) }
                    verifiedSteps += 1
                }
                progress.epochTotals.lossSum += result.lossSum
                progress.epochTotals.correct += Double(result.correct)
                progress.epochTotals.samples += Double(plan.globalBatch)
                if step == sampler.stepsPerEpoch - 1 {
                    let (validationLoss, validationAccuracy) = try validate()
                    let n = progress.epochTotals.samples
                    let classifies = trainer.settings.loss != .meanSquaredError
                    progress.metrics.append([Double(epoch + 1), Double(progress.stepsTaken), result.learningRate,
                                             progress.epochTotals.lossSum / n, classifies ? progress.epochTotals.correct / n : .nan,
                                             validationLoss, validationAccuracy, MPIEnvironment.wallTime() - epochStart])
                    progress.epochTotals = EpochTotals()
                    afterEpoch(progress.metrics.last!)
                }
                progress.parameters = trainer.network.parameters
                progress.optimizerState = trainer.optimizer.state
                progress.finished = progress.stepsTaken == total
                if try afterStep(progress) { return true }
            }
        }
        return false
    }

    /// One shard of a step's global batch, from this rank's inputs of the epoch, augmented.
    private func batch(step: Int, shard: Int, of shards: Int, permutation: [Int], inputs: [Scalar], row: [Int: Int],
                       globalStep: Int) -> LocalBatch<Scalar> {
        let sites = source.sampleShape.reduce(1, *)
        let width = trainer.settings.loss.targetWidth(outputWidth: trainer.network.outputSize)
        let positions = sampler.batch(step: step, of: permutation, shard: shard, shards: shards)
        var x = [Scalar](repeating: 0, count: positions.count * sites)
        var targets = [Scalar](repeating: 0, count: positions.count * width)
        let ids = positions.map { source.trainingID($0) }
        for (k, position) in positions.enumerated() {
            let r = row[position]!
            for s in 0..<sites { x[k * sites + s] = inputs[r * sites + s] }
            source.writeTarget(of: ids[k], into: &targets, at: k * width, width: width)
        }
        plan.augmentation.apply(to: &x, shape: source.sampleShape, sampleIDs: ids, seed: plan.augmentationSeed, step: globalStep)
        return LocalBatch(inputs: x, targets: targets, sampleIDs: ids)
    }

    /// Mean loss and accuracy over the validation samples, each rank evaluating an even share;
    /// NaN accuracy for a regression loss. Collective.
    public func validate() throws -> (loss: Double, accuracy: Double) {
        let share = communicator.share(of: source.validationCount)
        let width = trainer.settings.loss.targetWidth(outputWidth: trainer.network.outputSize)
        var sums = [0.0, 0.0]
        var inputs: [Scalar] = []
        for start in stride(from: share.lowerBound, to: share.upperBound, by: 256) {
            let ids = (start..<min(start + 256, share.upperBound)).map { source.validationID($0) }
            try source.readInputs(ids, into: &inputs)
            var targets = [Scalar](repeating: 0, count: ids.count * width)
            for (k, id) in ids.enumerated() { source.writeTarget(of: id, into: &targets, at: k * width, width: width) }
            let value = trainer.evaluate(LocalBatch(inputs: inputs, targets: targets, sampleIDs: ids))
            sums[0] += value.sum
            sums[1] += Double(value.correct)
        }
        try communicator.allreduce(&sums, .sum)
        let n = Double(source.validationCount)
        guard n > 0 else { return (.nan, .nan) }
        return (sums[0] / n, trainer.settings.loss == .meanSquaredError ? .nan : sums[1] / n)
    }
}
