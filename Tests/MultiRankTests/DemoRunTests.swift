import Foundation
import Launching
import XCTest

/// The demo job end to end: the same numbers on any number of ranks, the Γ-method against the
/// exact τ_int of AR(1), and an interrupted run resumed to the same result.
final class DemoRunTests: XCTestCase {
    static let job = """
    kind = "demo"
    output = "demo.h5"
    seed = 7
    [demo]
    autocorrelations = [0.0, 0.9]
    chains = 5
    measurements = 40000
    checkpoint_every = 10000
    """

    /// sha256 of the stored series, so runs can be compared bit for bit.
    func seriesDigest(_ launcher: Launcher, _ name: String) throws -> String {
        try launcher.python("""
        import h5py, hashlib
        f = h5py.File('\(name)', 'r')
        assert f.attrs['completed'] and f['observables/x'].shape == (2, 5, 40000)
        print(hashlib.sha256(f['observables/x'][...].tobytes()).hexdigest())
        """)
    }

    func testSameSeriesOnOneTwoAndFourRanksAndExactAutocorrelationTime() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("demo.toml", Self.job)
        var digests: [String] = []
        for ranks in [1, 2, 4] {
            let outcome = try launcher.ensemble(ranks: ranks, ["run", "demo.toml", "--output", "demo-\(ranks).h5"])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            XCTAssertTrue(outcome.stdout.contains("tau_int_exact"), "summary table printed: \(outcome.stdout)")
            digests.append(try seriesDigest(launcher, "demo-\(ranks).h5"))
        }
        XCTAssertEqual(Set(digests).count, 1, "series differ between rank counts: \(digests)")

        // The summary's τ_int (5 chains × 40000 measurements) against ½(1+ρ)/(1−ρ), within 4σ of
        // the Γ-method's own error estimate; the mean against 0 within 4σ.
        let json = try launcher.ensemble(["inspect", "--json", "demo-2.h5"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let summary = try XCTUnwrap(report["summary"] as? [String: Any])
        let columns = try XCTUnwrap(summary["columns"] as? [String])
        let rows = try XCTUnwrap(summary["rows"] as? [[Double]])
        XCTAssertEqual(rows.count, 2)
        func column(_ name: String, _ row: [Double]) -> Double { row[columns.firstIndex(of: name)!] }
        for row in rows {
            let rho = column("autocorrelation", row)
            let exact = 0.5 * (1 + rho) / (1 - rho)
            XCTAssertEqual(column("tau_int_exact", row), exact, accuracy: 1e-12)
            XCTAssertEqual(column("tau_int", row), exact, accuracy: 4 * column("tau_int_error", row), "ρ = \(rho)")
            XCTAssertEqual(column("mean", row), 0, accuracy: 4 * column("error", row), "ρ = \(rho)")
            // σ(x̄) = √(2τ_int/N) for unit-variance AR(1), N = 5·40000: the error itself is right to ~10%.
            XCTAssertEqual(column("error", row), (2 * exact / 200_000).squareRoot(), accuracy: 0.1 * (2 * exact / 200_000).squareRoot())
        }
        XCTAssertEqual(report["complete"] as? Bool, true)
        let attributes = try XCTUnwrap(report["attributes"] as? [String: Any])
        for key in ["schema", "kind", "ensemble_version", "git_commit", "created", "completed", "ranks", "seed", "command_line", "job",
                    "mpi_library", "hdf5_version", "openblas_config"] {
            XCTAssertNotNil(attributes[key], "provenance attribute \(key)")
        }
        XCTAssertEqual(attributes["ranks"] as? Int, 2)
        XCTAssertEqual(attributes["job"] as? String, Self.job)
    }

    func testInterruptedRunLeavesCheckpointAndResumesToTheSameResult() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("demo.toml", Self.job)
        let whole = try launcher.ensemble(ranks: 2, ["run", "demo.toml", "--output", "whole.h5"])
        XCTAssertEqual(whole.status, 0, whole.stderr)

        let stopped = try launcher.ensemble(ranks: 2, ["run", "demo.toml", "--output", "split.h5", "--stop-after-checkpoints", "2"])
        XCTAssertEqual(stopped.status, 75, "interrupted runs exit 75: \(stopped.stderr)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("split.h5")), "no file posing as a result")
        XCTAssertTrue(FileManager.default.fileExists(atPath: launcher.path("split.h5.partial")))
        let partial = try launcher.ensemble(["inspect", "split.h5.partial"])
        XCTAssertTrue(partial.stdout.contains("NOT COMPLETE"), partial.stdout)

        // A fresh start without --resume or --force would throw the checkpoint away: refused.
        let refused = try launcher.ensemble(ranks: 2, ["run", "demo.toml", "--output", "split.h5"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("--resume"), refused.stderr)

        // Resumed on another number of ranks, it ends where the uninterrupted run did.
        let resumed = try launcher.ensemble(ranks: 4, ["run", "demo.toml", "--output", "split.h5", "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming at measurement 20000"), resumed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("split.h5.partial")))
        XCTAssertEqual(try seriesDigest(launcher, "split.h5"), try seriesDigest(launcher, "whole.h5"))
        XCTAssertEqual(try launcher.python("import h5py; a = h5py.File('split.h5', 'r').attrs; print(a['ranks'], a['resumes'], a['ranks_at_last_resume'])"),
                       "2 1 4", "provenance records the resume")
    }

    /// Slurm's warning signal, delivered for real: mpirun forwards SIGUSR1 to the ranks, they agree to
    /// stop at the next checkpoint, and the job exits 75 with its checkpoint in place.
    func testWarningSignalStopsAllRanksAtACheckpoint() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        // Long enough (minutes) that only the signal can end it within the test.
        try launcher.write("long.toml", Self.job.replacingOccurrences(of: "measurements = 40000", with: "measurements = 50000000")
            .replacingOccurrences(of: "checkpoint_every = 10000", with: "checkpoint_every = 20000"))
        let process = try launcher.start(ranks: 2, ["run", "long.toml", "--output", "long.h5"]).process
        let partial = launcher.path("long.h5.partial")
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: partial) && Date() < deadline { usleep(50_000) }
        usleep(500_000)
        kill(process.processIdentifier, SIGUSR1)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 75)
        XCTAssertTrue(FileManager.default.fileExists(atPath: partial))
        XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("long.h5")))
        let done = try launcher.python("import h5py; print(int(h5py.File('long.h5.checkpoint', 'r').attrs['step']))")
        XCTAssertGreaterThan(Int(done) ?? 0, 0, "a checkpoint was written before stopping")
        XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("long.h5.lock")), "the lock is released")
    }
}
