import Foundation
import Learning
import Store

/// Every model's progress in a checkpoint's state: per model NAME, the arrays NAME.parameters,
/// NAME.optimizer_state and NAME.metrics (the finished epochs' rows, `TrainingMetrics.columns`
/// each), the sums of the epoch in progress NAME.epoch_loss_sum, NAME.epoch_correct and
/// NAME.epoch_samples, and the numbers NAME.steps_taken and NAME.finished; the names of the models
/// begun in the text `models`. The parameters are the same on every rank, so rank 0's are written
/// and every rank reads them back.
enum TrainingCheckpoint {
    /// The version of this layout: 2 names the epoch's sums (1 had them as one positional array).
    static let version = 2

    /// Puts every model's progress. Collective.
    static func put<Scalar: NetworkScalar & StorableScalar>(_ progress: [String: TrainingProgress<Scalar>], into state: CheckpointState) throws {
        let names = progress.keys.sorted()
        try state.put("models", text: names.joined(separator: ","))
        for name in names {
            let model = progress[name]!
            try state.put(name + ".parameters", values: model.parameters)
            try state.put(name + ".optimizer_state", values: model.optimizerState)
            try state.put(name + ".metrics", values: model.metrics.flatMap { $0 })
            try state.put(name + ".epoch_loss_sum", model.epochTotals.lossSum)
            try state.put(name + ".epoch_correct", model.epochTotals.correct)
            try state.put(name + ".epoch_samples", model.epochTotals.samples)
            try state.put(name + ".steps_taken", model.stepsTaken)
            try state.put(name + ".finished", model.finished ? 1 : 0)
        }
    }

    /// Every model's progress in a verified checkpoint of `job`. Collective.
    static func read<Scalar: NetworkScalar & StorableScalar>(_ contents: CheckpointContents, job: TrainJob, as _: Scalar.Type) throws
        -> [String: TrainingProgress<Scalar>] {
        let text = try contents.text("models")
        var progress: [String: TrainingProgress<Scalar>] = [:]
        for name in text.split(separator: ",").map(String.init) {
            guard job.modelNames.contains(name) else { throw JobError(file: contents.path, "holds a model \"\(name)\" the job does not define") }
            let width = TrainingMetrics.columns.count
            let flat = try contents.values(name + ".metrics", as: Double.self)
            let steps = try contents.integer(name + ".steps_taken"), finished = try contents.integer(name + ".finished")
            let parameters = try contents.values(name + ".parameters", as: Scalar.self)
            guard flat.count % width == 0, steps >= 0, finished == 0 || finished == 1, parameters.allSatisfy({ $0.isFinite }) else {
                throw JobError(file: contents.path, "holds invalid progress for model \"\(name)\"")
            }
            progress[name] = TrainingProgress(
                parameters: parameters,
                optimizerState: try contents.values(name + ".optimizer_state", as: Scalar.self),
                stepsTaken: steps,
                metrics: stride(from: 0, to: flat.count, by: width).map { Array(flat[$0..<($0 + width)]) },
                epochTotals: EpochTotals(lossSum: try contents.real(name + ".epoch_loss_sum"), correct: try contents.real(name + ".epoch_correct"),
                                         samples: try contents.real(name + ".epoch_samples")),
                finished: finished == 1)
        }
        return progress
    }
}
