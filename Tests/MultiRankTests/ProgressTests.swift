import Foundation
import Launching
import XCTest

/// Progress under mpirun (no terminal): rank 0 logs a line with rate and ETA every `--progress`
/// seconds, between checkpoints too, and with `--progress 0` only the last one.
final class ProgressTests: XCTestCase {
    /// The percentages of the progress lines in `stderr` that start with `label`.
    func percentages(_ stderr: String, label: String) -> [Int] {
        stderr.split(separator: "\n").filter { $0.contains(" \(label) ") && $0.contains("ETA") }.compactMap { line in
            line.split(separator: " ").first { $0.hasSuffix("%") }.flatMap { Int($0.dropLast()) }
        }
    }

    /// A genetic search of about a second (10⁶ evaluations) with no checkpoint before its end
    /// reports at a steady interval, rising to 100 %; with `--progress 0` only the last line.
    func testASearchReportsProgressBetweenCheckpoints() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("v.toml", VacuaRunTests.job(evaluations: 1_000_000, extra: "checkpoint_every = 100000"))
        let run = try launcher.ensemble(ranks: 2, ["run", "v.toml", "--progress", "0.05"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let seen = percentages(run.stderr, label: "genetic (rank 0)")
        print("progress lines at --progress 0.05: \(seen.map { "\($0)%" }.joined(separator: " "))")
        XCTAssertEqual(seen.last, 100, run.stderr)
        XCTAssertEqual(seen, seen.sorted(), "progress went backwards: \(seen)")
        XCTAssertGreaterThanOrEqual(seen.filter { $0 > 0 && $0 < 100 }.count, 2, "too few lines before the end: \(run.stderr)")
        XCTAssertFalse(run.stderr.contains("checkpoint"), "the run checkpointed, so the lines are not between checkpoints: \(run.stderr)")
        let quiet = try launcher.ensemble(ranks: 2, ["run", "v.toml", "--output", "quiet.h5", "--progress", "0"])
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(percentages(quiet.stderr, label: "genetic (rank 0)"), [100], quiet.stderr)
    }
}
