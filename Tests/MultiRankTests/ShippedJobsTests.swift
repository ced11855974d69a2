import Foundation
import Launching
import XCTest

/// Every job file in `jobs/`, shrunk to run in a second or two, on 2 ranks: each dataset of its run
/// file must equal, byte for byte, what `data/shipped-jobs.json` records (per dataset the SHA-256
/// of its values, wall-time columns left out). The record was made by the code before the app
/// layer's redesign; a change that alters any shipped job's results fails here, naming the
/// dataset. Set ENSEMBLE_UPDATE_DATA=1 to write the record anew (data/README.md).
final class ShippedJobsTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let record = repository.appendingPathComponent("data/shipped-jobs.json")

    /// The jobs in the order they run (the training jobs read the scans), each with the
    /// replacements that shrink it.
    static let jobs: [(String, [(String, String)])] = [
        ("demo", [("measurements = 100000", "measurements = 20000"), ("checkpoint_every = 20000", "checkpoint_every = 5000")]),
        ("ising-big", [("extents = [4096, 4096]", "extents = [128, 128]"), ("thermalization = 200", "thermalization = 20"),
                       ("sweeps = 1000", "sweeps = 100"), ("save_every = 500", "save_every = 50"), ("checkpoint_every = 200", "checkpoint_every = 40")]),
        ("ising-scan", [("thermalization = 1000", "thermalization = 100"), ("sweeps = 20000", "sweeps = 1000"),
                        ("save_every = 100", "save_every = 50"), ("checkpoint_every = 5000", "checkpoint_every = 500")]),
        ("phi4-big-3d", [("extents = [64, 64, 64]", "extents = [8, 8, 8]"), ("thermalization = 100", "thermalization = 10"),
                         ("trajectories = 500", "trajectories = 40"), ("save_every = 50", "save_every = 10"), ("checkpoint_every = 100", "checkpoint_every = 20")]),
        ("phi4-big", [("extents = [1024, 1024]", "extents = [32, 32]"), ("thermalization = 100", "thermalization = 10"),
                      ("trajectories = 500", "trajectories = 40"), ("save_every = 50", "save_every = 10"), ("checkpoint_every = 100", "checkpoint_every = 20")]),
        ("phi4-scan", [("thermalization = 500", "thermalization = 50"), ("trajectories = 10000", "trajectories = 400"),
                       ("checkpoint_every = 2000", "checkpoint_every = 100")]),
        ("train-ising-phase", [("epochs = 6", "epochs = 2")]),
        ("train-ising-temperature", [("epochs = 10", "epochs = 2")]),
        ("train-phi4-phase", [("epochs = 3", "epochs = 1")]),
        ("flow-phi4", [("steps = 2000", "steps = 40"), ("checkpoint_every = 200", "checkpoint_every = 20")]),
        ("phi4-flow-reference", [("trajectories = 40000", "trajectories = 2000"), ("checkpoint_every = 10000", "checkpoint_every = 1000")]),
        ("flow-phi4-sample", [("proposals = 50000", "proposals = 2000"), ("checkpoint_every = 10240", "checkpoint_every = 512")]),
        ("phi4-free-field", [("trajectories = 20000", "trajectories = 2000"), ("checkpoint_every = 5000", "checkpoint_every = 1000")]),
        ("rbm-free-field", [("steps = 4000", "steps = 100"), ("warmup_steps = 400", "warmup_steps = 10"),
                            ("checkpoint_every = 1000", "checkpoint_every = 50")]),
        ("vacua-campaign", [("evaluations = 2000000", "evaluations = 2000")]),
        ("vacua-enumerate", [("flux_limit = 30", "flux_limit = 12")]),
        ("vacua-ga", [("evaluations = 100000", "evaluations = 5000")]),
        ("vacua-rl", [("evaluations = 50000", "evaluations = 2000")]),
        ("vacua-three-moduli", [("evaluations = 20000", "evaluations = 2000")]),
    ]

    /// Per run file, per dataset, the SHA-256 of its values (wall-time columns zeroed), as JSON.
    static let digestScript = """
        import h5py, hashlib, json, sys
        TIMING = {'seconds', 'evaluations_per_s_per_rank'}
        def digests(name):
            out = {}
            def visit(path, obj):
                if isinstance(obj, h5py.Dataset):
                    a = obj[...]
                    if a.dtype.names:
                        a = a.copy()
                        for n in a.dtype.names:
                            if n in TIMING: a[n] = 0
                    out[path] = hashlib.sha256(a.tobytes()).hexdigest()
            h5py.File(name, 'r').visititems(visit)
            return out
        print(json.dumps({n: digests(n + '.h5') for n in sys.argv[1:]}, indent=1, sort_keys=True))
        """

    func testEveryShippedJobWritesTheRecordedDatasets() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        for (name, replacements) in Self.jobs {
            var text = try String(contentsOf: Launcher.jobs.appendingPathComponent("\(name).toml"), encoding: .utf8)
            for (old, new) in replacements {
                XCTAssertTrue(text.contains(old), "jobs/\(name).toml no longer has '\(old)': update the shrink recipe")
                text = text.replacingOccurrences(of: old, with: new)
            }
            try launcher.write("\(name).toml", text)
            let run = try launcher.ensemble(ranks: 2, ["run", "\(name).toml", "--output", "\(name).h5"])
            XCTAssertEqual(run.status, 0, "\(name): \(run.stderr)")
            // The columns `validate` lists (those --columns is checked against before a run) are the file's.
            let validated = try launcher.ensemble(["validate", "\(name).toml", "--output", "other.h5"])
            XCTAssertEqual(validated.status, 0, "\(name): \(validated.stderr)")
            var lines = validated.stdout.components(separatedBy: "\n").drop { !$0.hasPrefix("  table:  ") }
            var table = lines.popFirst() ?? ""
            while let next = lines.first, next.hasPrefix(String(repeating: " ", count: 10)) { table += " " + lines.removeFirst() }
            let listed = table.isEmpty ? nil : table.dropFirst(10).split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
            let inspection = try launcher.ensemble(["inspect", "\(name).h5", "--json"])
            XCTAssertEqual(inspection.status, 0, "\(name): \(inspection.stderr)")
            let inspected = try? JSONSerialization.jsonObject(with: Data(inspection.stdout.utf8))
            let columns = ((inspected as? [String: Any])?["summary"] as? [String: Any])?["columns"] as? [String]
            XCTAssertEqual(listed, columns, "\(name): validate lists other columns than the run file's /summary has")
        }
        let json = try launcher.python(Self.digestScript, arguments: Self.jobs.map(\.0))
        if ProcessInfo.processInfo.environment["ENSEMBLE_UPDATE_DATA"] == "1" {
            try (json + "\n").write(to: Self.record, atomically: true, encoding: .utf8)
            return
        }
        let actual = try JSONDecoder().decode([String: [String: String]].self, from: Data(json.utf8))
        let expected = try JSONDecoder().decode([String: [String: String]].self, from: Data(contentsOf: Self.record))
        for (name, _) in Self.jobs {
            let got = actual[name] ?? [:], want = expected[name] ?? [:]
            XCTAssertEqual(Set(got.keys), Set(want.keys), "\(name): the datasets differ from the record")
            for (path, digest) in want where got[path] != nil && got[path] != digest {
                XCTFail("\(name): /\(path) differs from the record in data/shipped-jobs.json")
            }
        }
    }
}
