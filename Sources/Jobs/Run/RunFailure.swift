/// A run that went wrong after it started (a full disk, a diverging integration, a training loss
/// that is no longer finite): raised on every rank alike, reported once, exit code 1, and the last
/// checkpoint is kept so `--resume` can continue once the cause is fixed.
public struct RunFailure: Error, CustomStringConvertible, Sendable {
    /// What happened, where, and what the user can do.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// The exit code.
    public static let exitCode: Int32 = 1
}
