import Foundation
import Launching
import XCTest

/// Inputs are checked before use and never become outputs: damaged or altered data, models and
/// catalogs are refused (exit 2, naming the file, leaving nothing behind); a training run resumed
/// on other or changed data is refused; an output that is one of the command's inputs is refused
/// with or without --force, and the input is unchanged.
final class InputTests: XCTestCase {
    func sha256(_ launcher: Launcher, _ name: String) throws -> String {
        try launcher.python("import hashlib; print(hashlib.sha256(open('\(name)', 'rb').read()).hexdigest())")
    }

    func testDamagedOrChangedTrainingDataIsRefused() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("scan.toml", FaultJobs.scan)
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "scan.toml"]).status, 0)
        try launcher.write("other.toml", FaultJobs.scan.replacingOccurrences(of: "seed = 14", with: "seed = 99"))
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "other.toml", "--output", "other.h5"]).status, 0)
        try launcher.write("train.toml", FaultJobs.train)
        try FileManager.default.copyItem(atPath: launcher.path("scan.h5"), toPath: launcher.path("edited.h5"))
        _ = try launcher.python("import h5py; f = h5py.File('edited.h5', 'r+'); f['configurations'][2, 3, 0, 0] *= -1; f.close()")
        let edited = try launcher.ensemble(ranks: 2, ["run", "train.toml", "--data", "edited.h5", "--output", "e.h5"])
        XCTAssertEqual(edited.status, 2, edited.stderr)
        XCTAssertTrue(edited.stderr.contains("edited.h5: is damaged or was altered"), edited.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("e.h5.partial")))

        // Interrupted, then resumed on other data, or on its own data replaced in between.
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "train.toml", "--stop-after-checkpoints", "2"]).status, 75)
        let otherData = try launcher.ensemble(ranks: 2, ["run", "train.toml", "--data", "other.h5", "--resume"])
        XCTAssertEqual(otherData.status, 2, otherData.stderr)
        XCTAssertTrue(otherData.stderr.contains("was trained on scan.h5, not other.h5"), otherData.stderr)
        try FileManager.default.moveItem(atPath: launcher.path("scan.h5"), toPath: launcher.path("scan-original.h5"))
        try FileManager.default.copyItem(atPath: launcher.path("other.h5"), toPath: launcher.path("scan.h5"))
        let changed = try launcher.ensemble(ranks: 2, ["run", "train.toml", "--resume"])
        XCTAssertEqual(changed.status, 2, changed.stderr)
        XCTAssertTrue(changed.stderr.contains("has changed since"), changed.stderr)
        try FileManager.default.removeItem(atPath: launcher.path("scan.h5"))
        try FileManager.default.moveItem(atPath: launcher.path("scan-original.h5"), toPath: launcher.path("scan.h5"))
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "train.toml", "--resume"]).status, 0)

        // Predictions from a damaged model, or on damaged configurations, are refused.
        try FileManager.default.copyItem(atPath: launcher.path("train.h5"), toPath: launcher.path("model.h5"))
        _ = try launcher.python("import h5py; f = h5py.File('model.h5', 'r+'); f['models/cnn/parameters'][0] += 1; f.close()")
        let model = try launcher.ensemble(ranks: 2, ["predict", "model.h5", "scan.h5", "--output", "p.h5"])
        XCTAssertEqual(model.status, 2, model.stderr)
        XCTAssertTrue(model.stderr.contains("model.h5: is damaged or was altered"), model.stderr)
        let configurations = try launcher.ensemble(ranks: 2, ["predict", "train.h5", "edited.h5", "--output", "p.h5"])
        XCTAssertEqual(configurations.status, 2, configurations.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("p.h5")) || FileManager.default.fileExists(atPath: launcher.path("p.h5.partial")))
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["predict", "train.h5", "scan.h5", "--output", "p.h5"]).status, 0)
        XCTAssertEqual(try launcher.ensemble(["inspect", "p.h5", "--verify"]).status, 0, "predictions are sealed too")
    }

    func testDamagedOrEditedCatalogsAreNotMerged() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("v.toml", FaultJobs.vacua)
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "v.toml", "--output", "a.h5"]).status, 0)
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "v.toml", "--seed", "4", "--output", "b.h5"]).status, 0)
        try FileManager.default.copyItem(atPath: launcher.path("b.h5"), toPath: launcher.path("edited.h5"))
        _ = try launcher.python("import h5py; f = h5py.File('edited.h5', 'r+'); r = f['catalog'][0]; r['g_s'] = 0.3; f['catalog'][0] = r; f.close()")
        try FileManager.default.copyItem(atPath: launcher.path("b.h5"), toPath: launcher.path("broken.h5"))
        _ = try launcher.python("import os; os.truncate('broken.h5', os.path.getsize('broken.h5') // 2)")
        for (bad, expected) in [("edited.h5", "edited.h5: is damaged or was altered"), ("broken.h5", "broken.h5: is damaged")] {
            let before = try launcher.listing()
            let outcome = try launcher.ensemble(["catalog", "merge", "a.h5", bad, "-o", "all.h5"])
            XCTAssertEqual(outcome.status, 2, outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains(expected), outcome.stderr)
            XCTAssertFalse(outcome.stderr.contains("H5D"), outcome.stderr)
            XCTAssertEqual(try launcher.listing(), before, "no all.h5 or all.h5.partial left")
        }
        XCTAssertEqual(try launcher.ensemble(["catalog", "merge", "a.h5", "b.h5", "-o", "all.h5"]).status, 0)
        XCTAssertEqual(try launcher.ensemble(["inspect", "all.h5", "--verify"]).status, 0)
    }

    func testAnInputIsNeverAnOutput() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("scan.toml", FaultJobs.scan)
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "scan.toml"]).status, 0)
        try launcher.write("train.toml", FaultJobs.train.replacingOccurrences(of: "epochs = 3", with: "epochs = 1"))
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "train.toml"]).status, 0)
        try launcher.write("v.toml", FaultJobs.vacua.replacingOccurrences(of: "evaluations = 6000", with: "evaluations = 500"))
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "v.toml", "--output", "a.h5"]).status, 0)
        try FileManager.default.copyItem(atPath: launcher.path("a.h5"), toPath: launcher.path("b.h5"))
        _ = try launcher.python("import os; os.symlink('scan.h5', 'alias.h5'); os.link('scan.h5', 'hard.h5'); os.mkdir('sub')")
        let digests = try ["scan.h5", "train.h5", "a.h5"].map { try sha256(launcher, $0) }
        let cases: [[String]] = [
            ["run", "train.toml", "--data", "scan.h5", "--output", "scan.h5", "--force"],
            ["run", "train.toml", "--data", "scan.h5", "--output", "alias.h5", "--force"],
            ["run", "train.toml", "--data", "scan.h5", "--output", "hard.h5", "--force"],
            ["run", "train.toml", "--data", "scan.h5", "--output", "sub/../scan.h5", "--force"],
            ["predict", "train.h5", "scan.h5", "--output", "train.h5", "--force"],
            ["predict", "train.h5", "scan.h5", "--output", "scan.h5", "--force"],
            ["catalog", "merge", "a.h5", "b.h5", "-o", "a.h5", "--force"],
        ]
        for arguments in cases {
            // Refused before MPI starts, so one process shows it as well as many.
            let outcome = try launcher.ensemble(arguments)
            XCTAssertEqual(outcome.status, 2, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains("never writes over what it reads"), "\(arguments): \(outcome.stderr)")
        }
        XCTAssertEqual(try ["scan.h5", "train.h5", "a.h5"].map { try sha256(launcher, $0) }, digests, "inputs unchanged")
    }
}
