import Foundation
import Launching
import XCTest

/// Damaged and altered files: checkpoints damaged in every region, a run file changed after its
/// checkpoint, results changed after they were written, and damaged inputs to every command that
/// reads files. Each is refused with exit 2, a message naming the file, no HDF5 error stack, and
/// nothing touched; the intact file then resumes or reads as before.
final class DamageTests: XCTestCase {
    /// Ways to damage an HDF5 file, as Python run in the test folder on `path`.
    static let damages: [(String, String)] = [
        ("truncated to half", "import os; os.truncate(path, os.path.getsize(path) // 2)"),
        ("truncated to nothing", "import os; os.truncate(path, 0)"),
        ("signature overwritten", "f = open(path, 'r+b'); f.write(b'\\0' * 8); f.close()"),
        ("superblock overwritten", "f = open(path, 'r+b'); f.seek(24); f.write(b'\\xff' * 40); f.close()"),
        ("an object header damaged", """
            data = open(path, 'rb').read(); i = data.find(b'OHDR', data.find(b'OHDR') + 4)
            f = open(path, 'r+b'); f.seek(i + 12); f.write(bytes([data[i + 12] ^ 0xff])); f.close()
            """),
        ("a payload byte flipped", """
            import h5py; f = h5py.File(path, 'r'); d = f[STATE]; offset = d.id.get_offset(); f.close()
            g = open(path, 'r+b'); g.seek(offset + 3); b = g.read(1); g.seek(offset + 3); g.write(bytes([b[0] ^ 0x10])); g.close()
            """),
        ("one value changed with h5py", "import h5py; f = h5py.File(path, 'r+'); d = f[STATE]; d[(0,) * d.ndim] = -d[(0,) * d.ndim] + 1; f.close()"),
        ("the step edited", "import h5py; f = h5py.File(path, 'r+'); f.attrs['step'] = f.attrs['step'] - 1; f.close()"),
        ("the ledger edited", """
            import h5py; f = h5py.File(path, 'r+'); t = f['partial']
            if len(t) == 0: t.resize((1,))
            r = t[0]; r['count'] = r['count'] + 1; t[0] = r; f.close()
            """),
        ("a state array removed", "import h5py; f = h5py.File(path, 'r+'); del f[STATE]; f.close()"),
    ]

    /// Interrupts `kind` after two checkpoints, then damages its checkpoint in each of `damages`:
    /// every resume is refused and touches nothing; the undamaged checkpoint then resumes to the
    /// result of the uninterrupted run. `ranks` 0 resumes as one process (a refusal needs no more).
    func assertDamagedCheckpointsRefused(_ launcher: Launcher, kind: String, text: String, state: String,
                                         damages: [(String, String)], randomTrials: Int, ranks: Int) throws {
        let harness = FaultHarness(launcher: launcher)
        try harness.reference(kind, text)
        let output = "\(kind)-split.h5"
        XCTAssertEqual(try harness.run(kind, output: output, extra: ["--stop-after-checkpoints", "2"]).status, 75, kind)
        let checkpoint = launcher.path(output + ".checkpoint")
        let good = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
        for (name, script) in damages {
            try good.write(to: URL(fileURLWithPath: checkpoint))
            _ = try launcher.python("path = '\(output).checkpoint'; STATE = '\(state)'\n" + script)
            let before = try launcher.listing()
            let outcome = try harness.run(kind, output: output, extra: ["--resume"], ranks: ranks)
            XCTAssertEqual(outcome.status, 2, "\(kind), checkpoint \(name): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains("\(output).checkpoint"), "\(kind), \(name): \(outcome.stderr)")
            XCTAssertFalse(outcome.stderr.contains("H5D") || outcome.stderr.contains("H5F"), "\(kind), \(name): an HDF5 stack: \(outcome.stderr)")
            XCTAssertEqual(try launcher.listing(), before, "\(kind), \(name): files changed by a refused resume")
        }
        // 64 bytes anywhere: refused, unless they fell where the file holds nothing (free space),
        // when the resume must give the uninterrupted result.
        var generator = SplitMix(seed: 64)
        for trial in 0..<randomTrials {
            try good.write(to: URL(fileURLWithPath: checkpoint))
            let at = Int(generator.next() % UInt64(good.count - 64))
            _ = try launcher.python("f = open('\(output).checkpoint', 'r+b'); f.seek(\(at)); f.write(bytes((\(trial) * 37 + 11 * i) % 256 for i in range(64))); f.close()")
            let verdict = try harness.finishAndCompare(kind, output: output)
            switch verdict {
            case .identical:
                try FileManager.default.removeItem(atPath: launcher.path(output))
                XCTAssertEqual(try harness.run(kind, output: output, extra: ["--stop-after-checkpoints", "2"]).status, 75)
            case let .refused(message): XCTAssertTrue(message.contains("\(output).checkpoint"), message)
            default: XCTFail("\(kind): 64 bytes at \(at): \(verdict)")
            }
        }
        try good.write(to: URL(fileURLWithPath: checkpoint))
        XCTAssertEqual(try harness.finishAndCompare(kind, output: output), .identical, kind)
    }

    func testDamagedCheckpointsOfEveryKindAreRefused() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("scan.toml", FaultJobs.scan)
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "scan.toml"]).status, 0)
        // Every region of an Ising checkpoint; a few of a training and a search checkpoint (whose
        // searches resume only on the ranks that wrote them).
        try assertDamagedCheckpointsRefused(launcher, kind: "ising", text: FaultJobs.ising, state: "state/spins",
                                            damages: Self.damages, randomTrials: 2, ranks: 0)
        let some = Self.damages.filter { ["truncated to half", "one value changed with h5py", "the step edited"].contains($0.0) }
        try assertDamagedCheckpointsRefused(launcher, kind: "train", text: FaultJobs.train, state: "state/cnn.parameters",
                                            damages: some, randomTrials: 0, ranks: 0)
        try assertDamagedCheckpointsRefused(launcher, kind: "vacua", text: FaultJobs.vacua, state: "state/rank_numbers",
                                            damages: some, randomTrials: 0, ranks: 2)
    }

    /// The run file of an interrupted run changed where its checkpoint recorded results (a value, a
    /// NaN, a truncation) is refused; a change past the checkpoint is simply redone.
    func testARunFileChangedAfterItsCheckpointIsRefused() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let harness = FaultHarness(launcher: launcher)
        try harness.reference("phi4", FaultJobs.phi4)
        // Six checkpoints: 96 trajectories, 40 of them thermalisation, 5 configurations saved per chain.
        XCTAssertEqual(try harness.run("phi4", output: "split.h5", extra: ["--stop-after-checkpoints", "6"]).status, 75)
        let partial = launcher.path("split.h5.partial")
        let good = try Data(contentsOf: URL(fileURLWithPath: partial))
        let edits = [
            ("a recorded value", "d = f['observables/delta_h']; d[0, 0, 0] = d[0, 0, 0] + 1"),
            ("a NaN in a saved configuration", "import numpy as np; d = f['configurations']; d[1, 0, 0, 0] = np.nan"),
            ("a recorded attribute", "f['observables/phi2'].attrs['axes'] = 'point, chain'"),
        ]
        for (name, edit) in edits {
            try good.write(to: URL(fileURLWithPath: partial))
            _ = try launcher.python("import h5py; f = h5py.File('split.h5.partial', 'r+')\n\(edit)\nf.close()")
            let outcome = try harness.run("phi4", output: "split.h5", extra: ["--resume"], ranks: 0)
            XCTAssertEqual(outcome.status, 2, "\(name): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains("split.h5.partial"), "\(name): \(outcome.stderr)")
        }
        try good.write(to: URL(fileURLWithPath: partial))
        _ = try launcher.python("import os; os.truncate('split.h5.partial', 2000)")
        let truncated = try harness.run("phi4", output: "split.h5", extra: ["--resume"], ranks: 0)
        XCTAssertEqual(truncated.status, 2, truncated.stderr)
        XCTAssertTrue(truncated.stderr.contains("start over with --force"), truncated.stderr)
        // Past the checkpoint (the last measurement) the file may hold anything: it is redone.
        try good.write(to: URL(fileURLWithPath: partial))
        _ = try launcher.python("import h5py; f = h5py.File('split.h5.partial', 'r+'); d = f['observables/delta_h']; d[0, 0, -1] = 1e300; f.close()")
        XCTAssertEqual(try harness.finishAndCompare("phi4", output: "split.h5"), .identical)
    }

    /// `inspect --verify` tells an intact result from one altered in a value or an attribute, and a
    /// damaged file gets a message, not an HDF5 stack.
    func testAlteredResultsAreToldFromIntactOnes() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("demo.toml", FaultJobs.demo)
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "demo.toml"]).status, 0)
        let intact = try launcher.ensemble(["inspect", "demo.h5", "--verify"])
        XCTAssertEqual(intact.status, 0, intact.stderr)
        XCTAssertTrue(intact.stdout.contains("verified: all"), intact.stdout)
        let good = try Data(contentsOf: URL(fileURLWithPath: launcher.path("demo.h5")))
        let alterations = [
            ("a value", "import h5py; f = h5py.File('demo.h5', 'r+'); f['observables/x'][0, 0, 5] = 0.5; f.close()", "/observables/x"),
            ("an attribute", "import h5py; f = h5py.File('demo.h5', 'r+'); f.attrs['seed'] = 12; f.close()", "attributes"),
            ("a summary row", "import h5py; f = h5py.File('demo.h5', 'r+'); r = f['summary'][1]; r['mean'] = 0; f['summary'][1] = r; f.close()", "/summary"),
            ("flipped bytes", "f = open('demo.h5', 'r+b'); f.seek(0); f.write(b'garbage!'); f.close()", "not an HDF5 file"),
        ]
        for (name, script, expected) in alterations {
            try good.write(to: URL(fileURLWithPath: launcher.path("demo.h5")))
            _ = try launcher.python(script)
            let outcome = try launcher.ensemble(["inspect", "demo.h5", "--verify"])
            XCTAssertEqual(outcome.status, 2, "\(name): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(expected), "\(name): \(outcome.stderr)")
            XCTAssertFalse(outcome.stderr.contains("H5D"), "\(name): \(outcome.stderr)")
        }
    }

    /// `inspect` reads what an interrupted run leaves: the checkpoint (what it continues, how far,
    /// whether intact) and the partial run file; `--verify` tells a damaged checkpoint.
    func testInspectReadsACheckpointAndTellsADamagedOne() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("demo.toml", FaultJobs.demo)
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "demo.toml", "--stop-after-checkpoints", "2"]).status, 75)
        let shown = try launcher.ensemble(["inspect", "demo.h5.checkpoint", "--verify"])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        for text in ["CHECKPOINT, not a result: a run of kind demo (seed 11, 2 rank(s)) at measurement 8000",
                     "ensemble run JOB.toml --output demo.h5 --resume", "checksums: every one matches", "/state/",
                     "verified: every checksum of the checkpoint matches"] {
            XCTAssertTrue(shown.stdout.contains(text), "'\(text)' not in: \(shown.stdout)")
        }
        let json = try launcher.ensemble(["inspect", "demo.h5.checkpoint", "--json"])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], json.stdout)
        XCTAssertEqual((object["checkpoint"] as? [String: Any])?["step"] as? Int, 8000, json.stdout)
        let partial = try launcher.ensemble(["inspect", "demo.h5.partial"])
        XCTAssertTrue(partial.stdout.contains("NOT COMPLETE"), partial.stdout)
        _ = try launcher.python("""
            import h5py
            f = h5py.File('demo.h5.checkpoint', 'r+'); name = 'state/' + sorted(f['state'].keys())[0]
            d = f[name]; a = d[...]; a.flat[0] += 1; d[...] = a; f.close()
            """)
        let damaged = try launcher.ensemble(["inspect", "demo.h5.checkpoint", "--verify"])
        XCTAssertEqual(damaged.status, 2, damaged.stderr)
        XCTAssertTrue(damaged.stdout.contains("DAMAGED: the checkpoint is damaged: state/"), damaged.stdout)
        XCTAssertTrue(damaged.stderr.contains("demo.h5.checkpoint: is damaged: state/"), damaged.stderr)
    }
}
