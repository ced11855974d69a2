import Foundation
import XCTest

/// Runs the real `ensemble` binary, under mpirun or alone, in a scratch folder, as a user would;
/// shared by the multi-rank and the fault tests.
public struct Launcher {
    /// How a command ended.
    public struct Outcome {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The release binary `make test` built (ENSEMBLE_BINARY), or the one beside these sources.
    public static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["ENSEMBLE_BINARY"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/release/ensemble").path
    }()

    /// The virtual environment's Python with h5py (ENSEMBLE_PYTHON), made by `make test`.
    public static let python: String = {
        if let path = ProcessInfo.processInfo.environment["ENSEMBLE_PYTHON"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/venv/bin/python").path
    }()

    public static let jobs: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("jobs")

    public let folder: URL

    public init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ensemble-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    public func remove() { try? FileManager.default.removeItem(at: folder) }

    public func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    public func write(_ name: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// The files in the scratch folder, for asserting that bad input created or changed nothing.
    public func listing() throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            result[name] = FileManager.default.contents(atPath: path(name)) ?? Data()
        }
        return result
    }

    /// A parent that initialised MPI (this test process may have) leaves OMPI_/PMIX_ variables that
    /// make a child mpirun fail silently: the child gets a clean environment.
    public static func childEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !(key.hasPrefix("OMPI_") || key.hasPrefix("PMIX_") || key.hasPrefix("OPAL_") || key.hasPrefix("ORTE_"))
        }
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        environment["OPENBLAS_NUM_THREADS"] = "1"
        // OpenBLAS picks its kernels by CPU at run time (AVX2 and AVX-512 kernels sum in different
        // orders); the Haswell kernels run on every machine Ensemble supports, so results recorded
        // on one machine (data/shipped-jobs.json) are reproduced bit for bit on another.
        environment["OPENBLAS_CORETYPE"] = environment["OPENBLAS_CORETYPE"] ?? "Haswell"
        return environment
    }

    /// Runs `executable arguments` in the scratch folder and waits for it.
    public func execute(_ executable: String, _ arguments: [String],
                 environment: [String: String] = Launcher.childEnvironment()) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = environment
        let out = folder.appendingPathComponent(".stdout-\(UUID().uuidString)")
        let err = folder.appendingPathComponent(".stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        return Outcome(status: process.terminationStatus,
                       stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// `ensemble arguments` under `mpirun -np ranks` (oversubscribed past the cores, as CI has 2).
    public func ensemble(ranks: Int, _ arguments: [String]) throws -> Outcome {
        try execute("/usr/bin/env", ["mpirun", "-np", String(ranks), "--oversubscribe", Launcher.binary] + arguments)
    }

    /// Starts `ensemble arguments` under `mpirun -np ranks` in the background, for a test that
    /// signals or kills it; its standard error goes to the returned pipe (read it to the end
    /// before waiting for the process), or nowhere.
    public func start(ranks: Int, _ arguments: [String], captureErrors: Bool = false) throws -> (process: Process, errors: Pipe?) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["mpirun", "-np", String(ranks), "--oversubscribe", Launcher.binary] + arguments
        process.currentDirectoryURL = folder
        process.environment = Launcher.childEnvironment()
        process.standardOutput = FileHandle.nullDevice
        let errors = captureErrors ? Pipe() : nil
        process.standardError = errors ?? FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, errors)
    }

    /// `ensemble arguments` refused before MPI starts, on `ranks` ranks: under mpirun for more than
    /// one, as a single process for one. The checks are the same either way, and mpirun's own
    /// teardown after a non-zero exit costs seconds per case.
    public func refused(ranks: Int, _ arguments: [String]) throws -> Outcome {
        ranks == 1 ? try ensemble(arguments) : try ensemble(ranks: ranks, arguments)
    }

    /// `ensemble arguments` as a single process without mpirun.
    public func ensemble(_ arguments: [String]) throws -> Outcome {
        try execute(Launcher.binary, arguments)
    }

    /// Runs a Python snippet with h5py and numpy available; returns its stdout.
    /// Writes `text` as TAG.toml, runs it on each rank count into TAG-N.h5 and returns `digest`
    /// of each file.
    public func runEach(_ text: String, ranks: [Int], tag: String, digest: (String) throws -> String,
                 file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        try write("\(tag).toml", text)
        return try ranks.map { n in
            let outcome = try ensemble(ranks: n, ["run", "\(tag).toml", "--output", "\(tag)-\(n).h5"])
            XCTAssertEqual(outcome.status, 0, "\(tag) on \(n) ranks: \(outcome.stderr)", file: file, line: line)
            return try digest("\(tag)-\(n).h5")
        }
    }

    public func python(_ script: String, arguments: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let outcome = try execute(Launcher.python, ["-c", script] + arguments)
        XCTAssertEqual(outcome.status, 0, "python failed: \(outcome.stderr)", file: file, line: line)
        return outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The processes whose parent is `pid` (an mpirun's ranks), by PID.
    public static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { child in
            guard let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[1]) == pid
        }.sorted()
    }
}
