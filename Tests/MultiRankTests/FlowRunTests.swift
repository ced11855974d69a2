import Foundation
import Launching
import XCTest

/// Flow training through the real binary: bit for bit the same flow on 1, 2 and 4 ranks in
/// deterministic mode, a stopped and resumed run equal to an uninterrupted one, the model's
/// layout as h5py reads it, and bad input refused before any file exists.
final class FlowRunTests: XCTestCase {
    static func job(steps: Int = 40, shards: Int = 4, precision: String = "float64", target: String = "kappa = 0.25\nlambda = 0.5",
                    extra: String = "") -> String {
        """
        kind = "flow"
        output = "flow.h5"
        seed = 3
        [phi4]
        extents = [4, 6]
        \(target)
        [flow]
        couplings = 4
        hidden = [4]
        precision = "\(precision)"
        [training]
        steps = \(steps)
        batch = 16
        learning_rate = 0.01
        deterministic_shards = \(shards)
        checkpoint_every = 10
        \(extra)
        """
    }

    /// The flow's parameters and the loss series, as exact text.
    func digest(_ launcher: Launcher, _ file: String) throws -> String {
        try launcher.python("""
            import h5py, numpy as np, hashlib
            with h5py.File('\(launcher.path(file))', 'r') as f:
                p, loss = f['flow/parameters'][:], f['observables/loss'][:]
                assert loss.shape[:2] == (1, 1) and np.all(np.isfinite(loss)), loss.shape
                print(p.dtype, p.size, hashlib.sha256(p.tobytes() + loss.tobytes()).hexdigest())
            """)
    }

    func testDeterministicTrainingIsTheSameOnOneTwoAndFourRanks() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        for precision in ["float64", "float32"] {
            let digests = try launcher.runEach(Self.job(precision: precision), ranks: [1, 2, 4], tag: "d-\(precision)") { try digest(launcher, $0) }
            XCTAssertEqual(Set(digests).count, 1, "\(precision): \(digests)")
        }
        // The loss falls from the identity flow's, and the model says how to rebuild it.
        let report = try launcher.python("""
            import h5py, numpy as np
            with h5py.File('\(launcher.path("d-float64-2.h5"))', 'r') as f:
                loss, g = f['observables/loss'][0, 0], f['flow']
                print(loss[:5].mean() > loss[-5:].mean(), g.attrs['couplings'], g.attrs['extents'].tolist(), g.attrs['precision'],
                      f['parameters/kappa'][0], f['summary']['steps'][0])
            """)
        XCTAssertEqual(report, "True 4 [4, 6] float64 0.25 40")
    }

    func testStoppedAndResumedRunEqualsAnUninterruptedOne() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("f.toml", Self.job(shards: 0))
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "f.toml", "--output", "whole.h5"]).status, 0)
        let first = try launcher.ensemble(ranks: 2, ["run", "f.toml", "--output", "split.h5", "--stop-after-checkpoints", "2"])
        XCTAssertEqual(first.status, 75, first.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("split.h5")))
        let second = try launcher.ensemble(ranks: 2, ["run", "f.toml", "--output", "split.h5", "--resume"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stderr.contains("resuming at step 20 of 40"), second.stderr)
        XCTAssertEqual(try digest(launcher, "split.h5"), try digest(launcher, "whole.h5"))
    }

    func testBadInputIsRefusedBeforeAnyFileExists() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let cases: [(String, String, String)] = [
            ("odd", Self.job().replacingOccurrences(of: "[4, 6]", with: "[4, 5]"), "phi4.extents[1]: 5 must be even"),
            ("both", Self.job(target: "kappa = 0.25\nmass_squared = -1.0\ncoupling = 1.0"), "phi4.kappa: give kappa"),
            ("free", Self.job(target: "kappa = 0.3"), "the free field needs kappa < 1/4"),
            ("shards", Self.job(shards: 3), "training.deterministic_shards: 3 does not divide the batch of 16"),
            ("ranks", Self.job(shards: 2), "training.deterministic_shards: 2 shards cannot be spread evenly over 4 ranks"),
            ("typo", Self.job(extra: "learning_rat = 1"), "training.learning_rat: unknown key"),
        ]
        for (name, text, message) in cases {
            try launcher.write("\(name).toml", text)
            let outcome = try launcher.refused(ranks: name == "ranks" ? 4 : 1, ["run", "\(name).toml", "--output", "out-\(name).h5"])
            XCTAssertEqual(outcome.status, 2, "\(name): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(message), "\(name): \(outcome.stderr)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: launcher.path("")).filter { $0.hasPrefix("out-") }, [], name)
        }
    }
}
