/// A run that went wrong after it started (a full disk, a diverging integration, a training loss
/// that is no longer finite): raised on every rank alike, reported once, exit code 1, and the last
/// checkpoint is kept so `--resume` can continue once the cause is fixed.
public struct RunFailure: Error, CustomStringConvertible, Sendable {
    /// What happened, where, and what the user can do.
    public let message: String
    /// Whether the open files must be left as they are: on a full disk, HDF5's close can stop in
    /// the middle of its collective flush, so the job ends at once instead (the last checkpoint is
    /// a file of its own and stays intact).
    public let abandonsFiles: Bool

    /// Makes the failure; `abandonsFiles` is for failures, such as a full disk, after which the open files must not be closed.
    public init(_ message: String, abandonsFiles: Bool = false) {
        self.message = message
        self.abandonsFiles = abandonsFiles
    }

    /// The message, as reported.
    public var description: String { message }

    /// The exit code.
    public static let exitCode: Int32 = 1
}
