import Cluster
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

// A failed HDF5 call on one rank of a parallel file must end the operation on every rank: a rank
// that gives up while the others go on into the next collective call leaves them waiting forever
// (seen with a full disk: one rank's write failed, it went on to close the file, the other waited
// inside the next H5Dwrite). So every collective operation ends with an agreement.

extension File {
    /// Runs `body`, then agrees with the other ranks whether it failed anywhere: if it did, every
    /// rank throws the same error, naming the lowest rank that failed and its reason. `writing`
    /// says the operation may write, so a failure is checked for a full disk. Collective in a
    /// parallel file.
    @discardableResult
    func collectively<T>(writing: Bool, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        let result: T
        let watched = writing && (communicator?.size ?? 1) > 1
        if watched { FullDiskMonitor.begin(path) }
        defer { if watched { FullDiskMonitor.end() } }
        do {
            result = try body()
        } catch {
            try agree(failure: error, writing: writing)
            // agree(failure:) always throws for a failure; this line keeps the compiler content.
            throw error
        }
        try agree(failure: nil, writing: writing)
        return result
    }

    /// Agrees on a failure (nil: none here). Throws on every rank if any rank failed. Collective in a
    /// parallel file.
    public func agree(failure: StoreError?, writing: Bool) throws(StoreError) {
        let local = failure.map { writing ? diagnose($0) : $0 }
        guard let communicator, communicator.size > 1 else {
            if let local { throw local }
            return
        }
        // If the others are stuck inside HDF5 (a failure before one of its internal collectives),
        // this rank would wait here forever: after a grace period it says why and leaves, and the
        // launcher ends the job (exit 1).
        let watchdog = local.map { Watchdog.start(after: 20, message: "error on rank \(communicator.rank.index): \($0)") }
        defer { watchdog?.cancel() }
        let first: Int
        let message: String
        let noSpace: Int32
        do {
            first = try communicator.allreduce(local == nil ? Int.max : communicator.rank.index, .min)
            guard first != Int.max else { return }
            message = try communicator.broadcast(local?.description ?? "", from: Rank(first))
            noSpace = try communicator.broadcast(Int32(local?.isNoSpace == true ? 1 : 0), from: Rank(first))
        } catch {
            throw StoreError.mpi("agreeing on a failed file operation: \(error)")
        }
        throw StoreError.failedOnRank(first, message: message, noSpace: noSpace != 0)
    }

    /// A failed write explained: a full disk or spent quota (errno, or almost nothing free on the
    /// file system) or an I/O error of the device; otherwise the error as it was.
    func diagnose(_ error: StoreError) -> StoreError {
        guard case .hdf5 = error else { return error }
        let code = errnoOfLastFailure
        let directory = directoryOf(path)
        var fs = statvfs()
        let free: Int64 = statvfs(directory, &fs) == 0 ? Int64(fs.f_bavail) * Int64(fs.f_frsize) : -1
        if code == ENOSPC || code == EDQUOT || (free >= 0 && free < 1 << 20) {
            return .noSpace(path: path, directory: directory, freeBytes: max(0, free), errno: code)
        }
        if code == EIO { return .system(call: "write", path: path, errno: EIO) }
        return error
    }
}

/// The folder holding `path` ("." for a bare name).
func directoryOf(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

/// A timer that prints a message and ends the process unless cancelled in time.
final class Watchdog: @unchecked Sendable {
    private let cancelled = Atomic<Bool>(false)

    static func start(after seconds: Double, message: String) -> Watchdog {
        let dog = Watchdog()
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            guard !dog.cancelled.load(ordering: .acquiring) else { return }
            let text = "error: \(message) (the other ranks did not answer within \(Int(seconds)) s; stopping)\n"
            _ = text.withCString { write(2, $0, strlen($0)) }
            _exit(1)
        }
        return dog
    }

    func cancel() { cancelled.store(true, ordering: .releasing) }
}
