import Foundation
import Launching
import XCTest

/// `ensemble run --seed`: the same result as the job file with that seed, recorded in the run
/// file, and a resume must use the same seed.
final class SeedFlagTests: XCTestCase {
    func testSeedFlagRunsTheJobWithThatSeed() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let job = VacuaRunTests.job(extra: "checkpoint_every = 20")
        XCTAssertTrue(job.contains("seed = 5\n"))
        try launcher.write("five.toml", job)
        try launcher.write("nine.toml", job.replacingOccurrences(of: "seed = 5\n", with: "seed = 9\n"))
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "five.toml", "--seed", "9", "--output", "flag.h5"]).status, 0)
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "nine.toml", "--output", "file.h5"]).status, 0)
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "five.toml", "--output", "five.h5"]).status, 0)
        XCTAssertEqual(try launcher.python("""
        import h5py
        flag, file, five = (h5py.File(f, 'r') for f in ('flag.h5', 'file.h5', 'five.h5'))
        same = flag['catalog'][...].tobytes() == file['catalog'][...].tobytes()
        other = flag['catalog'][...].tobytes() != five['catalog'][...].tobytes()
        print(same, other, int(flag.attrs['seed']), 'seed = 9   # set by --seed 9' in flag.attrs['job'])
        """), "True True 9 True")
        // Interrupted with --seed 9: resuming without it, or with another seed, is refused.
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "five.toml", "--seed", "9", "--output", "split.h5",
                                                        "--stop-after-checkpoints", "1"]).status, 75)
        let wrong = try launcher.ensemble(ranks: 2, ["run", "five.toml", "--output", "split.h5", "--resume"])
        XCTAssertEqual(wrong.status, 2, wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains("differs from the job that started"), wrong.stderr)
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "five.toml", "--seed", "9", "--output", "split.h5", "--resume"]).status, 0)
        XCTAssertEqual(try launcher.python("""
        import h5py
        print(h5py.File('split.h5', 'r')['catalog'][...].tobytes() == h5py.File('flag.h5', 'r')['catalog'][...].tobytes())
        """), "True")
    }
}
