import CHDF5
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

    public var description: String {
        switch self {
        case let .hdf5(call, stack):
            return stack.isEmpty ? "\(call) failed" : "\(call) failed: " + stack.joined(separator: "; ")
        case let .exists(path): return "\(path) exists; pass --force to replace it"
        case let .missing(path): return "\(path) does not exist"
        case let .notHDF5(path): return "\(path) is not an HDF5 file"
        case let .mismatch(text): return text
        case let .system(call, path, code): return "\(call)(\(path)) failed: \(String(cString: strerror(code)))"
        }
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

/// Throws the error stack if an HDF5 call returned a negative status or identifier.
@inline(__always)
@discardableResult
func check<T: BinaryInteger>(_ result: T, _ call: @autoclosure () -> String) throws(StoreError) -> T {
    if result < 0 { throw StoreError.hdf5(call: call(), stack: currentErrorStack()) }
    return result
}
