internal import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// Why a file operation failed: an HDF5 call with HDF5's own error stack, or a rule of run files.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// An HDF5 call failed; `stack` is HDF5's error stack, innermost first.
    case hdf5(call: String, stack: [String])
    /// A result exists where a run would write, and `--force` was not given.
    case exists(path: String)
    /// The file is missing.
    case missing(path: String)
    /// The file exists but is not an HDF5 file.
    case notHDF5(path: String)
    /// A dataset or attribute has another type, shape or name than asked for.
    case mismatch(String)
    /// A file-system call (rename, fsync) failed.
    case system(call: String, path: String, errno: Int32)
    /// A write failed because the file system holding `path` is full or the user's quota is spent.
    case noSpace(path: String, directory: String, freeBytes: Int64, errno: Int32)
    /// A collective operation failed on rank `rank` (the lowest that failed); every rank throws this
    /// same error, so the run ends everywhere with one message.
    case failedOnRank(Int, message: String, noSpace: Bool)
    /// An MPI call the agreement on a failure needed went wrong.
    case mpi(String)

    public var description: String {
        switch self {
        case let .hdf5(call, stack):
            return stack.isEmpty ? "\(call) failed" : "\(call) failed: " + stack.joined(separator: "; ")
        case let .exists(path): return "\(path) exists; pass --force to replace it"
        case let .missing(path): return "\(path) does not exist"
        case let .notHDF5(path): return "\(path) is not an HDF5 file"
        case let .mismatch(text): return text
        case let .system(call, path, code): return "\(call)(\(path)) failed: \(String(cString: strerror(code)))"
        case let .noSpace(path, directory, free, code):
            let cause = code == EDQUOT ? "the disk quota is exceeded" : code == ENOSPC ? "the disk is full" : "the disk is full or the quota exceeded"
            return "\(cause): writing \(path) failed with \(ByteCount(free)) free on the file system of \(directory)"
        case let .failedOnRank(rank, message, _): return "rank \(rank): \(message)"
        case let .mpi(text): return text
        }
    }

    /// Whether the disk or quota was full: HDF5 may then be unable to close the file cleanly.
    public var isNoSpace: Bool {
        switch self {
        case .noSpace: return true
        case let .failedOnRank(_, _, noSpace): return noSpace
        default: return false
        }
    }

    /// The innermost, most specific line of an HDF5 error stack, for messages that must stay short.
    public var briefDescription: String {
        switch self {
        case let .hdf5(call, stack):
            let specific = stack.prefix(2).map { line in line.split(separator: ":", maxSplits: 1).last.map { String($0.drop { $0 == " " }) } ?? line }
            return specific.isEmpty ? "\(call) failed" : specific.joined(separator: ": ")
        case let .failedOnRank(_, message, _): return message
        default: return description
        }
    }
}

/// A number of bytes as people read it: "512 B", "3.2 MiB", "1.5 GiB".
public struct ByteCount: CustomStringConvertible, Sendable {
    public let bytes: Int64
    public init(_ bytes: Int64) { self.bytes = bytes }
    public init(_ bytes: Double) { self.bytes = Int64(min(bytes, 9e18)) }

    public var description: String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(bytes), unit = 0
        while abs(value) >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : "\((value * 10).rounded() / 10) \(units[unit])"
    }
}

private struct StackCollector { var lines: [String] = [] }

/// Reads HDF5's current error stack into strings; HDF5's own printing is turned off by `HDF5Library.prepare`.
func currentErrorStack() -> [String] {
    var collector = StackCollector()
    withUnsafeMutablePointer(to: &collector) { pointer in
        _ = H5Ewalk2(chdf5_e_default(), H5E_WALK_UPWARD, { _, error, data in
            guard let error, let data else { return 0 }
            let collector = data.assumingMemoryBound(to: StackCollector.self)
            let function = error.pointee.func_name.map { String(cString: $0) } ?? "?"
            let text = error.pointee.desc.map { String(cString: $0) } ?? ""
            collector.pointee.lines.append("\(function): \(text)")
            return 0
        }, pointer)
    }
    H5Eclear2(chdf5_e_default())
    return collector.lines
}

/// errno as it was right after the last HDF5 call that failed (a write that hit a full disk leaves
/// ENOSPC there). HDF5 and MPI run on one thread (DESIGN.md), so one variable serves.
nonisolated(unsafe) var errnoOfLastFailure: Int32 = 0

/// Throws the error stack if an HDF5 call returned a negative status or identifier.
@inline(__always)
@discardableResult
func check<T: BinaryInteger>(_ result: T, _ call: @autoclosure () -> String) throws(StoreError) -> T {
    if result < 0 {
        errnoOfLastFailure = errno
        throw StoreError.hdf5(call: call(), stack: currentErrorStack())
    }
    return result
}
