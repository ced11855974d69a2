import Foundation
import Launching
import XCTest

/// A full file system, made for real as a small tmpfs (root only): a run that cannot fit is refused
/// before it starts; one whose disk fills while it runs ends within seconds, on every rank, with a
/// message that says the disk is full, and its last checkpoint resumes, once space is freed, to
/// the result of an uninterrupted run.
final class FullDiskTests: XCTestCase {
    func testAFullDiskEndsTheRunCleanlyAndItResumesOnceThereIsSpace() throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a small tmpfs needs root; run make test as root to test a full disk") }
        let launcher = try Launcher()
        defer { launcher.remove() }
        let mount = launcher.path("tiny")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: false)
        guard try launcher.execute("/bin/mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", mount]).status == 0 else {
            throw XCTSkip("this machine does not allow mounting a tmpfs (a container without CAP_SYS_ADMIN)")
        }
        defer { _ = try? launcher.execute("/bin/umount", ["-l", mount]) }
        let harness = FaultHarness(launcher: launcher)
        let text = FaultJobs.ising.replacingOccurrences(of: "sweeps = 800", with: "sweeps = 6000")
            .replacingOccurrences(of: "save_every = 25", with: "save_every = 5")
        try harness.reference("ising", text)

        // 120 000 samples of 32² spins would not fit: refused before anything starts.
        try launcher.write("big.toml", text.replacingOccurrences(of: "sweeps = 6000", with: "sweeps = 600000"))
        let big = try launcher.ensemble(ranks: 2, ["run", "big.toml", "--output", "tiny/big.h5"])
        XCTAssertEqual(big.status, 2, big.stderr)
        XCTAssertTrue(big.stderr.contains("on disk") && big.stderr.contains("free"), big.stderr)

        // The disk fills while the run is under way (another process takes the space).
        let (process, errors) = try launcher.start(ranks: 2, ["run", "ising.toml", "--output", "tiny/run.h5"], captureErrors: true)
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: mount + "/run.h5.checkpoint") && Date() < deadline { usleep(10_000) }
        _ = try launcher.execute("/usr/bin/env", ["dd", "if=/dev/zero", "of=\(mount)/filler", "bs=64k"])
        let filled = Date()
        let message = String(decoding: errors!.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertLessThan(Date().timeIntervalSince(filled), 30, "ended within 30 s of the disk filling")
        XCTAssertEqual(process.terminationStatus, 1, message)
        XCTAssertTrue(message.contains("the disk is full") && message.contains("tiny"), message)
        XCTAssertTrue(message.contains("run.h5.checkpoint is intact"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: mount + "/run.h5"), "no result")

        try FileManager.default.removeItem(atPath: mount + "/filler")
        XCTAssertEqual(try harness.finishAndCompare("ising", output: "tiny/run.h5"), .identical)
    }
}
