import Cluster
import Foundation

/// A chain that can no longer go on (non-finite energies, say), raised by every rank alike after
/// `stepsDone` steps, whose state up to there is worth keeping: the loop records it, writes a
/// checkpoint there and ends the run with `message` (exit 1).
struct ChainDivergence: Error {
    let stepsDone: Int
    let message: String
}

/// The loop every Markov-chain kind runs: advance the chains, record what they measured, write a
/// checkpoint every `checkpointEvery` steps, and take the stop vote every `voteEvery` steps, so that
/// a signal (Slurm's warning, SIGTERM, Ctrl-C) is answered within a fraction of a second with a
/// checkpoint where the run stands. A resumed run continues from any step, aligned or not.
struct ChainLoop {
    let context: RunContext
    /// For the progress line, e.g. "ising".
    let label: String
    /// One step, e.g. "sweep".
    let unit: String
    let total: Int
    let checkpointEvery: Int
    let voteEvery: Int
    /// The version of the kind's checkpoint state.
    let stateVersion: Int

    /// Runs from step `start` to the end or to a stop. `advance` does the steps of a range and keeps
    /// what they measure; `record` writes that into the run file; `save` puts the kind's state into
    /// a checkpoint. Collective.
    func run(from start: Int, advance: (Range<Int>) throws -> Void, record: () throws -> Void,
             save: (CheckpointState) throws -> Void) throws -> RunOutcome {
        let communicator = context.communicator
        let progress = Progress(label: label, total: total, unit: unit + "s", startingAt: start, enabled: communicator.isRoot,
                                logger: context.logger)
        var done = start
        while done < total {
            let end = min(total, (done / checkpointEvery + 1) * checkpointEvery)
            var stopVoted = false
            do {
                while done < end {
                    let next = min(end, (done / voteEvery + 1) * voteEvery)
                    try advance(done..<next)
                    done = next
                    progress.update(done)
                    if done < end, try communicator.agreeToStop() {
                        stopVoted = true
                        break
                    }
                }
            } catch let divergence as ChainDivergence {
                try record()
                try context.saveCheckpoint(step: divergence.stepsDone, unit: unit, version: stateVersion, fill: save)
                throw RunFailure("\(divergence.message); a checkpoint at \(unit) \(divergence.stepsDone) is in \(context.paths.checkpoint)")
            }
            try record()
            let number = try context.saveCheckpoint(step: done, unit: unit, version: stateVersion, fill: save)
            if done < total, try stopVoted || context.shouldStop(afterCheckpoint: number) {
                context.logger.notice("stopping at \(unit) \(done) of \(total); continue with --resume")
                return .interrupted(atStep: done)
            }
        }
        return .completed
    }
}
