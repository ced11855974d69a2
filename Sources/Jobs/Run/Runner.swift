import Cluster
import Foundation
import Logging
import Store

/// Runs a validated job on all ranks: the flow of DESIGN.md from the lock to the commit.
public enum Runner {
    /// How a run begins, decided by rank 0 under the lock.
    enum Start: Int32 {
        case fresh = 0
        /// `--resume` of a run killed before its first checkpoint: nothing to continue from.
        case restart = 1
        case resume = 2
    }

    /// Runs `job` with MPI already initialised; `outputPath` has passed `RunOptions.checkOutput`. Collective.
    public static func run(_ job: JobFile, outputPath: String, options: RunOptions, communicator: Communicator,
                           logger: Logger) throws -> RunOutcome {
        StopSignal.install()
        let paths = RunPaths(output: outputPath)
        FullDiskMonitor.note = "The last checkpoint \(paths.checkpoint), if one was written, is intact: free space, then continue with --resume."
        // Every rank has finished its checks of the file system before any rank touches a file.
        try communicator.barrier()
        let lock = try OutputLock.acquire(paths, communicator: communicator)
        defer { lock?.release() }
        let start = try decide(paths, options: options, communicator: communicator)
        var identity = job.job.identity(text: job.text, ranks: communicator.size)
        identity.dataSHA256 = try job.job.verifyInputs(communicator: communicator, logger: logger)
        let (context, checkpointFile) = try prepare(job, paths: paths, start: start, identity: identity, options: options,
                                                    communicator: communicator, logger: logger)
        context.checkpoints.resumedFile = checkpointFile
        let outcome: RunOutcome
        do {
            outcome = try job.job.execute(context)
            try context.checkpoints.closeResumed()
        } catch let error as JobError {
            throw leave(context, error)
        } catch let error as RunFailure {
            throw leave(context, error)
        } catch let error as StoreError {
            throw leave(context, RunFailure(failureMessage(error, paths: paths), abandonsFiles: error.isNoSpace))
        }
        switch outcome {
        case .completed:
            try Provenance.markCompleted(context.root, at: try Provenance.timestamp(agreedBy: communicator))
            try ResultSeal.seal(context.file)
            FaultInjection.reach("result.sealed", rank: communicator.rank.index)
            // The checkpoint goes first: a checkpoint beside an existing output then always means a
            // run that is not finished (one started with --force over an earlier result).
            try context.file.flush()
            if communicator.isRoot {
                unlink(paths.checkpoint)
                unlink(paths.newCheckpoint)
            }
            try context.file.commit()
            FaultInjection.reach("result.committed", rank: communicator.rank.index)
        case .interrupted:
            try context.file.close()
        }
        return outcome
    }

    /// The output's state, read by rank 0 under the lock and shared: a second look after the checks
    /// before MPI, which another process may have overtaken. Collective.
    static func decide(_ paths: RunPaths, options: RunOptions, communicator: Communicator) throws -> Start {
        var start = Start.fresh, refusal = ""
        if communicator.isRoot {
            let fm = FileManager.default
            let output = fm.fileExists(atPath: paths.output), partial = fm.fileExists(atPath: paths.partial)
            let checkpoint = fm.fileExists(atPath: paths.checkpoint)
            if options.resume {
                if checkpoint { start = .resume }
                else if partial { start = .restart }
                else if output { refusal = "the run is complete: \"\(paths.output)\" exists and there is nothing to resume" }
                else { refusal = "there is no interrupted run to resume: neither \"\(paths.partial)\" nor \"\(paths.checkpoint)\" exists" }
            } else if !options.force {
                if output { refusal = "\"\(paths.output)\" exists; pass --force to replace it or choose another --output" }
                else if partial || checkpoint {
                    refusal = "\"\(partial ? paths.partial : paths.checkpoint)\" holds an interrupted run; pass --resume to continue it or --force to start over"
                }
            }
        }
        refusal = try communicator.broadcast(refusal)
        guard refusal.isEmpty else { throw JobError(file: paths.output, refusal) }
        return Start(rawValue: try communicator.broadcast(start.rawValue)) ?? .fresh
    }

    /// The run file and the checkpoint to continue from: a fresh run file, or the verified checkpoint
    /// with the run file checked against it (or rebuilt, for kinds that record only at the end). Collective.
    static func prepare(_ job: JobFile, paths: RunPaths, start: Start, identity: CheckpointIdentity, options: RunOptions,
                        communicator: Communicator, logger: Logger) throws -> (RunContext, File?) {
        let kind = type(of: job.job).kind.name, size = communicator.size
        var header = CheckpointHeader(identity: identity, step: 0, unit: "", stateVersion: 0, ranks: size, runCreated: "", resumes: 0)
        let file: File, ledger: PartialLedger
        var resumed: ResumedCheckpoint? = nil, checkpointFile: File? = nil
        if start == .resume {
            let opened = try Checkpoint.open(paths, expecting: identity, communicator: communicator)
            checkpointFile = opened.file
            resumed = ResumedCheckpoint(header: opened.header, contents: opened.contents)
            header.runCreated = opened.header.runCreated
            header.resumes = opened.header.resumes + 1
            if job.job.recordsIncrementally {
                file = try reopenPartial(paths, header: opened.header, communicator: communicator)
                ledger = try PartialLedger.reopen(file, recorded: opened.ledger, communicator: communicator, checkpoint: paths.checkpoint)
            } else {
                file = try File.createRun(at: paths.output, communicator: communicator, replacing: false)
                try Provenance(kind: kind, ranks: opened.header.ranks, seed: job.job.seed, commandLine: options.commandLine,
                               jobText: job.text, overrides: job.overrides, created: opened.header.runCreated).write(to: try file.root())
                ledger = PartialLedger(file: file, communicator: communicator)
            }
            let root = try file.root()
            try root.setAttribute("resumes", Int64(header.resumes))
            try root.setAttribute("ranks_at_last_resume", Int64(size))
            try root.setAttribute("completed", false)
            logger.info("resuming from \(paths.checkpoint) at \(opened.header.unit) \(opened.header.step)")
            if FileManager.default.fileExists(atPath: paths.output) {
                logger.notice("\(paths.output) (an earlier result) is replaced when the run completes, as the --force that started it asked")
            }
        } else {
            if start == .restart {
                logger.notice("\(paths.partial) was interrupted before its first checkpoint; starting it over")
            }
            if communicator.isRoot && (options.force || start == .restart) {
                unlink(paths.checkpoint)
                unlink(paths.newCheckpoint)
            }
            // A restart continues what a run allowed to replace the output began.
            file = try File.createRun(at: paths.output, communicator: communicator, replacing: options.force || start == .restart)
            let provenance = Provenance(kind: kind, ranks: size, seed: job.job.seed, commandLine: options.commandLine, jobText: job.text,
                                        overrides: job.overrides, created: try Provenance.timestamp(agreedBy: communicator))
            try provenance.write(to: try file.root())
            header.runCreated = provenance.created
            ledger = PartialLedger(file: file, communicator: communicator)
        }
        // On disk before any work, so a run killed at once leaves a readable .partial.
        try file.flush()
        FaultInjection.reach("partial.created", rank: communicator.rank.index)
        let series = CheckpointSeries(header: header)
        series.expectedBytes = job.job.resources(ranks: size).checkpointBytes
        let context = RunContext(communicator: communicator, file: file, root: try file.root(), options: options, paths: paths,
                                 logger: logger, ledger: ledger, resumed: resumed, checkpoints: series)
        return (context, checkpointFile)
    }

    /// The `.partial` file of a resumed run, opened for writing; a `JobError` if it cannot be. Collective.
    static func reopenPartial(_ paths: RunPaths, header: CheckpointHeader, communicator: Communicator) throws -> File {
        try refusing({ () throws(StoreError) in try File.resumeRun(at: paths.output, communicator: communicator) }) { error in
            JobError(file: paths.partial, "cannot be reopened (\(error.briefDescription)); the results it recorded before the "
                     + "checkpoint at \(header.unit) \(header.step) are lost, so the run cannot continue: start over with --force")
        }
    }

    /// Leaves a run that failed on every rank alike: the run file is closed as it stands (its last
    /// checkpoint says what in it is final) and the error passes on. Collective.
    static func leave(_ context: RunContext, _ error: Error) -> Error {
        if let failure = error as? RunFailure, failure.abandonsFiles { return error }
        try? context.checkpoints.closeResumed()
        try? context.file.close()
        return error
    }

    /// The message of a run that failed writing its files.
    static func failureMessage(_ error: StoreError, paths: RunPaths) -> String {
        let kept = FileManager.default.fileExists(atPath: paths.checkpoint)
            ? "the last checkpoint \(paths.checkpoint) is intact; continue with --resume once the cause is fixed"
            : "no checkpoint was written yet; start the run again once the cause is fixed"
        return "the run stopped: \(error.description.hasPrefix("rank ") ? "on " : "")\(error); \(kept)"
    }
}

