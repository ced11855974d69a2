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

/// The training checkpoint: a small serial HDF5 file beside the run's `.partial` file, written by
/// rank 0 to a temporary name and renamed, so a crash leaves the previous checkpoint or the new
/// one, never half of one. Every rank reads it on resume (the parameters are the same everywhere).
struct TrainingCheckpoint {
    let path: String

    init(output: String) { path = output + ".checkpoint" }

    /// Writes every model's progress; call on rank 0 only.
    func write<Scalar: NetworkScalar & StorableScalar>(_ progress: [String: ModelProgress<Scalar>]) throws {
        let temporary = path + ".tmp"
        unlink(temporary)
        let file = try File.create(temporary, communicator: nil)
        let root = try file.root()
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
        try file.close()
        guard rename(temporary, path) == 0 else {
            throw JobError(file: path, "cannot write the checkpoint: \(String(cString: strerror(errno)))")
        }
    }

    /// Every model's progress, or an empty dictionary when no checkpoint was written yet.
    func read<Scalar: NetworkScalar & StorableScalar>(_: Scalar.Type) throws -> [String: ModelProgress<Scalar>] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        let file = try File.open(path, communicator: nil)
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
    func remove() { unlink(path); unlink(path + ".tmp") }
}
