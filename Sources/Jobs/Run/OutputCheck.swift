import Foundation
import Store

/// The checks of an output path and of the files around it that every command writing a file makes
/// before it touches anything: a usable name in an existing, writable folder; never one of the
/// command's own inputs; room on the disk.
public enum OutputCheck {
    /// Fails unless `path` can hold a result: it ends in .h5, has no line break, is not a folder,
    /// its folder exists and is writable, and the longest name derived from it (NAME.h5.checkpoint.new)
    /// fits the file system. `flag` and `key` name where the path came from.
    public static func path(_ path: String, flag: String, key: String? = nil) throws(JobError) {
        guard path.hasSuffix(".h5") else { throw JobError(file: flag, key: key, "\"\(path)\" must end in .h5") }
        guard !path.contains("\n") && !path.contains("\r") else { throw JobError(file: flag, key: key, "the path contains a line break") }
        let paths = RunPaths(output: path), directory = paths.directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw JobError(file: flag, key: key, "the folder \"\(directory)\" of \"\(path)\" does not exist")
        }
        guard access(directory, W_OK | X_OK) == 0 else { throw JobError(file: flag, key: key, "the folder \"\(directory)\" is not writable") }
        for candidate in paths.all where FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) && isDirectory.boolValue {
            throw JobError(file: flag, key: key, "\"\(candidate)\" is a folder; give the path of a file ending in .h5")
        }
        let longest = (path as NSString).lastPathComponent + RunPaths.suffixes[0]
        let limit = pathconf(directory, Int32(_PC_NAME_MAX))
        let nameLimit = limit > 0 ? Int(limit) : 255
        guard longest.utf8.count <= nameLimit else {
            throw JobError(file: flag, key: key, "the file name \"\((path as NSString).lastPathComponent)\" is too long: with the suffix "
                           + "\"\(RunPaths.suffixes[0])\" of its checkpoint it has \(longest.utf8.count) bytes, and this file system allows \(nameLimit)")
        }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        guard absolute.utf8.count + RunPaths.suffixes[0].utf8.count < Int(PATH_MAX) else {
            throw JobError(file: flag, key: key, "the path is too long for this system (\(absolute.utf8.count) bytes)")
        }
    }

    /// Fails if any of `outputs` is, or resolves to, one of `inputs` (through `..`, symbolic or hard
    /// links): a command never writes over what it reads, with or without --force.
    public static func separate(inputs: [String], outputs: [String], flag: String) throws(JobError) {
        let resolvedInputs = inputs.map { ($0, canonical($0), identity($0)) }
        for output in outputs {
            let name = canonical(output), id = identity(output)
            for (input, inputName, inputID) in resolvedInputs where name == inputName || (id != nil && id == inputID) {
                throw JobError(file: flag, "\"\(output)\" is \(input == output ? "" : "the same file as ")the input \"\(input)\": "
                               + "a command never writes over what it reads, with or without --force; choose another output")
            }
        }
    }

    /// The absolute path with links and `..` resolved as far as it exists.
    static func canonical(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let folder = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        if let resolved = realpath(folder.isEmpty ? "." : folder, nil) {
            defer { free(resolved) }
            return String(cString: resolved) + "/" + base
        }
        return path
    }

    /// (device, inode) of an existing file.
    static func identity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    /// Fails unless the file system holding `paths` has room for `needed` more bytes.
    public static func space(_ needed: Double, for paths: RunPaths, what: String, flag: String) throws(JobError) {
        var fs = statvfs()
        guard statvfs(paths.directory, &fs) == 0 else { return }
        let free = Double(fs.f_bavail) * Double(fs.f_frsize)
        guard needed <= free else {
            throw JobError(file: flag, "the run needs about \(ByteCount(needed)) on disk (\(what)), but the file system of \"\(paths.directory)\" "
                           + "has \(ByteCount(free)) free; free space, or write elsewhere with --output")
        }
    }

    /// The bytes a file occupies on disk (its blocks; a sparse run file only what is written).
    static func allocated(_ path: String) -> Double {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return Double(info.st_blocks) * 512
    }
}
