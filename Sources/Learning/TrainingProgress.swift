/// Where one model's training stands: enough to continue it bit for bit.
public struct TrainingProgress<Scalar: NetworkScalar>: Sendable {
    /// The names of a metrics row's columns, one row per finished epoch.
    public static var metricColumns: [String] {
        ["epoch", "steps", "learning_rate", "train_loss", "train_accuracy",
         "validation_loss", "validation_accuracy", "seconds"]
    }

    /// The network's parameters.
    public var parameters: [Scalar]
    /// The optimiser's moments.
    public var optimizerState: [Scalar]
    /// Optimiser steps taken so far.
    public var stepsTaken: Int
    /// One row per finished epoch, `metricColumns`.
    public var metrics: [[Double]]
    /// Σ loss, Σ correct and samples of the epoch in progress.
    public var epochSums: [Double]
    /// Whether every epoch is done.
    public var finished: Bool

    /// Progress with every field given, e.g. as read back from a checkpoint.
    public init(parameters: [Scalar], optimizerState: [Scalar], stepsTaken: Int, metrics: [[Double]],
                epochSums: [Double], finished: Bool) {
        self.parameters = parameters
        self.optimizerState = optimizerState
        self.stepsTaken = stepsTaken
        self.metrics = metrics
        self.epochSums = epochSums
        self.finished = finished
    }

    /// A model about to take its first step.
    public init(start trainer: DataParallelTrainer<Scalar>) {
        self.init(parameters: trainer.network.parameters, optimizerState: trainer.optimizer.state, stepsTaken: 0,
                  metrics: [], epochSums: [0, 0, 0], finished: false)
    }

    /// Puts this progress into `trainer`, so that its next step is the one after `stepsTaken`.
    public func restore(into trainer: DataParallelTrainer<Scalar>) {
        trainer.network.parameters = parameters
        trainer.optimizer.state = optimizerState
        trainer.optimizer.stepsTaken = stepsTaken
    }
}
