import Foundation
import Store

/// What a checkpoint belongs to: a resume must match all of it before any work, because a run
/// continued under another job text, seed, data set or number of ranks would not be the run that
/// wrote it.
public struct CheckpointIdentity: Sendable, Equatable {
    /// The job kind.
    public var kind: String
    /// The job file's text after --seed (and any other override).
    public var job: String
    /// The seed every random number of the run derives from.
    public var seed: UInt64
    /// The input data files, as given, and their SHA-256 (training).
    public var dataFiles: [String]
    /// The SHA-256 digest of each data file, in the order of `dataFiles` (empty until computed after MPI starts).
    public var dataSHA256: [String]
    /// The number of ranks the state belongs to, for searches whose state is per rank; nil when any will do.
    public var requiredRanks: Int?

    /// Makes the identity; only kinds that read data or keep per-rank state give data files or a required number of ranks.
    public init(kind: String, job: String, seed: UInt64, dataFiles: [String] = [], dataSHA256: [String] = [], requiredRanks: Int? = nil) {
        self.kind = kind
        self.job = job
        self.seed = seed
        self.dataFiles = dataFiles
        self.dataSHA256 = dataSHA256
        self.requiredRanks = requiredRanks
    }

    /// Why `stored` (a checkpoint's) does not fit this run, or nil. The data files' digests are
    /// compared only when `compareDigests` (they are computed after MPI starts).
    func mismatch(with stored: CheckpointIdentity, ranks: Int, compareDigests: Bool) -> String? {
        if stored.kind != kind { return "holds a \(stored.kind) run, not a \(kind) run" }
        if stored.job != job {
            return "holds a run of another job: the job text (after --seed and --set) differs from the job that started the run; resume with the same job file and flags"
        }
        if stored.seed != seed { return "was written with seed \(stored.seed), not \(seed)" }
        if stored.dataFiles != dataFiles {
            return "was trained on \(stored.dataFiles.joined(separator: ", ")), not \(dataFiles.joined(separator: ", ")); resume with the same --data"
        }
        if compareDigests && stored.dataSHA256 != dataSHA256 {
            let changed = zip(zip(stored.dataFiles, stored.dataSHA256), dataSHA256).filter { $0.0.1 != $0.1 }.map(\.0.0)
            return "was trained on data that has changed since: \(changed.joined(separator: ", ")) no longer has the SHA-256 recorded when the run started"
        }
        if let required = stored.requiredRanks, required != ranks {
            return "holds the state of a search on \(required) rank(s), each searching its own part; resume it on the same number, \(required), not \(ranks)"
        }
        return nil
    }
}

/// The root attributes of a checkpoint file: its format, identity and position.
public struct CheckpointHeader: Sendable {
    /// The format this build writes and reads.
    public static let format = "ensemble-checkpoint/1"

    /// What the checkpoint belongs to: kind, job text, seed, data files and ranks.
    public var identity: CheckpointIdentity
    /// Steps done (sweeps, trajectories, measurements, optimiser steps, generations…).
    public var step: Int
    /// What a step is, for messages.
    public var unit: String
    /// The version of the kind's state layout.
    public var stateVersion: Int
    /// The ranks that wrote it.
    public var ranks: Int
    /// When the run started, and how often it has been resumed before.
    public var runCreated: String
    /// How many times the run had been resumed when this checkpoint was written.
    public var resumes: Int

    /// Writes the attributes (not the checksum), `written` the time the ranks agreed on. Collective.
    func write(to root: Group, written: String) throws {
        try root.setAttribute("format", Self.format)
        try root.setAttribute("kind", identity.kind)
        try root.setAttribute("job", identity.job)
        try root.setAttribute("seed", identity.seed)
        try root.setAttribute("data_files", identity.dataFiles.joined(separator: "\n"))
        try root.setAttribute("data_sha256", identity.dataSHA256.joined(separator: "\n"))
        try root.setAttribute("required_ranks", Int64(identity.requiredRanks ?? 0))
        try root.setAttribute("step", Int64(step))
        try root.setAttribute("step_unit", unit)
        try root.setAttribute("state_version", Int64(stateVersion))
        try root.setAttribute("ranks", Int64(ranks))
        try root.setAttribute("run_created", runCreated)
        try root.setAttribute("resumes", Int64(resumes))
        try root.setAttribute("ensemble_version", Provenance.version)
        try root.setAttribute("written", written)
    }

    /// Reads the attributes; `file` names the checkpoint in messages. Collective in a parallel file.
    static func read(from root: Group, file: String) throws -> CheckpointHeader {
        func text(_ name: String) throws -> String {
            guard root.hasAttribute(name), case let .text(value) = try root.attribute(name) else {
                throw JobError(file: file, "is not a checkpoint this ensemble can read: its '\(name)' is missing")
            }
            return value
        }
        func integer(_ name: String) throws -> Int64 {
            guard root.hasAttribute(name), case let .integer(value) = try root.attribute(name) else {
                throw JobError(file: file, "is not a checkpoint this ensemble can read: its '\(name)' is missing")
            }
            return value
        }
        let format = try text("format")
        guard format == Self.format else { throw JobError(file: file, "has format \"\(format)\"; this ensemble reads \"\(Self.format)\"") }
        guard root.hasAttribute("seed"), case let .integer(seed) = try root.attribute("seed") else {
            throw JobError(file: file, "is not a checkpoint this ensemble can read: its 'seed' is missing")
        }
        let lines = { (s: String) in s.isEmpty ? [] : s.components(separatedBy: "\n") }
        let required = try integer("required_ranks")
        let identity = CheckpointIdentity(kind: try text("kind"), job: try text("job"), seed: UInt64(bitPattern: seed),
                                          dataFiles: lines(try text("data_files")), dataSHA256: lines(try text("data_sha256")),
                                          requiredRanks: required > 0 ? Int(required) : nil)
        return CheckpointHeader(identity: identity, step: Int(try integer("step")), unit: try text("step_unit"),
                                stateVersion: Int(try integer("state_version")), ranks: Int(try integer("ranks")),
                                runCreated: try text("run_created"), resumes: Int(try integer("resumes")))
    }

    /// Reads the header of the checkpoint at `path` serially, before MPI starts; the error says what is wrong.
    public static func peek(_ path: String) throws(JobError) -> CheckpointHeader {
        try ResultSeal.read(path, as: "a checkpoint") { try read(from: $0, file: path) }
    }
}
