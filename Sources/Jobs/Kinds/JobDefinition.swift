import Cluster
import Foundation
import Logging
import Store

/// A job kind: the Codable shape of its file, its range checks, and what a run of it does.
public protocol JobDefinition: Codable, Sendable {
    /// The value of `kind` that selects this definition, and its one-line summary.
    static var kind: JobKind { get }
    /// The keys every job file has: kind, output, seed.
    var header: JobHeader { get set }
    /// Checks every value's range; `file` names the job file in messages.
    func validate(file: String) throws(JobError)
    /// Checks what depends on the number of ranks (e.g. a decomposition the ranks cannot split).
    func validate(ranks: Int, file: String) throws(JobError)
    /// What the run would do, in a few lines, for `ensemble validate`.
    func plan(ranks: Int) -> [String]
    /// Runs the job on an open run file and records its results there. Collective.
    func execute(_ context: RunContext) throws -> RunOutcome
    /// The job reading `files` as its input data (the `--data` flag); nil if the kind reads no data.
    func replacingData(_ files: [String]) -> (any JobDefinition)?
    /// Whether the run file holds results written as the run goes (series, configurations), which a
    /// resume checks against the checkpoint and continues; otherwise the run file is written at the
    /// end and rebuilt on resume.
    var recordsIncrementally: Bool { get }
    /// The files the job reads, which no output may replace.
    var inputFiles: [String] { get }
    /// What the input files are to the job (e.g. "training data"), for messages.
    static var inputRole: String { get }
    /// What a checkpoint of this job on `ranks` ranks must match (the data files' digests are added
    /// after MPI starts).
    func identity(text: String, ranks: Int) -> CheckpointIdentity
    /// Checks the input files (their checksums, read by all ranks) before any file is made, and
    /// returns their SHA-256 digests for the checkpoint identity. Collective.
    func verifyInputs(communicator: Communicator, logger: Logger) throws -> [String]
    /// The disk and memory a run on `ranks` ranks needs.
    func resources(ranks: Int) -> RunResources
}

extension JobDefinition {
    /// Where the result goes (relative paths are relative to the working directory).
    public var output: String {
        get { header.output }
        set { header.output = newValue }
    }
    /// The seed every random number derives from.
    public var seed: UInt64 { header.seed }
    /// By default a kind accepts any number of ranks.
    public func validate(ranks: Int, file: String) throws(JobError) {}
    /// By default a kind reads no data, so `--data` is refused.
    public func replacingData(_ files: [String]) -> (any JobDefinition)? { nil }
    /// By default the run file is written at the end and rebuilt on resume.
    public var recordsIncrementally: Bool { false }
    /// By default a kind reads no input files.
    public var inputFiles: [String] { [] }
    /// By default the identity is the kind, the job text, the seed and the input files (their
    /// SHA-256 is added after MPI starts), valid on any number of ranks.
    public func identity(text: String, ranks: Int) -> CheckpointIdentity {
        CheckpointIdentity(kind: Self.kind.name, job: text, seed: seed, dataFiles: inputFiles)
    }
    /// By default every input file is checked whole, as `inputRole`, and its SHA-256 returned. Collective.
    public func verifyInputs(communicator: Communicator, logger: Logger) throws -> [String] {
        try InputFiles.verify(inputFiles, role: Self.inputRole, communicator: communicator, logger: logger)
    }
    /// What the input files are to the job, for the message when one is damaged.
    public static var inputRole: String { "an input of this job" }
}

/// A job kind's name, the value of `kind` in its files, and the line `--help` shows for it.
public struct JobKind: Sendable, CustomStringConvertible {
    /// The value of `kind` that selects the kind.
    public let name: String
    /// One line for `ensemble validate` and `--help`.
    public let summary: String
    /// The `/summary` columns a terminal shows first, the results a user runs the kind for.
    public let mainColumns: [String]

    /// Every column of the `/summary` table a run file of the kind has, so that `--columns` is
    /// checked before the run (empty: not known, checked after it).
    public let summaryColumns: [String]

    /// A kind named `name`, described by `summary`, whose `/summary` table has `columns` and leads
    /// with `mainColumns`.
    public init(_ name: String, summary: String, columns: [Column] = [], mainColumns: [String] = []) {
        self.name = name
        self.summary = summary
        self.summaryColumns = columns.map(\.name)
        self.mainColumns = mainColumns
    }

    /// The name, as messages print it.
    public var description: String { name }
}
