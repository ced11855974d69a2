import Cluster
import Foundation
import Learning
import Logging
import Numerics
import Store

/// A training run: for each model, epochs of data-parallel steps with checkpoints, then
/// predictions on every point of the data and the estimate they give.
struct TrainRun {
    let job: TrainJob
    let context: RunContext

    /// The columns of a model's metrics, one row per epoch.
    static let metricColumns = ["epoch", "steps", "learning_rate", "train_loss", "train_accuracy",
                                "validation_loss", "validation_accuracy", "seconds"]

    var communicator: Communicator { context.communicator }
    var logger: Logger { context.logger }

    func run() throws -> RunOutcome {
        job.precision == .float64 ? try run(Double.self) : try run(Float.self)
    }

    private func run<Scalar: NetworkScalar & StorableScalar>(_: Scalar.Type) throws -> RunOutcome {
        let data = try TrainingData(paths: job.data.files, parameter: job.data.parameter, job: "data")
        let split = try TrainingSplit(job: job, data: data, file: "data")
        var progress: [String: ModelProgress<Scalar>] = [:]
        if let resumed = context.resumed {
            try resumed.requireVersion(TrainingCheckpoint.version)
            progress = try TrainingCheckpoint.read(resumed.contents, job: job, as: Scalar.self)
        }
        let normalization = try self.normalization(data: data, split: split)
        for (index, name) in job.modelNames.enumerated() where progress[name]?.finished != true {
            let trainer = try makeTrainer(Scalar.self, model: name, index: index, extents: data.extents,
                                          stepsPerEpoch: split.training.count / job.training.batch)
            if let state = progress[name] {
                trainer.network.parameters = state.parameters
                trainer.optimizer.state = state.optimizerState
                trainer.optimizer.stepsTaken = state.stepsTaken
                logger.info("model \(name): resuming at step \(state.stepsTaken)")
            } else {
                progress[name] = ModelProgress(parameters: trainer.network.parameters, optimizerState: trainer.optimizer.state,
                                               stepsTaken: 0, metrics: [], epochSums: [0, 0, 0], finished: false)
            }
            let stopped = try train(trainer, model: name, index: index, data: data, split: split, normalization: normalization,
                                    progress: &progress)
            if stopped { return .interrupted(atStep: progress[name]!.stepsTaken) }
        }
        try TrainResults(job: job, context: context, data: data, split: split, normalization: normalization)
            .write(Scalar.self, progress: progress)
        return .completed
    }

    /// The network, its trainer and rank 0's initial weights on every rank.
    private func makeTrainer<Scalar: NetworkScalar>(_: Scalar.Type, model: String, index: Int, extents: [Int],
                                                    stepsPerEpoch: Int) throws -> DataParallelTrainer<Scalar> {
        let network = try Network<Scalar>(inputShape: [1] + extents, specifications: job.layers(of: model))
        network.initializeParameters(seed: modelSeed(index))
        let trainer = DataParallelTrainer(network: network, settings: job.settings(stepsPerEpoch: stepsPerEpoch, model: model),
                                          communicator: communicator)
        try trainer.synchronizeParameters()
        return trainer
    }

    /// Each model's own seed, so two models of one job start from different weights and orders.
    func modelSeed(_ index: Int) -> UInt64 { job.seed &+ UInt64(index) }

    /// The input normalisation: none; the training set's mean and 1/standard deviation, computed by
    /// rank 0 from every training sample and broadcast, so all ranks use the same values; or each
    /// configuration scaled by its own root mean square.
    private func normalization(data: TrainingData, split: TrainingSplit) throws -> InputNormalization {
        switch job.data.normalization ?? .none {
        case .perSample: return InputNormalization(shift: 0, scale: 1, perSampleRMS: true)
        case .standardize: break
        case .none: return .identity
        }
        var moments = [0.0, 0.0]
        if communicator.isRoot {
            var sum = 0.0, squares = 0.0
            var inputs: [Double] = []
            for start in stride(from: 0, to: split.training.count, by: 1024) {
                try data.read(Array(split.training[start..<min(start + 1024, split.training.count)]), into: &inputs)
                for x in inputs { sum += x; squares += x * x }
            }
            let n = Double(split.training.count * data.sites)
            let mean = sum / n, variance = max(squares / n - mean * mean, 1e-300)
            moments = [mean, 1 / variance.squareRoot()]
        }
        moments = try communicator.broadcast(moments)
        return InputNormalization(shift: moments[0], scale: moments[1], perSampleRMS: false)
    }

    // MARK: Training

    /// Trains one model to the end of its epochs or to a stop; returns true if stopped (checkpointed).
    private func train<Scalar: NetworkScalar & StorableScalar>(
        _ trainer: DataParallelTrainer<Scalar>, model: String, index: Int, data: TrainingData, split: TrainingSplit,
        normalization: InputNormalization, progress: inout [String: ModelProgress<Scalar>]
    ) throws -> Bool {
        let ranks = communicator.size, rank = communicator.rank.index
        let batch = job.training.batch, sites = data.sites
        let sampler = EpochSampler(sampleCount: split.training.count, globalBatch: batch, seed: modelSeed(index))
        let shards = trainer.settings.deterministicShards ?? ranks
        let localShards = Array(stride(from: rank, to: shards, by: ranks))
        let loss = trainer.settings.loss, targetWidth = loss.targetWidth(outputWidth: trainer.network.outputSize)
        let augmentation = job.augmentation
        let total = job.training.epochs * sampler.stepsPerEpoch
        var state = progress[model]!
        var verifiedSteps = 0
        let progressBar = Progress(label: "model \(model)", total: total, unit: "steps", startingAt: state.stepsTaken,
                                   enabled: communicator.isRoot, logger: logger)
        while state.stepsTaken < total {
            let epoch = state.stepsTaken / sampler.stepsPerEpoch
            let epochStart = MPIEnvironment.wallTime()
            let permutation = sampler.permutation(epoch: epoch)
            // This rank's samples for the whole epoch: read once, indexed by training-set position.
            let mine = sampler.indices(of: permutation, rank: rank, ranks: ranks)
            var inputs: [Scalar] = []
            try data.read(mine.map { split.training[$0] }, into: &inputs, normalization: normalization)
            let row = Dictionary(uniqueKeysWithValues: mine.enumerated().map { ($1, $0) })
            for step in (state.stepsTaken % sampler.stepsPerEpoch)..<sampler.stepsPerEpoch {
                let globalStep = state.stepsTaken
                let batches = localShards.map { shard -> LocalBatch<Scalar> in
                    let positions = sampler.batch(step: step, of: permutation, shard: shard, shards: shards)
                    var x = [Scalar](repeating: 0, count: positions.count * sites)
                    var targets = [Scalar](repeating: 0, count: positions.count * targetWidth)
                    let ids = positions.map { split.training[$0] }
                    for (k, position) in positions.enumerated() {
                        let r = row[position]!
                        for s in 0..<sites { x[k * sites + s] = inputs[r * sites + s] }
                        fillTarget(&targets, at: k * targetWidth, width: targetWidth, parameter: data.parameter(of: ids[k]))
                    }
                    augmentation.apply(to: &x, shape: [1] + data.extents, sampleIDs: ids, seed: job.seed, step: globalStep)
                    return LocalBatch(inputs: x, targets: targets, sampleIDs: ids)
                }
                let result: StepResult
                do {
                    result = try trainer.step(batches, globalBatch: batch)
                } catch let error as TrainingError {
                    let kept = context.checkpoints.written > 0 || context.resuming
                        ? "The last good checkpoint is \(context.paths.checkpoint); lower the learning rate and start over" : "Lower the learning rate and start over"
                    throw RunFailure("model \(model): training stopped: \(error.description). \(kept)")
                }
                state.stepsTaken = trainer.stepsTaken
                if job.verifyEvery > 0, state.stepsTaken % job.verifyEvery == 0 {
                    guard try trainer.parametersAgree() else {
                        throw RunFailure("model \(model): the ranks' parameters differ after step \(state.stepsTaken): "
                                         + "the allreduce did not give every rank the same sum (MPI library or network fault)")
                    }
                    verifiedSteps += 1
                }
                state.epochSums[0] += result.lossSum
                state.epochSums[1] += Double(result.correct)
                state.epochSums[2] += Double(batch)
                if step == sampler.stepsPerEpoch - 1 {
                    let (validationLoss, validationAccuracy) = try validate(trainer, data: data, split: split, normalization: normalization)
                    let n = state.epochSums[2]
                    state.metrics.append([Double(epoch + 1), Double(state.stepsTaken), result.learningRate, state.epochSums[0] / n,
                                          loss == .meanSquaredError ? .nan : state.epochSums[1] / n, validationLoss, validationAccuracy,
                                          MPIEnvironment.wallTime() - epochStart])
                    state.epochSums = [0, 0, 0]
                    if communicator.isRoot {
                        logger.info("model \(model) epoch \(epoch + 1): train loss \(fmt(state.metrics.last![3])) accuracy \(fmt(state.metrics.last![4])), validation loss \(fmt(validationLoss)) accuracy \(fmt(validationAccuracy))")
                    }
                }
                state.parameters = trainer.network.parameters
                state.optimizerState = trainer.optimizer.state
                state.finished = state.stepsTaken == total
                progress[model] = state
                progressBar.update(state.stepsTaken)
                // The stop vote every step, so a signal is answered within one step, with a checkpoint.
                let due = state.stepsTaken % job.checkpointEvery == 0 && !state.finished
                var stop = try communicator.agreeToStop()
                if due || stop {
                    let snapshot = progress
                    let steps = snapshot.values.reduce(0) { $0 + $1.stepsTaken }
                    let written = try context.saveCheckpoint(step: steps, unit: "step", version: TrainingCheckpoint.version) { state in
                        try TrainingCheckpoint.put(snapshot, into: state)
                    }
                    stop = try context.shouldStop(afterCheckpoint: written)
                }
                if stop {
                    logger.notice("stopping model \(model) at step \(state.stepsTaken) of \(total); continue with --resume")
                    return true
                }
            }
        }
        progress[model] = state
        if communicator.isRoot, job.verifyEvery > 0 {
            logger.info("model \(model): parameters bit-identical on all \(ranks) ranks at each of \(verifiedSteps) check(s)")
        }
        return false
    }

    /// Writes the target of one sample: its class index, 0/1 class, or the parameter itself.
    private func fillTarget<Scalar: NetworkScalar>(_ targets: inout [Scalar], at offset: Int, width: Int, parameter: Double) {
        switch job.labelKind {
        case .phase: targets[offset] = Scalar(job.phaseClass(of: parameter))
        case .parameter: for k in 0..<width { targets[offset + k] = Scalar(parameter) }
        }
    }

    /// Mean loss and accuracy over the validation samples, each rank evaluating an even share. Collective.
    private func validate<Scalar: NetworkScalar & StorableScalar>(
        _ trainer: DataParallelTrainer<Scalar>, data: TrainingData, split: TrainingSplit, normalization: InputNormalization
    ) throws -> (Double, Double) {
        let share = communicator.share(of: split.validation.count)
        let width = trainer.settings.loss.targetWidth(outputWidth: trainer.network.outputSize)
        var sums = [0.0, 0.0]
        var inputs: [Scalar] = []
        for start in stride(from: share.lowerBound, to: share.upperBound, by: 256) {
            let ids = Array(split.validation[start..<min(start + 256, share.upperBound)])
            try data.read(ids, into: &inputs, normalization: normalization)
            var targets = [Scalar](repeating: 0, count: ids.count * width)
            for (k, id) in ids.enumerated() {
                fillTarget(&targets, at: k * width, width: width, parameter: data.parameter(of: id))
            }
            let value = trainer.evaluate(LocalBatch(inputs: inputs, targets: targets, sampleIDs: ids))
            sums[0] += value.sum
            sums[1] += Double(value.correct)
        }
        try communicator.allreduce(&sums, .sum)
        let n = Double(split.validation.count)
        guard n > 0 else { return (.nan, .nan) }
        return (sums[0] / n, trainer.settings.loss == .meanSquaredError ? .nan : sums[1] / n)
    }
}

/// A number for a log line.
func fmt(_ x: Double) -> String { x.isNaN ? "–" : String(format: "%.4f", x) }
