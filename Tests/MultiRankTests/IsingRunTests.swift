import Foundation
import Launching
import XCTest

/// Ising runs through the real binary: the same configurations on 1, 2 and 4 ranks in either
/// decomposition, the run file a trainer reads, resume, and bad input.
final class IsingRunTests: XCTestCase {
    static func job(extents: String = "[16, 16]", algorithms: String = "[\"metropolis\", \"heat_bath\"]",
                    decomposition: String = "replicas", temperatures: String = "[2.0, 2.2, 2.4, 2.6]",
                    extra: String = "") -> String {
        """
        kind = "ising"
        output = "ising.h5"
        seed = 5
        [ising]
        extents = \(extents)
        temperatures = \(temperatures)
        algorithms = \(algorithms)
        decomposition = "\(decomposition)"
        thermalization = 20
        sweeps = 200
        save_every = 50
        checkpoint_every = 60
        \(extra)
        """
    }

    /// sha256 of the stored configurations and of the energy series.
    func digest(_ launcher: Launcher, _ name: String) throws -> String {
        try launcher.python("""
        import h5py, hashlib
        f = h5py.File('\(name)', 'r')
        assert f.attrs['completed']
        print(hashlib.sha256(f['configurations'][...].tobytes() + f['observables/energy'][...].tobytes()).hexdigest())
        """)
    }

    func runAll(_ launcher: Launcher, _ text: String, ranks: [Int], tag: String) throws -> [String] {
        try launcher.runEach(text, ranks: ranks, tag: tag) { try digest(launcher, $0) }
    }

    func testSameConfigurationsOnAnyRanksInEitherDecomposition() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let replicas = try runAll(launcher, Self.job(), ranks: [1, 2, 4], tag: "replicas")
        let domain = try runAll(launcher, Self.job(decomposition: "domain"), ranks: [1, 2, 4], tag: "domain")
        XCTAssertEqual(Set(replicas + domain).count, 1, "replicas \(replicas), domain \(domain)")

        let cube = Self.job(extents: "[8, 8, 8]", algorithms: "[\"metropolis\"]", temperatures: "[4.0, 4.5]")
        let cubeReplicas = try runAll(launcher, cube, ranks: [1, 2], tag: "cube-replicas")
        let cubeDomain = try runAll(launcher, cube.replacingOccurrences(of: "\"replicas\"", with: "\"domain\""), ranks: [2, 4], tag: "cube-domain")
        XCTAssertEqual(Set(cubeReplicas + cubeDomain).count, 1, "3D: replicas \(cubeReplicas), domain \(cubeDomain)")

        let clusters = Self.job(algorithms: "[\"wolff\", \"swendsen_wang\", \"metropolis\"]", extra: "exchange_every = 5")
        XCTAssertEqual(Set(try runAll(launcher, clusters, ranks: [1, 2, 4], tag: "clusters")).count, 1, "clusters with tempering")
    }

    func testRunFileHoldsEverythingATrainerNeeds() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("scan.toml", Self.job(algorithms: "[\"wolff\", \"metropolis\"]", extra: "exchange_every = 10\nchains = 2"))
        let run = try launcher.ensemble(ranks: 2, ["run", "scan.toml"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("binder"), run.stdout)
        let layout = try launcher.python("""
        import h5py, numpy as np
        f = h5py.File('ising.h5', 'r')
        c = f['configurations']
        ok = [c.dtype == np.int8, c.shape == (4, 8, 16, 16), set(np.unique(c[...])) == {-1, 1},
              list(f['configuration_sweep'][...]) == [70, 120, 170, 220],
              np.allclose(f['parameters/temperature'][...], [2.0, 2.2, 2.4, 2.6]),
              np.allclose(f['parameters/beta'][...], 1 / np.array([2.0, 2.2, 2.4, 2.6])),
              all(f['observables/' + o].shape == (4, 2, 200) for o in ['energy', 'magnetization', 'abs_magnetization', 'magnetization2', 'magnetization4']),
              np.allclose(f['observables/magnetization2'][...], f['observables/magnetization'][...] ** 2),
              list(f['observables/sweep'][:3]) == [21, 22, 23],
              f['summary'].shape == (4,) and 'susceptibility_error' in f['summary'].dtype.names,
              f['tempering'].shape == (3,) and (f['tempering']['attempted'][...] > 0).all(),
              f['parameters'].attrs['extents'].tolist() == [16, 16]]
        print([bool(x) for x in ok])
        """)
        XCTAssertEqual(layout, "[True, True, True, True, True, True, True, True, True, True, True, True]")
        let inspect = try launcher.ensemble(["inspect", "ising.h5"])
        XCTAssertTrue(inspect.stdout.contains("/configurations") && inspect.stdout.contains("int8"), inspect.stdout)
    }

    func testInterruptedScanResumesToTheSameResult() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("scan.toml", Self.job(algorithms: "[\"wolff\", \"metropolis\"]", extra: "exchange_every = 7"))
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "scan.toml", "--output", "whole.h5"]).status, 0)
        let stopped = try launcher.ensemble(ranks: 4, ["run", "scan.toml", "--output", "split.h5", "--stop-after-checkpoints", "2"])
        XCTAssertEqual(stopped.status, 75, stopped.stderr)
        let resumed = try launcher.ensemble(ranks: 1, ["run", "scan.toml", "--output", "split.h5", "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming at sweep 120"), resumed.stderr)
        XCTAssertEqual(try digest(launcher, "split.h5"), try digest(launcher, "whole.h5"))
        let summaries = try launcher.python("""
        import h5py, numpy as np
        a, b = h5py.File('whole.h5', 'r'), h5py.File('split.h5', 'r')
        print(all(np.array_equal(a['summary'][n], b['summary'][n]) for n in a['summary'].dtype.names),
              np.array_equal(a['tempering'][...], b['tempering'][...]))
        """)
        XCTAssertEqual(summaries, "True True")
    }

    func testBadIsingInputIsRejectedBeforeAnyWork() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let cases: [(String, String, Int, [String])] = [
            ("odd", Self.job(extents: "[15, 16]"), 2, ["ising.extents[0]", "15 is odd", "even extents"]),
            ("split", Self.job(extents: "[2, 16]", decomposition: "domain"), 4, ["4 ranks cannot split 2 planes"]),
            ("cold", Self.job(temperatures: "[2.0, -1.0]"), 1, ["ising.temperatures[1]", "-1.0", "positive"]),
            ("zero", Self.job(temperatures: "[0.0]"), 1, ["ising.temperatures[0]", "positive"]),
            ("empty", Self.job(temperatures: "[]"), 1, ["ising.temperatures", "empty"]),
            ("crowded", Self.job(temperatures: "[2.0, 2.5]"), 4, ["4 ranks but only 2 replicas"]),
            ("algorithm", Self.job(algorithms: "[\"metropolis\", \"wolf\"]"), 1, ["ising.algorithms[1]", "\"wolf\" is not valid: must be one of", "swendsen_wang"]),
            ("cluster-domain", Self.job(algorithms: "[\"wolff\"]", decomposition: "domain"), 1, ["wolff cannot run on a decomposed lattice"]),
            ("nan", Self.job(temperatures: "[nan]"), 1, ["non-finite"]),
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
