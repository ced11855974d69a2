import Foundation
import Launching
import XCTest

/// Ranks whose clocks disagree, as on nodes without synchronised clocks (or two ranks on either
/// side of a second): every time a run writes into its shared files is rank 0's, so the result
/// and every checkpoint still match their checksums, and the result is the uninterrupted one.
final class ClockSkewTests: XCTestCase {
    /// Rank 1 an hour ahead: the run, and a resume after a crash, complete verified and equal to
    /// the run without skew; the file's times are rank 0's.
    func testARankWithAnotherClockLeavesAnIntactResult() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let harness = FaultHarness(launcher: launcher)
        let skew = ["ENSEMBLE_FAULT": "skew:3600:1"]
        for (name, text) in [("ising", FaultJobs.ising), ("flow", FaultJobs.flow)] {
            try harness.reference(name, text)
            let run = try harness.run(name, output: "\(name)-skewed.h5", environment: skew)
            XCTAssertEqual(run.status, 0, "\(name): \(run.stderr)")
            let verify = try launcher.ensemble(["inspect", "--verify", "\(name)-skewed.h5"])
            XCTAssertEqual(verify.status, 0, "\(name): \(verify.stderr)")
            XCTAssertTrue(verify.stdout.contains("verified: all"), "\(name): \(verify.stdout)")
            // A crash at the third checkpoint, then a resume with the skewed clock: each checkpoint
            // it writes is read back and verified before it is published.
            let crashed = try harness.run(name, output: "\(name)-resumed.h5", environment: ["ENSEMBLE_FAULT": "crash:checkpoint.published:3"])
            XCTAssertNotEqual(crashed.status, 0, "\(name): the crash did not happen")
            let resumed = try harness.run(name, output: "\(name)-resumed.h5", environment: skew, extra: ["--resume"])
            XCTAssertEqual(resumed.status, 0, "\(name): \(resumed.stderr)")
            let digests = try harness.digests(["\(name)-reference.h5", "\(name)-skewed.h5", "\(name)-resumed.h5"])
            XCTAssertEqual(Set(digests).count, 1, "\(name): a skewed clock changed the result")
        }
        let times = try launcher.python("""
            import h5py, datetime
            f = h5py.File('flow-skewed.h5', 'r')
            for key in ('created', 'completed_at'):
                t = datetime.datetime.strptime(f.attrs[key], '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc)
                print(key, round((t - datetime.datetime.now(datetime.timezone.utc)).total_seconds()))
            """)
        for line in times.split(separator: "\n") {
            let offset = try XCTUnwrap(Int(line.split(separator: " ").last ?? ""), times)
            XCTAssertLessThan(abs(offset), 600, "\(line): not rank 0's clock")
        }
    }
}
