import Cluster
import Foundation

/// The lock beside a run's output (`NAME.h5.lock`): one writer per output. Rank 0 holds a POSIX
/// record lock on it for the whole run; the kernel drops that lock when the process dies however it
/// dies, so a lock left by a killed run is stale and the next run takes it over. The file names the
/// holder (host, PID, Slurm job) for the message a second run gets. Where the file system has no
/// record locks, an exclusively created file with the same text does the job, and a stale one is
/// recognised by a dead PID on this host or by this Slurm job's own id (a requeued job).
final class OutputLock {
    let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// This process as the holder names it.
    static var holderText: String {
        var text = "host \(ProcessInfo.processInfo.hostName), PID \(getpid()), since \(Provenance.timestamp())"
        if let job = ProcessInfo.processInfo.environment["SLURM_JOB_ID"] { text += ", Slurm job \(job)" }
        return text
    }

    /// Who holds the lock of `paths` now, or nil: a read-only look that creates nothing (for the
    /// checks before MPI starts and for `validate`).
    static func holder(of paths: RunPaths) -> String? {
        let fd = open(paths.lock, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var probe = flock()
        probe.l_type = Int16(F_WRLCK)
        probe.l_whence = Int16(SEEK_SET)
        if fcntl(fd, F_GETLK, &probe) == 0 {
            return probe.l_type == Int16(F_UNLCK) ? nil : describe(fd, pid: probe.l_pid)
        }
        // No record locks here: the file's existence is the lock unless it is stale.
        return isStale(contents(fd)) ? nil : describe(fd, pid: nil)
    }

    /// Takes the lock on rank 0 and tells every rank whether it did. Collective. Throws the
    /// `JobError` a second writer gets (exit 2): nothing else has been touched at that point.
    static func acquire(_ paths: RunPaths, communicator: Communicator?) throws -> OutputLock? {
        var lock: OutputLock? = nil, refusal: JobError? = nil
        if communicator?.isRoot ?? true {
            switch take(paths) {
            case let .success(taken): lock = taken
            case let .failure(error): refusal = error
            }
        }
        guard let communicator else {
            if let refusal { throw refusal }
            return lock
        }
        let message = try communicator.broadcast(refusal?.message ?? "")
        let file = try communicator.broadcast(refusal?.file ?? "")
        guard message.isEmpty else { throw JobError(file: file, message) }
        return lock
    }

    private static func take(_ paths: RunPaths) -> Result<OutputLock, JobError> {
        for _ in 0..<5 {
            let fd = open(paths.lock, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                return .failure(JobError(file: paths.lock, "cannot create the lock file: \(String(cString: strerror(errno)))"))
            }
            var request = flock()
            request.l_type = Int16(F_WRLCK)
            request.l_whence = Int16(SEEK_SET)
            if fcntl(fd, F_SETLK, &request) == 0 {
                // The file may have been removed by the previous holder between our open and lock.
                var held = stat(), named = stat()
                guard fstat(fd, &held) == 0, stat(paths.lock, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev else {
                    close(fd)
                    continue
                }
                stamp(fd)
                return .success(OutputLock(path: paths.lock, descriptor: fd))
            }
            let code = errno
            if code == EACCES || code == EAGAIN {
                var probe = flock()
                probe.l_type = Int16(F_WRLCK)
                probe.l_whence = Int16(SEEK_SET)
                let pid = fcntl(fd, F_GETLK, &probe) == 0 ? probe.l_pid : nil
                let holder = describe(fd, pid: pid)
                close(fd)
                return .failure(refusal(paths, holder: holder))
            }
            close(fd)
            return takeExclusively(paths)
        }
        return .failure(JobError(file: paths.lock, "kept changing while this run tried to take it; another run is starting on the same output"))
    }

    /// The fallback for file systems without record locks (some NFS and Lustre mounts).
    private static func takeExclusively(_ paths: RunPaths) -> Result<OutputLock, JobError> {
        for _ in 0..<2 {
            let fd = open(paths.lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                stamp(fd)
                return .success(OutputLock(path: paths.lock, descriptor: fd))
            }
            let existing = open(paths.lock, O_RDONLY | O_CLOEXEC)
            let text = existing >= 0 ? contents(existing) : ""
            if existing >= 0 { close(existing) }
            guard isStale(text) else { return .failure(refusal(paths, holder: text.isEmpty ? "unknown holder" : text)) }
            unlink(paths.lock)
        }
        return .failure(JobError(file: paths.lock, "could not be taken over"))
    }

    private static func refusal(_ paths: RunPaths, holder: String) -> JobError {
        JobError(file: paths.output, "another run is writing this output (\(holder)); wait for it to end or stop it first. "
                 + "If that run no longer exists on that host, remove \(paths.lock)")
    }

    private static func stamp(_ fd: Int32) {
        let text = holderText + "\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    private static func contents(_ fd: Int32) -> String {
        var bytes = [UInt8](repeating: 0, count: 1024)
        let n = pread(fd, &bytes, bytes.count, 0)
        return String(decoding: bytes.prefix(max(0, n)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func describe(_ fd: Int32, pid: Int32?) -> String {
        let text = contents(fd)
        if !text.isEmpty { return text }
        return pid.map { "PID \($0)" } ?? "unknown holder"
    }

    /// Whether the holder written in `text` is gone: a dead PID on this host, or this very Slurm job
    /// (requeued after its node failed, so its earlier incarnation cannot be running).
    private static func isStale(_ text: String) -> Bool {
        guard !text.isEmpty else { return true }
        let host = ProcessInfo.processInfo.hostName
        if let job = ProcessInfo.processInfo.environment["SLURM_JOB_ID"], text.contains("Slurm job \(job)") { return true }
        guard text.hasPrefix("host \(host),"), let range = text.range(of: "PID ") else { return false }
        let digits = text[range.upperBound...].prefix { $0.isNumber }
        guard let pid = Int32(digits) else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Gives the lock up: the file is removed while still locked, then the lock dropped.
    func release() {
        unlink(path)
        close(descriptor)
    }
}
