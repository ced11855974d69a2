import Foundation
import Store

/// How the user asked a job to run: the flags of `ensemble run`.
public struct RunOptions: Sendable {
    /// Overrides the job file's `output`.
    public var output: String?
    /// Replace an existing result (or discard an interrupted run's checkpoint).
    public var force: Bool
    /// Continue the interrupted run whose `.partial` file and checkpoint are at the output path.
    public var resume: Bool
    /// Stop as if signalled after this many checkpoints (for testing resume deterministically).
    public var stopAfterCheckpoints: Int?
    /// The command line, recorded in the run file.
    public var commandLine: String
    /// Seconds between progress lines in a log (no terminal); 0 for none but the last.
    public var progressInterval: Double = Progress.defaultInterval

    /// Collects the flags; by default the job file's output, no `--force` or `--resume`, and this process's command line.
    public init(output: String? = nil, force: Bool = false, resume: Bool = false,
                stopAfterCheckpoints: Int? = nil, commandLine: String = CommandLine.arguments.joined(separator: " ")) {
        self.output = output
        self.force = force
        self.resume = resume
        self.stopAfterCheckpoints = stopAfterCheckpoints
        self.commandLine = commandLine
    }

    /// Checks the flags against the file system before MPI starts: every rank reaches the same
    /// verdict from the same files, and nothing is created or changed. Returns the output path.
    public func checkOutput(for job: JobFile, ranks: Int) throws(JobError) -> String {
        let path = output ?? job.job.output
        let flag = output == nil ? job.path : "--output"
        let key: String? = output == nil ? "output" : nil
        try OutputCheck.path(path, flag: flag, key: key)
        if force && resume {
            throw JobError(file: "--force, --resume", "choose one: --resume continues an interrupted run, --force starts over")
        }
        let paths = RunPaths(output: path), fm = FileManager.default
        try OutputCheck.separate(inputs: job.job.inputFiles + [job.path], outputs: paths.all, flag: flag)
        if let holder = OutputLock.holder(of: paths) {
            throw JobError(file: path, "another run is writing this output (\(holder)); wait for it to end or stop it first")
        }
        let output = fm.fileExists(atPath: path), partial = fm.fileExists(atPath: paths.partial)
        let checkpoint = fm.fileExists(atPath: paths.checkpoint)
        if resume {
            // An output beside an interrupted run is an earlier result the run replaces (it started with --force).
            guard partial || checkpoint else {
                if output { throw JobError(file: "--resume", "the run is complete: \"\(path)\" exists and there is nothing to resume") }
                throw JobError(file: "--resume", "there is no interrupted run to resume: neither \"\(paths.partial)\" nor \"\(paths.checkpoint)\" exists")
            }
            if checkpoint {
                let header = try CheckpointHeader.peek(paths.checkpoint)
                let identity = job.job.identity(text: job.text, ranks: ranks)
                if let reason = identity.mismatch(with: header.identity, ranks: ranks, compareDigests: false) {
                    throw JobError(file: paths.checkpoint, reason)
                }
            }
        } else if !force {
            if output { throw JobError(file: flag, key: key, "\"\(path)\" exists; pass --force to replace it or choose another --output") }
            if partial || checkpoint {
                throw JobError(file: flag, key: key,
                               "\"\(partial ? paths.partial : paths.checkpoint)\" holds an interrupted run; pass --resume to continue it or --force to start over")
            }
        }
        try job.job.resources(ranks: ranks).check(paths, resuming: resume, ranks: ranks, flag: flag)
        return path
    }
}
