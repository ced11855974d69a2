import Cluster
import Foundation
import Logging
import Store

/// How a run ended.
public enum RunOutcome: Sendable, Equatable {
    /// The result file is complete and committed.
    case completed
    /// Stopped on a signal after a checkpoint; `--resume` continues it.
    case interrupted(atStep: Int)
}

/// The checkpoint a run resumed from, verified whole and matched to the job.
public struct ResumedCheckpoint {
    /// Its identity and position.
    public let header: CheckpointHeader
    /// The kind's state, for the kind to read back.
    public let contents: CheckpointContents
}

/// What a job's run needs from the app: the ranks, the run file and its ledger, the checkpoint it
/// resumed from, and the one way to write the next checkpoint.
public struct RunContext {
    /// The ranks running the job; every collective call goes through it.
    public let communicator: Communicator
    /// The `.partial` run file.
    public let file: File
    /// The root group of the `.partial` run file, where provenance and results go.
    public let root: Group
    /// The flags the run was started with.
    public let options: RunOptions
    /// The result, run-file, checkpoint and lock paths of this run.
    public let paths: RunPaths
    /// Where the run reports progress and problems.
    public let logger: Logger
    /// The datasets of the run file written as the run goes.
    public let ledger: PartialLedger
    /// The verified checkpoint of a resumed run; nil when the run starts from the beginning.
    public let resumed: ResumedCheckpoint?
    let checkpoints: CheckpointSeries

    /// True when continuing an interrupted run from its checkpoint.
    public var resuming: Bool { resumed != nil }

    /// Whether the run should stop now: a signal on any rank, or the planned test stop. Collective.
    public func shouldStop(afterCheckpoint number: Int) throws -> Bool {
        if let planned = options.stopAfterCheckpoints, number >= planned { StopSignal.raise() }
        return try communicator.agreeToStop()
    }

    /// Writes the checkpoint at `step` (in `unit`s): the run file is flushed first, so the ledger
    /// the checkpoint records is on disk, and `fill` puts the kind's state (layout `version`).
    /// Returns the number of checkpoints this process has written. Collective.
    @discardableResult
    public func saveCheckpoint(step: Int, unit: String, version: Int, fill: (CheckpointState) throws -> Void) throws -> Int {
        try checkpoints.closeResumed()
        try file.flush()
        FaultInjection.reach("partial.flushed", rank: communicator.rank.index)
        let entries = try ledger.entries()
        var header = checkpoints.header
        header.step = step
        header.unit = unit
        header.stateVersion = version
        try Checkpoint.write(paths, header: header, ledger: entries, expectedBytes: checkpoints.expectedBytes, communicator: communicator,
                             fill: fill)
        checkpoints.expectedBytes = OutputCheck.allocated(paths.checkpoint)
        checkpoints.written += 1
        return checkpoints.written
    }

    /// Writes the checkpoint at `step`, reports progress and takes the stop vote: true when the run
    /// should stop there, resumable. Collective.
    public func checkpointed(step: Int, of total: Int, unit: String, version: Int, progress: Progress,
                             fill: (CheckpointState) throws -> Void) throws -> Bool {
        let number = try saveCheckpoint(step: step, unit: unit, version: version, fill: fill)
        progress.update(step)
        guard step < total, try shouldStop(afterCheckpoint: number) else { return false }
        logger.notice("stopping at \(unit) \(step) of \(total); continue with --resume")
        return true
    }
}

/// The checkpoints of one run: the header every one carries, and how many this process wrote.
final class CheckpointSeries {
    var header: CheckpointHeader
    var written = 0
    /// The size of the next checkpoint: the estimate at first, then the size of the last.
    var expectedBytes: Double = 0
    /// The checkpoint a resumed run read its state from: closed before the next one replaces it,
    /// so the old file's space is freed.
    var resumedFile: File?

    init(header: CheckpointHeader) { self.header = header }

    /// Closes the checkpoint the run resumed from, if still open. Collective.
    func closeResumed() throws {
        let file = resumedFile
        resumedFile = nil
        try file?.close()
    }
}

extension ResumedCheckpoint {
    /// Fails unless the checkpoint's state has the layout `version` this build reads.
    public func requireVersion(_ version: Int) throws(JobError) {
        guard header.stateVersion == version else {
            throw JobError(file: contents.path, "holds \(header.identity.kind) state of layout version \(header.stateVersion); this ensemble reads version \(version)")
        }
    }
}

extension RunContext {
    /// What this run's checkpoints carry: job, seed, data files and their digests.
    public var identity: CheckpointIdentity { checkpoints.header.identity }
}
