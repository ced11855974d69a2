import Foundation
import Launching
import XCTest

/// φ⁴ runs through the real binary: the same chain on 1, 2 and 4 ranks in either decomposition,
/// the run file a trainer reads, resume, and bad input.
final class Phi4RunTests: XCTestCase {
    static func job(extents: String = "[8, 8]", points: String = "kappa = [0.2, 0.3]\nlambda = [0.022]",
                    decomposition: String = "replicas", extra: String = "") -> String {
        """
        kind = "phi4"
        output = "phi4.h5"
        seed = 3
        [phi4]
        extents = \(extents)
        \(points)
        chains = 2
        decomposition = "\(decomposition)"
        steps = 4
        thermalization = 20
        trajectories = 60
        save_every = 20
        checkpoint_every = 25
        \(extra)
        """
    }

    /// sha256 of the stored configurations, the ΔH and G(t) series and the tuned steps.
    func digest(_ launcher: Launcher, _ name: String) throws -> String {
        try launcher.python("""
        import h5py, hashlib
        f = h5py.File('\(name)', 'r')
        assert f.attrs['completed']
        print(hashlib.sha256(f['configurations'][...].tobytes() + f['observables/delta_h'][...].tobytes()
              + f['observables/correlator'][...].tobytes() + f['parameters/steps'][...].tobytes()).hexdigest())
        """)
    }

    func runAll(_ launcher: Launcher, _ text: String, ranks: [Int], tag: String) throws -> [String] {
        try launcher.runEach(text, ranks: ranks, tag: tag) { try digest(launcher, $0) }
    }

    func testSameChainsOnAnyRanksInEitherDecomposition() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let replicas = try runAll(launcher, Self.job(), ranks: [1, 2, 4], tag: "replicas")
        let domain = try runAll(launcher, Self.job(decomposition: "domain"), ranks: [1, 2, 4], tag: "domain")
        XCTAssertEqual(Set(replicas + domain).count, 1, "replicas \(replicas), domain \(domain)")
        // 3D with unequal extents and leapfrog; 4D split over 2 and 4 ranks.
        let cube = Self.job(extents: "[6, 4, 6]", extra: "integrator = \"leapfrog\"")
        XCTAssertEqual(Set(try runAll(launcher, cube, ranks: [1, 2], tag: "cube")
                           + runAll(launcher, cube.replacingOccurrences(of: "\"replicas\"", with: "\"domain\""), ranks: [2, 4], tag: "cube-d")).count, 1)
        let clusters = Self.job(extra: "cluster_every = 2")
        XCTAssertEqual(Set(try runAll(launcher, clusters, ranks: [1, 2, 4], tag: "clusters")).count, 1, "with embedded clusters")
        let four = Self.job(extents: "[4, 4, 4, 4]", points: "kappa = [0.1]\nlambda = [0.5]", decomposition: "domain")
        XCTAssertEqual(Set(try runAll(launcher, four, ranks: [1, 4], tag: "four")).count, 1)
    }

    /// Fourier-accelerated chains are the same on any number of ranks, differ from plain HMC, and say so in /parameters.
    func testFourierAcceleratedChainsOnAnyRanks() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let accelerated = Self.job(extra: "fourier_acceleration = true\nfourier_mass = 0.5")
        let digests = try runAll(launcher, accelerated, ranks: [1, 2], tag: "fourier")
        XCTAssertEqual(Set(digests).count, 1, "\(digests)")
        XCTAssertNotEqual(digests.first, try runAll(launcher, Self.job(), ranks: [1], tag: "plain").first)
        let attributes = try launcher.python("""
        import h5py
        p = h5py.File('fourier-1.h5', 'r')['parameters']
        print(bool(p.attrs['fourier_acceleration']), float(p.attrs['fourier_mass']))
        """)
        XCTAssertEqual(attributes, "True 0.5")
    }

    func testRunFileHoldsEverythingATrainerNeeds() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("scan.toml", Self.job(extra: "precision = \"float32\""))
        let run = try launcher.ensemble(ranks: 2, ["run", "scan.toml"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("binder"), run.stdout)
        let layout = try launcher.python("""
        import h5py, numpy as np
        f = h5py.File('phi4.h5', 'r')
        c, p, o = f['configurations'], f['parameters'], f['observables']
        ok = [c.dtype == np.float32, c.shape == (2, 6, 8, 8), np.isfinite(c[...]).all() and np.abs(c[...]).max() > 0,
              list(f['configuration_trajectory'][...]) == [40, 60, 80],
              np.allclose(p['kappa'][...], [0.2, 0.3]) and np.allclose(p['lambda'][...], [0.022, 0.022]),
              np.allclose(p['mass_squared'][...], (1 - 2 * 0.022) / np.array([0.2, 0.3]) - 4),
              np.allclose(p['coupling'][...], 6 * 0.022 / np.array([0.2, 0.3]) ** 2),
              p['steps'].shape == (2, 2) and (p['steps'][...] >= 1).all(),
              np.allclose(p['step_size'][...] * p['steps'][...], 1.0),
              all(o[n].shape == (2, 2, 60) for n in ['phi2', 'magnetization', 'abs_magnetization', 'magnetization2', 'magnetization4',
                                                    'action_density', 'delta_h', 'exp_minus_delta_h', 'accepted']),
              o['correlator'].shape == (2, 2, 60, 8),
              np.allclose(o['correlator'][...].sum(axis=3), 64 * o['magnetization2'][...]),
              np.allclose(o['exp_minus_delta_h'][...], np.exp(-o['delta_h'][...])),
              list(o['trajectory'][:3]) == [21, 22, 23],
              f['summary'].shape == (2,) and 'binder_error' in f['summary'].dtype.names and 'correlation_length' in f['summary'].dtype.names,
              f['analysis/correlator'].shape == (2, 8, 2) and f['analysis/effective_mass'].shape == (2, 3, 2)]
        print([bool(x) for x in ok])
        """)
        XCTAssertEqual(layout, "[" + [String](repeating: "True", count: 16).joined(separator: ", ") + "]")
        let inspect = try launcher.ensemble(["inspect", "phi4.h5"])
        XCTAssertTrue(inspect.stdout.contains("/configurations") && inspect.stdout.contains("float32"), inspect.stdout)
    }

    func testStandardFormIsConvertedAndStoredInBothForms() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        // The example: d = 2, m₀² = −4, g = 48 is κ = 0.25, λ = 0.5.
        try launcher.write("standard.toml", Self.job(points: "mass_squared = [-4.0]\ncoupling = [48.0]"))
        let run = try launcher.ensemble(ranks: 1, ["run", "standard.toml"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let values = try launcher.python("""
        import h5py
        p = h5py.File('phi4.h5', 'r')['parameters']
        print(round(p['kappa'][0], 12), round(p['lambda'][0], 12), p.attrs['form_given'])
        """)
        XCTAssertEqual(values, "0.25 0.5 standard")
    }

    func testInterruptedRunResumesToTheSameResult() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("scan.toml", Self.job())
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "scan.toml", "--output", "whole.h5"]).status, 0)
        // Stopped during thermalisation, while the step size is still being tuned.
        let stopped = try launcher.ensemble(ranks: 4, ["run", "scan.toml", "--output", "split.h5", "--stop-after-checkpoints", "1"])
        XCTAssertEqual(stopped.status, 75, stopped.stderr)
        let resumed = try launcher.ensemble(ranks: 1, ["run", "scan.toml", "--output", "split.h5", "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming at trajectory 25"), resumed.stderr)
        XCTAssertEqual(try digest(launcher, "split.h5"), try digest(launcher, "whole.h5"))
        let summaries = try launcher.python("""
        import h5py, numpy as np
        a, b = h5py.File('whole.h5', 'r'), h5py.File('split.h5', 'r')
        print(all(np.array_equal(a['summary'][n], b['summary'][n], equal_nan=True) for n in a['summary'].dtype.names))
        """)
        XCTAssertEqual(summaries, "True")
    }

    /// A step far too large for the couplings: every trajectory blows up, each is rejected with a
    /// warning, and after ten in a row the run stops with a message, leaving the checkpoint.
    func testPersistentNonFiniteEnergiesStopTheRunWithACheckpoint() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("wild.toml", Self.job(points: "kappa = [0.2]\nlambda = [5.0]", extra: "trajectory_length = 200.0\ntune = false")
            .replacingOccurrences(of: "steps = 4", with: "steps = 5").replacingOccurrences(of: "chains = 2", with: "chains = 1"))
        let run = try launcher.ensemble(ranks: 1, ["run", "wild.toml"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("H is not finite"), run.stderr)
        XCTAssertTrue(run.stderr.contains("non-finite energy in 10 trajectories in a row"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.folder.appendingPathComponent("phi4.h5").path), "no file posing as a result")
        let kept = try launcher.python("""
        import h5py, numpy as np
        f = h5py.File('phi4.h5.checkpoint', 'r')
        print(int(f.attrs['step']), bool(np.isfinite(f['state/field'][...]).all()))
        """)
        XCTAssertEqual(kept, "10 True")
    }

    func testBadPhi4InputIsRejectedBeforeAnyWork() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let cases: [(String, String, Int, [String])] = [
            ("kappa", Self.job(points: "kappa = [0.2, -0.1]\nlambda = [0.1]"), 2, ["phi4.kappa[1]", "-0.1", "≥ 0"]),
            ("lambda", Self.job(points: "kappa = [0.2]\nlambda = [-1.0]"), 1, ["phi4.lambda[0]", "≥ 0"]),
            ("steps", Self.job(extra: "").replacingOccurrences(of: "steps = 4", with: "steps = 0"), 1, ["phi4.steps", "0"]),
            ("trajectories", Self.job().replacingOccurrences(of: "trajectories = 60", with: "trajectories = 0"), 1, ["phi4.trajectories"]),
            ("nan", Self.job(points: "kappa = [nan]\nlambda = [0.1]"), 2, ["non-finite"]),
            ("inf", Self.job(extra: "trajectory_length = inf"), 1, ["non-finite"]),
            ("split", Self.job(extents: "[2, 8]", decomposition: "domain"), 4, ["4 ranks cannot split 2 planes"]),
            ("crowded", Self.job(points: "kappa = [0.2]\nlambda = [0.1]"), 4, ["4 ranks but only 2 replicas"]),
            ("dimension", Self.job(extents: "[4, 4, 4, 4, 4]"), 1, ["phi4.extents", "2, 3 or 4 dimensions"]),
            ("one-d", Self.job(extents: "[16]"), 1, ["phi4.extents", "2, 3 or 4 dimensions"]),
            ("integrator", Self.job(extra: "integrator = \"verlet\""), 1, ["phi4.integrator", "\"verlet\"", "omelyan"]),
            ("both-forms", Self.job(points: "kappa = [0.2]\nlambda = [0.1]\nmass_squared = [1.0]\ncoupling = [1.0]"), 1, ["not both"]),
            ("no-kappa", Self.job(points: "mass_squared = [-5.0]\ncoupling = [0.0]"), 1, ["phi4.mass_squared", "no hopping form"]),
            ("target", Self.job(extra: "target_acceptance = 1.5"), 1, ["phi4.target_acceptance"]),
            ("clusters-domain", Self.job(decomposition: "domain", extra: "cluster_every = 1"), 2, ["phi4.cluster_every", "whole lattices"]),
            ("fourier-domain", Self.job(decomposition: "domain", extra: "fourier_acceleration = true"), 1,
             ["phi4.fourier_acceleration", "\"replicas\"", "\"domain\""]),
            ("fourier-mass", Self.job(extra: "fourier_acceleration = true\nfourier_mass = -1.0"), 1, ["phi4.fourier_mass", "-1.0", "> 0"]),
        ]
        for (name, text, ranks, expected) in cases {
            try launcher.write("\(name).toml", text)
            let before = try launcher.listing()
            let outcome = try launcher.refused(ranks: ranks, ["run", "\(name).toml"])
            XCTAssertEqual(outcome.status, 2, "\(name): \(outcome.stderr)")
            for text in expected { XCTAssertTrue(outcome.stderr.contains(text), "\(name): '\(text)' not in \(outcome.stderr)") }
            XCTAssertEqual(try launcher.listing(), before, "\(name) touched files")
        }
    }
}
