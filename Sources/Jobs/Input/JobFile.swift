import Cluster
import Foundation
import Logging
import TOMLKit

/// A job file read and checked: its text, its path and the decoded definition.
public struct JobFile: Sendable {
    /// The path it was read from.
    public let path: String
    /// The file's exact text, stored in every run file for provenance and resume.
    public let text: String
    /// The decoded, validated job.
    public var job: any JobDefinition
    /// The `--set` overrides applied to the file's text, in the order given (recorded in the run file).
    public internal(set) var overrides: [KeyOverride] = []

    /// Reads, decodes and validates a job file; touches nothing else.
    public static func load(_ path: String) throws(JobError) -> JobFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw JobError(file: path, exists ? "cannot be read (permissions?)" : "no such job file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw JobError(file: path, "is not UTF-8 text; a job file is TOML")
        }
        return try parse(text, path: path)
    }

    /// Decodes and validates job-file text; `path` is used in messages.
    public static func parse(_ text: String, path: String) throws(JobError) -> JobFile {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw JobError(file: path, "malformed TOML at line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        } catch {
            throw JobError(file: path, "malformed TOML: \(error)")
        }
        guard let kindValue = table["kind"] else {
            throw JobError(file: path, key: "kind", "missing; must be one of \(kindNames)")
        }
        guard let kind = kindValue.string, let definition = JobKinds.all.first(where: { $0.kind.name == kind }) else {
            throw JobError(file: path, key: "kind", "\(kindValue.debugDescription) is not a known job kind; must be one of \(kindNames)")
        }
        let job = try StrictDecoding.decode(definition, from: table, path: path)
        try job.validate(file: path)
        return JobFile(path: path, text: text, job: job)
    }

    static var kindNames: String { JobKinds.all.map { "\"\($0.kind.name)\"" }.joined(separator: ", ") }
}

extension JobFile {
    /// This job with its top-level `seed` replaced (the `--seed` flag): the text is rewritten and
    /// read again, so the run file's stored job, and a resume, see the seed that ran.
    public func replacingSeed(_ seed: UInt64?) throws(JobError) -> JobFile {
        guard let seed else { return self }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let tables = lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix("[") } ?? lines.count
        let line = "seed = \(seed)   # set by --seed \(seed)"
        let isSeed = { (l: String) in l.contains("=") && l.split(separator: "=")[0].trimmingCharacters(in: .whitespaces) == "seed" }
        if let k = lines[..<tables].firstIndex(where: isSeed) {
            lines[k] = line
        } else {
            lines.insert(line, at: 0)
        }
        return try JobFile.parse(lines.joined(separator: "\n"), path: path)
    }

    /// This job with its input data replaced by `files` (the `--data` flag of `run` and `validate`).
    public func replacingData(_ files: [String]) throws(JobError) -> JobFile {
        guard !files.isEmpty else { return self }
        guard let job = job.replacingData(files) else {
            throw JobError(file: "--data", "a \(type(of: self.job).kind) job reads no data files; --data is for train jobs")
        }
        var copy = self
        copy.job = job
        return copy
    }
}
