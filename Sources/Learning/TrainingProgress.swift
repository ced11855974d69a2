/// Sums over the steps of the epoch in progress, from which its metrics row is made.
public struct EpochTotals: Sendable, Equatable {
    /// Σ loss over the epoch's samples so far.
    public var lossSum: Double
    /// Samples classified correctly so far (0 for a regression loss).
    public var correct: Double
    /// Samples seen so far.
    public var samples: Double

    /// Totals of `samples` samples with `lossSum` and `correct`; all zero at an epoch's start.
    public init(lossSum: Double = 0, correct: Double = 0, samples: Double = 0) {
        self.lossSum = lossSum
        self.correct = correct
        self.samples = samples
    }
}

/// The columns of a training run's metrics, one row per finished epoch.
public enum TrainingMetrics {
    /// The names of a row's columns, in order.
    public static let columns = ["epoch", "steps", "learning_rate", "train_loss", "train_accuracy",
                                 "validation_loss", "validation_accuracy", "seconds"]
}

/// Where one model's training stands: enough to continue it bit for bit.
public struct TrainingProgress<Scalar: NetworkScalar>: Sendable {
    /// The network's parameters.
    public var parameters: [Scalar]
    /// The optimiser's moments.
    public var optimizerState: [Scalar]
    /// Optimiser steps taken so far.
    public var stepsTaken: Int
    /// One row per finished epoch, `TrainingMetrics.columns`.
    public var metrics: [[Double]]
    /// The sums of the epoch in progress.
    public var epochTotals: EpochTotals
    /// Whether every epoch is done.
    public var finished: Bool

    /// Progress with every field given, e.g. as read back from a checkpoint.
    public init(parameters: [Scalar], optimizerState: [Scalar], stepsTaken: Int, metrics: [[Double]],
                epochTotals: EpochTotals, finished: Bool) {
        self.parameters = parameters
        self.optimizerState = optimizerState
        self.stepsTaken = stepsTaken
        self.metrics = metrics
        self.epochTotals = epochTotals
        self.finished = finished
    }

    /// A model about to take its first step.
    public init(start trainer: DataParallelTrainer<Scalar>) {
        self.init(parameters: trainer.network.parameters, optimizerState: trainer.optimizer.state, stepsTaken: 0,
                  metrics: [], epochTotals: EpochTotals(), finished: false)
    }

    /// Puts this progress into `trainer`, so that its next step is the one after `stepsTaken`.
    public func restore(into trainer: DataParallelTrainer<Scalar>) {
        trainer.network.parameters = parameters
        trainer.optimizer.state = optimizerState
        trainer.optimizer.stepsTaken = stepsTaken
    }
}
