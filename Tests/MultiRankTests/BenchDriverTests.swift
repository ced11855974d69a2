import Foundation
import Launching
import XCTest

/// The benchmark driver's own fast tests (Benchmarks/driver/tests), run here so `make test` runs
/// them: the case table, BENCH selection, the results schema, and every `ensemble bench … --json`.
final class BenchDriverTests: XCTestCase {
    func testDriver() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let benchmarks = Launcher.jobs.deletingLastPathComponent().appendingPathComponent("Benchmarks").path
        var environment = Launcher.childEnvironment()
        environment["ENSEMBLE_BINARY"] = Launcher.binary
        // The driver is plain Python 3 (no h5py needed), as Benchmarks/run runs it.
        let outcome = try launcher.execute("/usr/bin/env", ["python3", "-m", "unittest", "discover", "-s",
                                                            benchmarks + "/driver/tests", "-t", benchmarks],
                                           environment: environment)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("OK"), outcome.stderr)
        // Skipping the Swift output tests would hide a missing binary.
        XCTAssertFalse(outcome.stderr.contains("skipped"), outcome.stderr)
    }
}
