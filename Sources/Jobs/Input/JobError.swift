/// A problem with what the user gave: a job file, a flag or an input file. Every one names the
/// file, the key and the value, says what would be valid, and ends the run with exit code 2
/// before any rank does work or any file is touched.
public struct JobError: Error, CustomStringConvertible, Sendable {
    /// The job file or input the problem is in.
    public let file: String
    /// The dotted key path (e.g. `demo.chains`), or nil for a problem with the whole file.
    public let key: String?
    /// What is wrong and what would be valid.
    public let message: String

    /// Makes the error for `file`, at `key` if the problem is in one key, with `message` saying what would be valid.
    public init(file: String, key: String? = nil, _ message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    /// The message as printed: `file: key: message`, or `file: message` when no key is named.
    public var description: String {
        if let key { return "\(file): \(key): \(message)" }
        return "\(file): \(message)"
    }

    /// The exit code for bad input.
    public static let exitCode: Int32 = 2
}

/// Exit codes a batch script can act on.
public enum ExitStatus {
    /// The run finished and its result file is complete.
    public static let success: Int32 = 0
    /// Bad input: nothing was run and no file was touched.
    public static let badInput: Int32 = 2
    /// The run stopped on a signal after writing a checkpoint; `--resume` continues it (sysexits' EX_TEMPFAIL).
    public static let interrupted: Int32 = 75
}

/// Collects the range checks of a job section, so that a file is checked field by field with one
/// rule of wording.
public struct Validator {
    let file: String
    let prefix: String
    /// Makes a validator for the section `section` of `file`; an empty section checks top-level keys.
    public init(file: String, section: String) {
        self.file = file
        self.prefix = section.isEmpty ? "" : section + "."
    }

    /// Fails unless `value` lies in `range`.
    public func require<T: Comparable & CustomStringConvertible>(_ key: String, _ value: T, in range: ClosedRange<T>) throws(JobError) {
        guard range.contains(value) else {
            throw JobError(file: file, key: prefix + key, "\(value) is out of range: must be between \(range.lowerBound) and \(range.upperBound)")
        }
    }

    /// Fails unless `value` is at least `minimum`.
    public func require<T: Comparable & CustomStringConvertible>(_ key: String, _ value: T, atLeast minimum: T) throws(JobError) {
        guard value >= minimum else {
            throw JobError(file: file, key: prefix + key, "\(value) is out of range: must be at least \(minimum)")
        }
    }

    /// Fails unless `value` is a finite number.
    public func requireFinite(_ key: String, _ value: Double) throws(JobError) {
        guard value.isFinite else { throw JobError(file: file, key: prefix + key, "\(value) is not a finite number") }
    }

    /// Fails with `message` unless `condition` holds.
    public func require(_ condition: Bool, _ key: String, _ message: String) throws(JobError) {
        guard condition else { throw JobError(file: file, key: prefix + key, message) }
    }
}
