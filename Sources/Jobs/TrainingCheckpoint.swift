import Foundation
import Learning
import Store

/// Where one model's training stands: enough to continue it bit for bit.
struct ModelProgress<Scalar: NetworkScalar & StorableScalar> {
    var parameters: [Scalar]
    var optimizerState: [Scalar]
    var stepsTaken: Int
    /// One row per finished epoch, `TrainRun.metricColumns`.
    var metrics: [[Double]]
    /// Σ loss, Σ correct and samples of the epoch in progress.
    var epochSums: [Double]
    var finished: Bool
}

/// The training checkpoint (a `CheckpointFile`): every model's progress, so a resumed run continues
/// bit for bit. Every rank reads it on resume (the parameters are the same everywhere).
struct TrainingCheckpoint {
    let file: CheckpointFile

    init(output: String) { file = CheckpointFile(output: output) }

    /// Where it is written.
    var path: String { file.path }

    /// Writes every model's progress; call on rank 0 only.
    func write<Scalar: NetworkScalar & StorableScalar>(_ progress: [String: ModelProgress<Scalar>]) throws {
        try file.replace { root in
            for (name, state) in progress.sorted(by: { $0.key < $1.key }) {
                let group = try root.createGroup(name)
                try group.createDataset("parameters", of: Scalar.self, shape: [state.parameters.count]).writeFromRoot(state.parameters)
                try group.createDataset("optimizer_state", of: Scalar.self, shape: [state.optimizerState.count]).writeFromRoot(state.optimizerState)
                try group.createDataset("metrics", of: Double.self, shape: [state.metrics.count, TrainRun.metricColumns.count])
                    .writeFromRoot(state.metrics.flatMap { $0 })
                try group.setAttribute("steps_taken", Int64(state.stepsTaken))
                try group.setAttribute("epoch_sums", state.epochSums)
                try group.setAttribute("finished", state.finished)
            }
        }
    }

    /// Every model's progress, or an empty dictionary when no checkpoint was written yet.
    func read<Scalar: NetworkScalar & StorableScalar>(_: Scalar.Type) throws -> [String: ModelProgress<Scalar>] {
        guard file.exists else { return [:] }
        let file = try self.file.open()
        defer { try? file.close() }
        let root = try file.root()
        var progress: [String: ModelProgress<Scalar>] = [:]
        for (name, kind) in try root.members() where kind == .group {
            let group = try root.openGroup(name)
            let flat = try group.openDataset("metrics").readAll(Double.self)
            let width = TrainRun.metricColumns.count
            guard case let .integer(steps) = try group.attribute("steps_taken"),
                  case let .reals(sums) = try group.attribute("epoch_sums"),
                  case let .boolean(finished) = try group.attribute("finished") else {
                throw JobError(file: path, "is not a training checkpoint of this build (model \(name))")
            }
            progress[name] = ModelProgress(
                parameters: try group.openDataset("parameters").readAll(Scalar.self),
                optimizerState: try group.openDataset("optimizer_state").readAll(Scalar.self),
                stepsTaken: Int(steps),
                metrics: stride(from: 0, to: flat.count, by: width).map { Array(flat[$0..<($0 + width)]) },
                epochSums: sums, finished: finished)
        }
        return progress
    }

    /// Removes the checkpoint (after the result is complete, or when starting over).
    func remove() { file.remove() }
}
