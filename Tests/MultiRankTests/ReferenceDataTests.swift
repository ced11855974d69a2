import Foundation
import Launching
import XCTest

/// The reference files in `data/`: each is made anew by `data/regenerate` (the commands
/// data/README.md names) and must equal the committed copy, and the tests that start from them
/// get what they promise.
final class ReferenceDataTests: XCTestCase {
    static let data = ShippedJobsTests.repository.appendingPathComponent("data")

    /// Every file regenerated into a scratch folder: the exact Ising table equal to 1e-12
    /// (relative) in every number, the catalog equal dataset by dataset (its wall-time columns
    /// left out).
    func testEveryReferenceFileRegeneratesTheSame() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let made = try launcher.execute(Self.data.appendingPathComponent("regenerate").path, [Launcher.binary, launcher.folder.path])
        XCTAssertEqual(made.status, 0, made.stderr)
        let table = try launcher.python("""
        import json, math, sys
        def close(a, b, where):
            if isinstance(a, dict):
                assert isinstance(b, dict) and a.keys() == b.keys(), f'{where}: keys {sorted(a)} != {sorted(b)}'
                for k in a: close(a[k], b[k], f'{where}.{k}')
            elif isinstance(a, float) or isinstance(b, float):
                assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15), f'{where}: {a} != {b}'
            else:
                assert a == b, f'{where}: {a} != {b}'
        new = [json.loads(l) for l in open('ising-2d-exact.jsonl')]
        old = [json.loads(l) for l in open(sys.argv[1])]
        assert len(new) == len(old) == 88, (len(new), len(old))
        for i, (a, b) in enumerate(zip(new, old)): close(a, b, f'line {i + 1}')
        print(len(new))
        """, arguments: [Self.data.appendingPathComponent("ising-2d-exact.jsonl").path])
        XCTAssertEqual(table, "88")
        try FileManager.default.copyItem(atPath: Self.data.appendingPathComponent("t6-catalog-nflux12.h5").path,
                                         toPath: launcher.path("committed.h5"))
        let digests = try JSONDecoder().decode([String: [String: String]].self, from: Data(
            try launcher.python(ShippedJobsTests.digestScript, arguments: ["t6-catalog-nflux12", "committed"]).utf8))
        XCTAssertEqual(digests["t6-catalog-nflux12"]?.keys.sorted(), ["by_flux_number", "catalog", "discovery", "discovery_column",
                                                                      "discovery_point", "flux_column", "flux_number", "search", "summary", "vacuum"])
        XCTAssertEqual(digests["t6-catalog-nflux12"], digests["committed"], "data/t6-catalog-nflux12.h5 differs from a fresh enumeration")
    }

    /// An Ising scan at L = 8, run through the binary on 2 ranks, agrees with the exact table's
    /// Kaufman energy and specific heat within 4σ (Γ-method errors) at three temperatures.
    func testAnIsingRunAgreesWithTheExactTable() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("ising.toml", IsingRunTests.job(extents: "[8, 8]", algorithms: "[\"wolff\", \"metropolis\"]",
                                                          temperatures: "[2.0, 2.3, 2.6]")
            .replacingOccurrences(of: "sweeps = 200", with: "sweeps = 40000")
            .replacingOccurrences(of: "checkpoint_every = 60", with: "checkpoint_every = 20000"))
        let run = try launcher.ensemble(ranks: 2, ["run", "ising.toml", "--output", "ising.h5"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let report = try launcher.python("""
        import h5py, json, sys
        exact = {round(r['temperature'], 6): r['kaufman'] for r in map(json.loads, open(sys.argv[1])) if r['rows'] == 8}
        s = h5py.File('ising.h5', 'r')['summary'][...]
        worst = 0
        for row in s:
            k = exact[round(float(row['temperature']), 6)]
            for name, key in (('energy', 'energy_per_site'), ('specific_heat', 'specific_heat_per_site')):
                z = abs(row[name] - k[key]) / row[name + '_error']
                assert z < 4, f"T={row['temperature']} {name}: {row[name]} ± {row[name + '_error']} vs exact {k[key]} ({z:.1f} sigma)"
                worst = max(worst, z)
        print(len(s), f'{worst:.2f}')
        """, arguments: [Self.data.appendingPathComponent("ising-2d-exact.jsonl").path])
        XCTAssertTrue(report.hasPrefix("3 "), report)
    }

    /// A short genetic search measured against the reference catalog: `catalog recall` accepts it
    /// (every vacuum it found with N_flux ≤ 12 is in the enumeration) and reports what it found.
    func testASearchIsMeasuredAgainstTheReferenceCatalog() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        var text = try String(contentsOf: Launcher.jobs.appendingPathComponent("vacua-ga.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "evaluations = 100000", with: "evaluations = 5000")
        try launcher.write("ga.toml", text)
        let run = try launcher.ensemble(ranks: 2, ["run", "ga.toml", "--output", "ga.h5"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let recall = try launcher.ensemble(["catalog", "recall", "ga.h5", "--enumeration",
                                            Self.data.appendingPathComponent("t6-catalog-nflux12.h5").path])
        XCTAssertEqual(recall.status, 0, recall.stderr)
        XCTAssertTrue(recall.stdout.contains("1663"), "the enumeration's 1663 vacua are the denominator:\n\(recall.stdout)")
    }
}
