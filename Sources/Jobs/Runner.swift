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

/// What a job's run needs from the app: the ranks, the open run file, and where to report.
public struct RunContext {
    public let communicator: Communicator
    public let file: File
    public let root: Group
    public let options: RunOptions
    /// True when continuing an interrupted run from its checkpoint.
    public let resuming: Bool
    public let logger: Logger

    /// Whether the run should stop now: a signal on any rank, or the planned test stop. Collective.
    public func shouldStop(afterCheckpoint number: Int) throws -> Bool {
        if let planned = options.stopAfterCheckpoints, number >= planned { StopSignal.raise() }
        return try communicator.agreeToStop()
    }

    /// After checkpoint `number` is written: flushes the file, reports progress and takes the stop
    /// vote. Returns true when the run should stop there, resumable. Collective.
    public func checkpointed(_ number: Int, done: Int, of total: Int, unit: String, progress: Progress) throws -> Bool {
        try file.flush()
        progress.update(done)
        guard done < total, try shouldStop(afterCheckpoint: number) else { return false }
        logger.notice("stopping at \(unit) \(done) of \(total); continue with --resume")
        return true
    }
}

/// Runs a validated job on all ranks: the flow of DESIGN.md from plan to commit.
public enum Runner {
    /// Runs `job` with MPI already initialised; `outputPath` has passed `RunOptions.checkOutput`. Collective.
    public static func run(_ job: JobFile, outputPath: String, options: RunOptions, communicator: Communicator,
                           logger: Logger) throws -> RunOutcome {
        StopSignal.install()
        // Every rank has finished its checks of the file system before any rank creates a file.
        try communicator.barrier()
        let file: File
        if options.resume {
            // RunOptions.checkOutput has already matched the stored job text, before MPI started.
            file = try File.resumeRun(at: outputPath, communicator: communicator)
            let root = try file.root()
            var resumes: Int64 = 0
            if root.hasAttribute("resumes"), case let .integer(n) = try root.attribute("resumes") { resumes = n }
            try root.setAttribute("resumes", resumes + 1)
            try root.setAttribute("ranks_at_last_resume", Int64(communicator.size))
        } else {
            file = try File.createRun(at: outputPath, communicator: communicator, replacing: options.force)
            let provenance = Provenance(kind: type(of: job.job).kind, ranks: communicator.size, seed: job.job.seed,
                                        commandLine: options.commandLine, jobText: job.text)
            try provenance.write(to: try file.root())
        }
        let context = RunContext(communicator: communicator, file: file, root: try file.root(), options: options,
                                 resuming: options.resume, logger: logger)
        let outcome: RunOutcome
        do {
            outcome = try job.job.execute(context)
        } catch {
            // Leave the partial file and its checkpoint for --resume; never a file posing as a result.
            try? file.close()
            throw error
        }
        switch outcome {
        case .completed:
            try Provenance.markCompleted(context.root)
            try file.commit()
        case .interrupted:
            try file.close()
        }
        return outcome
    }
}
