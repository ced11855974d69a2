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

    var communicator: Communicator { context.communicator }
    var logger: Logger { context.logger }

    func run() throws -> RunOutcome {
        job.precision == .float64 ? try run(Double.self) : try run(Float.self)
    }

    private func run<Scalar: NetworkScalar & StorableScalar>(_: Scalar.Type) throws -> RunOutcome {
        let data = try TrainingData(paths: job.data.files, parameter: job.data.parameter, job: "data")
        let split = try TrainingSplit(job: job, data: data, file: "data")
        var progress: [String: TrainingProgress<Scalar>] = [:]
        if let resumed = context.resumed {
            try resumed.requireVersion(TrainingCheckpoint.version)
            progress = try TrainingCheckpoint.read(resumed.contents, job: job, as: Scalar.self)
        }
        let normalization = try self.normalization(data: data, split: split)
        for (index, name) in job.modelNames.enumerated() where progress[name]?.finished != true {
            let trainer = try makeTrainer(Scalar.self, model: name, index: index, extents: data.extents,
                                          stepsPerEpoch: split.training.count / job.training.batch)
            if let state = progress[name] {
                state.restore(into: trainer)
                logger.info("model \(name): resuming at step \(state.stepsTaken)")
            } else {
                progress[name] = TrainingProgress(start: trainer)
            }
            let samples = TrainingSamples<Scalar>(job: job, data: data, split: split, normalization: normalization)
            let stopped = try train(trainer, model: name, index: index, samples: samples, progress: &progress)
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
        _ trainer: DataParallelTrainer<Scalar>, model: String, index: Int, samples: TrainingSamples<Scalar>,
        progress: inout [String: TrainingProgress<Scalar>]
    ) throws -> Bool {
        let plan = TrainingLoop<TrainingSamples<Scalar>>.Plan(
            epochs: job.training.epochs, globalBatch: job.training.batch, orderSeed: modelSeed(index),
            augmentation: job.augmentation, augmentationSeed: job.seed, verifyEvery: job.verifyEvery)
        let loop = TrainingLoop(trainer: trainer, source: samples, plan: plan)
        let total = loop.totalSteps
        var state = progress[model]!
        let progressBar = Progress(label: "model \(model)", total: total, unit: "steps", startingAt: state.stepsTaken,
                                   every: context.options.progressInterval, enabled: communicator.isRoot, logger: logger)
        let stopped: Bool
        do {
            stopped = try loop.run(&state, afterEpoch: { row in
                if communicator.isRoot {
                    logger.info("model \(model) epoch \(Int(row[0])): train loss \(fmt(row[3])) accuracy \(fmt(row[4])), validation loss \(fmt(row[5])) accuracy \(fmt(row[6]))")
                }
            }, afterStep: { state in
                progress[model] = state
                progressBar.update(state.stepsTaken)
                return try checkpointAndVote(progress, due: state.stepsTaken % job.checkpointEvery == 0 && !state.finished)
            })
        } catch let error as TrainingError {
            if case .ranksDisagree = error { throw RunFailure("model \(model): \(error.description)") }
            let kept = context.checkpoints.written > 0 || context.resuming
                ? "The last good checkpoint is \(context.paths.checkpoint); lower the learning rate and start over" : "Lower the learning rate and start over"
            throw RunFailure("model \(model): training stopped: \(error.description). \(kept)")
        }
        if stopped {
            logger.notice("stopping model \(model) at step \(state.stepsTaken) of \(total); continue with --resume")
            return true
        }
        progress[model] = state
        if communicator.isRoot, job.verifyEvery > 0 {
            logger.info("model \(model): parameters bit-identical on all \(communicator.size) ranks at each of \(loop.verifiedSteps) check(s)")
        }
        return false
    }

    /// The stop vote, taken every step so a signal is answered within one step, and a checkpoint of
    /// every model when one is `due` or the ranks vote to stop; true to stop. Collective.
    private func checkpointAndVote<Scalar: NetworkScalar & StorableScalar>(
        _ progress: [String: TrainingProgress<Scalar>], due: Bool
    ) throws -> Bool {
        var stop = try communicator.agreeToStop()
        if due || stop {
            let steps = progress.values.reduce(0) { $0 + $1.stepsTaken }
            let written = try context.saveCheckpoint(step: steps, unit: "step", version: TrainingCheckpoint.version) { state in
                try TrainingCheckpoint.put(progress, into: state)
            }
            stop = try context.shouldStop(afterCheckpoint: written)
        }
        return stop
    }
}

/// A number for a log line.
func fmt(_ x: Double) -> String { x.isNaN ? "–" : String(format: "%.4f", x) }
