import BuildInfo
import Cluster
import Foundation
import Numerics
import Store

/// What produced a run file, written as root attributes (DESIGN.md, schema `ensemble/1`) so that a
/// file explains itself to h5py with no other file.
public struct Provenance: Sendable {
    /// The schema every run file declares.
    public static let schema = "ensemble/1"
    /// This program's version.
    public static let version = "0.1.0"

    /// The job kind (the `kind` attribute).
    public let kind: String
    /// The number of MPI ranks the run used.
    public let ranks: Int
    /// The seed every random number of the run derives from.
    public let seed: UInt64
    /// The command line that started the run (`command_line`).
    public let commandLine: String
    /// The job file's text as run, after `--seed` and any other override (the `job` attribute).
    public let jobText: String
    /// The `--set` overrides, one `section.key=value` per line (the `overrides` attribute; empty when none).
    public let overrides: String
    /// When the run started, ISO 8601 in UTC.
    public let created: String

    /// `created` is now, unless the run file is rebuilt for a resumed run that started earlier.
    public init(kind: String, ranks: Int, seed: UInt64, commandLine: String, jobText: String, overrides: [KeyOverride] = [], created: String? = nil) {
        self.kind = kind
        self.ranks = ranks
        self.seed = seed
        self.commandLine = commandLine
        self.jobText = jobText
        self.overrides = overrides.map(\.description).joined(separator: "\n")
        self.created = created ?? Provenance.timestamp()
    }

    /// Now, as ISO 8601 in UTC.
    public static func timestamp(_ date: Date = FaultInjection.now()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// Now as rank 0's clock reads it, on every rank. A value the ranks write into a shared file
    /// must be the same on all of them: two ranks a second apart (a second boundary between them,
    /// or nodes whose clocks differ) would otherwise leave a file whose attributes do not match
    /// its checksum. Collective.
    public static func timestamp(agreedBy communicator: Communicator) throws -> String {
        try communicator.broadcast(timestamp())
    }

    /// Writes the attributes; `completed` is false until the run commits. Collective.
    public func write(to root: Group) throws {
        try root.setAttribute("schema", Provenance.schema)
        try root.setAttribute("kind", kind)
        try root.setAttribute("ensemble_version", Provenance.version)
        try root.setAttribute("git_commit", Provenance.gitCommit)
        try root.setAttribute("created", created)
        try root.setAttribute("completed", false)
        try root.setAttribute("ranks", Int64(ranks))
        try root.setAttribute("seed", seed)
        try root.setAttribute("command_line", commandLine)
        try root.setAttribute("job", jobText)
        try root.setAttribute("overrides", overrides)
        try root.setAttribute("mpi_library", MPIEnvironment.libraryVersion)
        try root.setAttribute("hdf5_version", HDF5Library.version)
        try root.setAttribute("openblas_config", BLAS.configuration)
        try root.setAttribute("swift_version", Provenance.swiftVersion)
        try root.setAttribute("instruction_set", InstructionSet.name)
    }

    /// The provenance of a file a command (not a job) writes, such as a merged catalog or
    /// predictions: schema, kind, version, commit, time, command line, HDF5. Serial.
    static func writeTool(kind: String, to root: Group) throws {
        try root.setAttribute("schema", schema)
        try root.setAttribute("kind", kind)
        try root.setAttribute("ensemble_version", version)
        try root.setAttribute("git_commit", gitCommit)
        try root.setAttribute("created", timestamp())
        try root.setAttribute("completed", false)
        try root.setAttribute("command_line", CommandLine.arguments.joined(separator: " "))
        try root.setAttribute("hdf5_version", HDF5Library.version)
    }

    /// Marks a run file complete at `time` (now, by default), just before it is committed; a
    /// parallel file passes the time all ranks agree on. Collective.
    public static func markCompleted(_ root: Group, at time: String = timestamp()) throws {
        try root.setAttribute("completed_at", time)
        try root.setAttribute("completed", true)
    }

    static var swiftVersion: String {
        #if compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #else
        return "6.x"
        #endif
    }

    /// The commit the executable was built from, baked in at build time (`BuildInfo`); for a
    /// build outside a git checkout (a source tarball), `ENSEMBLE_GIT_COMMIT` if set, else "unknown".
    public static let gitCommit: String = {
        if BuildInfo.gitCommit != "unknown" { return BuildInfo.gitCommit }
        let given = ProcessInfo.processInfo.environment["ENSEMBLE_GIT_COMMIT"] ?? ""
        return given.isEmpty ? "unknown" : given
    }()
}
