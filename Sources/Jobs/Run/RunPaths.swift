import Foundation
import Store

/// Every file a run keeps beside its result, named once: `NAME.h5` (the result), `NAME.h5.partial`
/// (the run file while it is written), `NAME.h5.checkpoint` (the last complete checkpoint),
/// `NAME.h5.checkpoint.new` (the next one while it is written) and `NAME.h5.lock` (held while a
/// process writes any of them).
public struct RunPaths: Sendable, Equatable {
    /// The result.
    public let output: String

    /// Names the files kept beside the result at `output`.
    public init(output: String) { self.output = output }

    /// The run file while it is written: `NAME.h5.partial`.
    public var partial: String { File.partialPath(of: output) }
    /// The last complete checkpoint: `NAME.h5.checkpoint`.
    public var checkpoint: String { output + ".checkpoint" }
    /// The next checkpoint while it is written: `NAME.h5.checkpoint.new`.
    public var newCheckpoint: String { output + ".checkpoint.new" }
    /// The lock file held while a process writes any of the files: `NAME.h5.lock`.
    public var lock: String { output + ".lock" }

    /// The suffixes above, longest first (for the file-name length check).
    static let suffixes = [".checkpoint.new", ".checkpoint", ".partial", ".lock"]

    /// Every path the run may create or replace.
    public var all: [String] { [output, partial, checkpoint, newCheckpoint, lock] }

    /// The folder the files live in.
    public var directory: String {
        let folder = (output as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }
}
