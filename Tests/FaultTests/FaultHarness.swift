import Foundation
import Launching
import XCTest

/// What became of a run after a fault, once resumed as a user (or slurm/step.sh) would resume it.
enum FaultVerdict: Equatable {
    /// Every dataset byte for byte as in the uninterrupted run.
    case identical
    /// A resume refused, with this message (exit 2).
    case refused(String)
    /// Exit 0 with a different result: the failure this suite exists to catch.
    case silent
    /// Anything else (another exit code, no way to finish).
    case failed(String)
}

/// Runs a job interrupted by a fault and brings it to an end, comparing with the uninterrupted run.
struct FaultHarness {
    let launcher: Launcher
    let ranks = 2

    /// The digests of every dataset of finished run files (wall-time columns excluded), read by one
    /// Python process.
    func digests(_ files: [String]) throws -> [String] {
        guard !files.isEmpty else { return [] }
        return try launcher.python(FaultJobs.digestScript, arguments: files).split(separator: "\n").map(String.init)
    }

    /// Runs `text` uninterrupted as `NAME-reference.h5`; returns its wall time.
    @discardableResult
    func reference(_ name: String, _ text: String) throws -> Double {
        try launcher.write("\(name).toml", text)
        let start = Date()
        let run = try launcher.ensemble(ranks: ranks, ["run", "\(name).toml", "--output", "\(name)-reference.h5"])
        XCTAssertEqual(run.status, 0, "\(name) reference: \(run.stderr)")
        return Date().timeIntervalSince(start)
    }

    /// `ensemble run` of `NAME.toml` into `output` with `environment` added (e.g. ENSEMBLE_FAULT),
    /// under mpirun on `ranks` ranks (0: one process without mpirun).
    func run(_ name: String, output: String, environment: [String: String] = [:], extra: [String] = [],
             ranks: Int? = nil) throws -> Launcher.Outcome {
        var env = Launcher.childEnvironment()
        for (k, v) in environment { env[k] = v }
        let arguments = ["run", "\(name).toml", "--output", output] + extra
        if ranks == 0 { return try launcher.execute(Launcher.binary, arguments, environment: env) }
        return try launcher.execute("/usr/bin/env", ["mpirun", "-np", String(ranks ?? self.ranks), "--oversubscribe", Launcher.binary]
                                    + arguments, environment: env)
    }

    /// Starts the run and kills one rank with SIGKILL `delay` seconds later, as a node failure does.
    func killRank(_ name: String, output: String, after delay: Double, rank: Int) throws {
        let process = try launcher.start(ranks: ranks, ["run", "\(name).toml", "--output", output]).process
        usleep(useconds_t(delay * 1e6))
        // The ranks are mpirun's children; once started they appear in rank order of their PIDs.
        let children = Launcher.children(of: process.processIdentifier)
        if !children.isEmpty { kill(children[min(rank, children.count - 1)], SIGKILL) }
        process.waitUntilExit()
    }

    /// Resumes (or starts afresh, when the fault struck before anything was written) until the run
    /// completes or a resume is refused: nil when `output` is complete, to be compared with the
    /// reference, else the refusal or failure.
    func finish(_ name: String, output: String) throws -> FaultVerdict? {
        let fm = FileManager.default
        for _ in 0..<4 {
            if fm.fileExists(atPath: launcher.path(output)) { return nil }
            let waiting = fm.fileExists(atPath: launcher.path(output + ".partial")) || fm.fileExists(atPath: launcher.path(output + ".checkpoint"))
            let outcome = try run(name, output: output, extra: waiting ? ["--resume"] : [])
            switch outcome.status {
            case 0, 75: continue
            case 2: return .refused(outcome.stderr)
            default: return .failed("exit \(outcome.status): \(outcome.stderr)")
            }
        }
        return .failed("did not finish after four resumes")
    }

    /// Finishes the run and compares it with `NAME-reference.h5` at once.
    func finishAndCompare(_ name: String, output: String) throws -> FaultVerdict {
        if let verdict = try finish(name, output: output) { return verdict }
        let pair = try digests(["\(name)-reference.h5", output])
        return pair.count == 2 && pair[0] == pair[1] ? .identical : .silent
    }
}

/// Counts of what the kill tests saw, printed for the closing note.
struct FaultTally: CustomStringConvertible {
    var tried = 0, identical = 0, refused = 0, silent = 0, failed = 0

    mutating func add(_ verdict: FaultVerdict) {
        tried += 1
        switch verdict {
        case .identical: identical += 1
        case .refused: refused += 1
        case .silent: silent += 1
        case .failed: failed += 1
        }
    }

    var description: String { "\(tried) tried, \(identical) resumed identical, \(refused) refused, \(silent) silent, \(failed) failed" }
}
