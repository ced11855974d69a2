import Foundation
import Launching
import XCTest

/// The RBM kind through the real binary, on HMC configurations of the 4 × 4 free field at κ = 0.2:
/// with N_h = 5 (the zero mode and the four p = (±π/2, 0), (0, ±π/2) modes, whole multiplets) the
/// five infrared eigenvalues of K come out near the exact 0.4 and 1.2, the other eleven sit exactly
/// at μ², and μ² near n/Σ(1/λ) over the modes not learned; bit for bit on 1 and 2 ranks; resume;
/// bad data refused.
final class RBMRunTests: XCTestCase {
    static let free = """
        kind = "phi4"
        output = "free.h5"
        seed = 11
        [phi4]
        extents = [4, 4]
        kappa = [0.2]
        lambda = [LAMBDA]
        chains = 2
        steps = 6
        thermalization = 200
        trajectories = 20000
        save_every = 5
        checkpoint_every = 20000
        """

    static func rbm(data: String = "free.h5", shards: Int = 4) -> String {
        """
        kind = "rbm"
        output = "rbm.h5"
        seed = 1
        [data]
        file = "\(data)"
        [rbm]
        hidden = 5
        mass_squared = 2.5
        samples = 50
        [training]
        steps = 2000
        batch = 256
        shards = \(shards)
        chains = 64
        learning_rate = 0.01
        warmup_steps = 200
        checkpoint_every = 500
        """
    }

    func testTheInfraredIsLearnedAndTheRestSitsAtTheCutoff() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("free.toml", Self.free.replacingOccurrences(of: "LAMBDA", with: "0.0"))
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "free.toml", "--output", "free.h5"]).status, 0)
        let digests = try launcher.runEach(Self.rbm(), ranks: [1, 2], tag: "r") { name in
            try launcher.python("""
                import h5py, hashlib
                with h5py.File('\(launcher.path(name))', 'r') as f:
                    print(hashlib.sha256(f['rbm/weights'][...].tobytes() + f['configurations'][...].tobytes()).hexdigest())
                """)
        }
        XCTAssertEqual(digests[0], digests[1])
        // 8000 correlated configurations estimate each mode's variance to a few per cent: the
        // infrared eigenvalues within 10 %, μ² within 3 % of the cutoff maximum likelihood gives.
        let report = try launcher.python("""
            import h5py, numpy as np
            with h5py.File('\(launcher.path("r-2.h5"))', 'r') as f:
                learned, exact, mu2 = f['rbm/eigenvalues'][:], f['rbm/exact_eigenvalues'][:], f['rbm'].attrs['mass_squared']
                s = f['summary'][0]
                cutoff = 11 / np.sum(1 / exact[5:])
                print(bool(np.all(np.abs(learned[:5] / exact[:5] - 1) < 0.10)), bool(np.allclose(learned[5:], mu2, rtol=1e-9)),
                      abs(mu2 / cutoff - 1) < 0.03, abs(s['cutoff_expected'] - cutoff) < 1e-12, f['configurations'].shape)
            """)
        XCTAssertEqual(report, "True True True True (1, 50, 4, 4)")
    }

    func testResumeAndBadData() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("free.toml", Self.free.replacingOccurrences(of: "LAMBDA", with: "0.0").replacingOccurrences(of: "20000", with: "2000"))
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "free.toml", "--output", "free.h5"]).status, 0)
        try launcher.write("r.toml", Self.rbm())
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "r.toml", "--output", "whole.h5"]).status, 0)
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "r.toml", "--output", "split.h5", "--stop-after-checkpoints", "1"]).status, 75)
        let resumed = try launcher.ensemble(ranks: 1, ["run", "r.toml", "--output", "split.h5", "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming at step 500 of 2000"), resumed.stderr)
        XCTAssertEqual(try launcher.python("""
            import h5py, numpy as np
            a, b = h5py.File('\(launcher.path("whole.h5"))'), h5py.File('\(launcher.path("split.h5"))')
            print(np.array_equal(a['rbm/weights'][...], b['rbm/weights'][...]) and np.array_equal(a['observables/mass_squared'][...], b['observables/mass_squared'][...]))
            """), "True")
        try launcher.write("int.toml", Self.free.replacingOccurrences(of: "LAMBDA", with: "0.5").replacingOccurrences(of: "20000", with: "2000")
            .replacingOccurrences(of: "free.h5", with: "int.h5"))
        XCTAssertEqual(try launcher.ensemble(ranks: 1, ["run", "int.toml", "--output", "int.h5"]).status, 0)
        for (text, ranks, message) in [(Self.rbm(data: "int.h5"), 1, "the Gaussian RBM is trained on the free field"),
                                       (Self.rbm(data: "r.toml.h5"), 1, "r.toml.h5"),
                                       (Self.rbm(shards: 2), 4, "training.shards: 2 shards cannot be spread evenly over 4 ranks")] {
            try launcher.write("bad.toml", text)
            let outcome = try launcher.refused(ranks: ranks, ["run", "bad.toml", "--output", "bad.h5"])
            XCTAssertEqual(outcome.status, 2, outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains(message), outcome.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("bad.h5.partial")))
        }
    }
}
