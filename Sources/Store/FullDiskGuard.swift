import Cluster
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

// A full disk can stop HDF5 inside a single collective call: one rank's metadata write fails and
// it leaves by an error path while the others wait in the call's next internal barrier (seen:
// rank 0 in H5AC__run_sync_point, rank 1 in H5FD_truncate, both inside one H5Fflush, forever).
// No agreement after the call can help then. So the flushes and closes that write metadata first
// check, all ranks together, that the disk has room; and a monitor ends the process, saying why,
// when a write has been under way for long while the disk it writes to is full.

/// The free bytes of the file system holding `path`, or nil if it cannot be asked.
public func freeBytes(near path: String) -> Int64? {
    var fs = statvfs()
    guard statvfs(directoryOf(path), &fs) == 0 else { return nil }
    return Int64(fs.f_bavail) * Int64(fs.f_frsize)
}

extension File {
    /// The least free space a metadata flush or close of a parallel file may start with.
    public static let flushMargin: Int64 = 1 << 20

    /// Fails on every rank, before HDF5 is asked to write, unless the file system holding
    /// `path` has `bytes` free (rank 0 looks). Collective in a parallel file.
    public func requireSpace(_ bytes: Int64) throws(StoreError) {
        try File.requireSpace(bytes, for: path, communicator: communicator)
    }

    /// The same for a file about to be written at `path`. Collective.
    public static func requireSpace(_ bytes: Int64, for path: String, communicator: Communicator?) throws(StoreError) {
        var failure: StoreError? = nil
        if communicator?.isRoot ?? true, let free = freeBytes(near: path), free < bytes {
            failure = .noSpace(path: path, directory: directoryOf(path), freeBytes: free, errno: ENOSPC)
        }
        let probe = File(id: -1, path: path, communicator: communicator, finalPath: nil)
        probe.isOpen = false
        try probe.agree(failure: failure, writing: false)
    }
}

/// Watches the parallel writes in progress: one that has run for `patience` seconds while the disk
/// it writes to has less than 1 MiB free is stuck in HDF5 (above), and the process says so and
/// leaves with exit 1 (the launcher then ends the other ranks). What a run adds to the message (its
/// checkpoint) is set in `note`.
public enum FullDiskMonitor {
    private static let started = Atomic<Bool>(false)
    /// Wall-clock second at which the current write began; 0 when none is under way.
    private static let since = Atomic<Int64>(0)
    nonisolated(unsafe) private static var path = ""
    /// Added to the message: what the user can do (set once by the app before any write).
    nonisolated(unsafe) public static var note = ""
    static let patience: Int64 = 10

    /// Marks a write to `file` as under way. Cheap: two atomic stores and a string.
    static func begin(_ file: String) {
        if !started.exchange(true, ordering: .acquiringAndReleasing) { watch() }
        path = file
        since.store(Int64(time(nil)), ordering: .releasing)
    }

    static func end() { since.store(0, ordering: .releasing) }

    private static func watch() {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "ensemble.full-disk-monitor"))
        timer.schedule(deadline: .now() + 2, repeating: 2)
        timer.setEventHandler {
            let began = since.load(ordering: .acquiring)
            guard began > 0, Int64(time(nil)) - began >= patience, let free = freeBytes(near: path), free < File.flushMargin else { return }
            let text = "error: the disk is full: writing \(path) has been stuck for \(Int64(time(nil)) - began) s with \(ByteCount(free)) free "
                + "on the file system of \(directoryOf(path)); stopping. \(note)\n"
            _ = text.withCString { write(2, $0, strlen($0)) }
            _exit(1)
        }
        timer.resume()
        retained = timer
    }

    nonisolated(unsafe) private static var retained: DispatchSourceTimer?
}
