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
    public func checkOutput(for job: JobFile) throws(JobError) -> String {
        let path = output ?? job.job.output
        let flag = output == nil ? job.path : "--output"
        let key: String? = output == nil ? "output" : nil
        guard path.hasSuffix(".h5") else { throw JobError(file: flag, key: key, "\"\(path)\" must end in .h5") }
        if force && resume {
            throw JobError(file: "--force, --resume", "choose one: --resume continues an interrupted run, --force starts over")
        }
        let fm = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw JobError(file: flag, key: key, "the folder \"\(directory)\" of \"\(path)\" does not exist")
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            throw JobError(file: flag, key: key, "the folder \"\(directory)\" is not writable")
        }
        let partial = path + ".partial"
        if resume {
            guard fm.fileExists(atPath: partial) else {
                throw JobError(file: "--resume", "there is no interrupted run to resume: \"\(partial)\" does not exist")
            }
            try checkResumable(partial, job: job)
        } else if !force {
            if fm.fileExists(atPath: path) {
                throw JobError(file: flag, key: key, "\"\(path)\" exists; pass --force to replace it or choose another --output")
            }
            if fm.fileExists(atPath: partial) {
                throw JobError(file: flag, key: key,
                               "\"\(partial)\" holds an interrupted run; pass --resume to continue it or --force to start over")
            }
        }
        return path
    }

    /// The job that started an interrupted run must be the one resuming it, read serially before MPI starts.
    private func checkResumable(_ partial: String, job: JobFile) throws(JobError) {
        do {
            let file = try File.open(partial, communicator: nil)
            defer { try? file.close() }
            let root = try file.root()
            guard root.hasAttribute("job"), case let .text(stored) = try root.attribute("job") else {
                throw JobError(file: partial, "is not an interrupted Ensemble run (no 'job' attribute)")
            }
            guard stored == job.text else {
                throw JobError(file: job.path, "differs from the job that started \"\(partial)\"; resume with the same job file")
            }
        } catch let error as JobError {
            throw error
        } catch {
            throw JobError(file: partial, "cannot be resumed: \(error)")
        }
    }
}
