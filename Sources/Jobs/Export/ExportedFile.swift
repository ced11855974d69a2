// An exported file appears whole or not at all: the bytes go to a temporary name beside the
// output, are synced, and then take the output's name; without --force by link(2), which fails if
// the name was taken meanwhile, so a file that appeared after the checks is never overwritten.

import Foundation
import Store

extension ModelExport {
    /// Fails unless `path` can take an exported model: it ends in .onnx, has no line break, is not
    /// a folder, its folder exists and is writable, it is not the input, and it does not exist
    /// unless `force`.
    static func checkOutput(_ path: String, input: String, force: Bool) throws(JobError) {
        let flag = "--onnx"
        guard path.hasSuffix(".onnx"), path.count > ".onnx".count else { throw JobError(file: flag, "\"\(path)\" must end in .onnx") }
        guard !path.contains("\n") && !path.contains("\r") else { throw JobError(file: flag, "the path contains a line break") }
        let folder = (path as NSString).deletingLastPathComponent
        let directory = folder.isEmpty ? "." : folder
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw JobError(file: flag, "the folder \"\(directory)\" of \"\(path)\" does not exist")
        }
        guard access(directory, W_OK | X_OK) == 0 else { throw JobError(file: flag, "the folder \"\(directory)\" is not writable") }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw JobError(file: flag, "\"\(path)\" is a folder; give the path of a file ending in .onnx")
        }
        try OutputCheck.separate(inputs: [input], outputs: [path], flag: flag)
        if !force, FileManager.default.fileExists(atPath: path) {
            throw JobError(file: flag, "\"\(path)\" exists; pass --force to replace it or choose another path")
        }
    }

    /// Writes `data` to `path` atomically: a synced temporary file, then its name; replaces an
    /// existing file only when `replacing`. Leaves no temporary file behind on failure.
    static func publish(_ data: Data, at path: String, replacing: Bool) throws {
        let temporary = "\(path).\(getpid()).partial"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw RunFailure("writing \(temporary) failed: \(String(cString: strerror(errno)))")
        }
        defer { unlink(temporary) }
        if let code = syncFile(temporary) { throw RunFailure("fsync of \(temporary) failed: \(String(cString: strerror(code)))") }
        if replacing {
            guard rename(temporary, path) == 0 else { throw RunFailure("renaming \(temporary) to \(path) failed: \(String(cString: strerror(errno)))") }
        } else {
            guard link(temporary, path) == 0 else {
                let code = errno
                if code == EEXIST { throw JobError(file: "--onnx", "\"\(path)\" appeared while exporting; pass --force to replace it") }
                throw RunFailure("creating \(path) failed: \(String(cString: strerror(code)))")
            }
        }
        if let code = syncDirectory(of: path) { throw RunFailure("fsync of the folder of \(path) failed: \(String(cString: strerror(code)))") }
    }
}
