import Foundation
import Launching
import XCTest

/// One writer per output, and signals: a second run, or a resume of a run that is still going, is
/// refused at once; a killed run's lock is stale and taken over; SIGTERM to a rank stops every
/// rank at a checkpoint (exit 75); SIGTERM to mpirun ends the job as Open MPI decides, and the
/// last checkpoint resumes to the uninterrupted result.
final class ConcurrencyTests: XCTestCase {
    /// The demo job made long enough that only a signal ends it within a test.
    static let long = FaultJobs.demo.replacingOccurrences(of: "measurements = 40000", with: "measurements = 20000000")
        .replacingOccurrences(of: "checkpoint_every = 4000", with: "checkpoint_every = 200000")

    /// Starts `ensemble run long.toml` into `output` in the background.
    func start(_ launcher: Launcher, output: String) throws -> Process {
        let process = try launcher.start(ranks: 2, ["run", "long.toml", "--output", output]).process
        let checkpoint = launcher.path(output + ".checkpoint"), deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: checkpoint) && Date() < deadline { usleep(20_000) }
        return process
    }

    func testASecondWriterIsRefusedAtOnceAndAKilledRunsLockIsTakenOver() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("long.toml", Self.long)
        let first = try start(launcher, output: "one.h5")
        XCTAssertTrue(FileManager.default.fileExists(atPath: launcher.path("one.h5.lock")))
        for flags in [["--force"], ["--resume"]] {
            for ranks in [0, 2] {
                let began = Date()
                let arguments = ["run", "long.toml", "--output", "one.h5"] + flags
                let second = ranks == 0 ? try launcher.ensemble(arguments) : try launcher.ensemble(ranks: ranks, arguments)
                let seconds = Date().timeIntervalSince(began)
                XCTAssertEqual(second.status, 2, "\(flags): \(second.stderr)")
                XCTAssertTrue(second.stderr.contains("another run is writing this output") && second.stderr.contains("PID"), second.stderr)
                // Refused by every rank before MPI starts; under mpirun, Open MPI's own teardown after a
                // non-zero exit (about 2 s for `mpirun -np 2 sh -c 'exit 2'` here) comes on top.
                print("second writer \(flags) refused in \(String(format: "%.2f", seconds)) s (\(ranks == 0 ? "one process" : "mpirun -np \(ranks)"))")
                XCTAssertLessThan(seconds, ranks == 0 ? 1 : 5, "refused at once")
            }
        }
        // The first run was not disturbed: it stops cleanly on SIGUSR1 and releases the lock.
        kill(first.processIdentifier, SIGUSR1)
        first.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 75)
        XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("one.h5.lock")))

        // Killed outright, a run leaves its lock file behind, but no process holds it any more.
        let killed = try start(launcher, output: "two.h5")
        for child in Launcher.children(of: killed.processIdentifier) { kill(child, SIGKILL) }
        killed.waitUntilExit()
        XCTAssertTrue(FileManager.default.fileExists(atPath: launcher.path("two.h5.lock")))
        try launcher.write("short.toml", FaultJobs.demo)
        let taken = try launcher.ensemble(ranks: 2, ["run", "short.toml", "--output", "two.h5", "--force"])
        XCTAssertEqual(taken.status, 0, taken.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("two.h5.lock")))
    }

    func testSignalsStopAtACheckpointThatResumesToTheSameResult() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let harness = FaultHarness(launcher: launcher)
        let text = FaultJobs.ising.replacingOccurrences(of: "sweeps = 800", with: "sweeps = 8000")
        let seconds = try harness.reference("ising", text)
        // SIGTERM to one rank: the ranks agree to stop within a few sweeps, with a checkpoint.
        for (output, toMpirun) in [("rank.h5", false), ("mpirun.h5", true)] {
            let (process, errors) = try launcher.start(ranks: 2, ["run", "ising.toml", "--output", output], captureErrors: true)
            usleep(useconds_t(seconds * 0.5e6))
            let began = Date()
            if toMpirun { kill(process.processIdentifier, SIGTERM) } else { kill(Launcher.children(of: process.processIdentifier)[1], SIGTERM) }
            process.waitUntilExit()
            XCTAssertLessThan(Date().timeIntervalSince(began), 10, "stopped within seconds")
            let message = String(decoding: errors!.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if toMpirun {
                // Open MPI's mpirun answers SIGTERM itself: it passes SIGTERM on, SIGKILLs the ranks a
                // second later and exits 1 whatever they did (README, "Stopping a run").
                XCTAssertNotEqual(process.terminationStatus, 0, message)
            } else {
                XCTAssertEqual(process.terminationStatus, 75, message)
                XCTAssertTrue(message.contains("continue with --resume"), message)
            }
            XCTAssertEqual(try harness.finishAndCompare("ising", output: output), .identical, output)
        }
    }
}
