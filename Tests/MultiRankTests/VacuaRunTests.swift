import Foundation
import Launching
import XCTest

/// Landscape searches through the real binary: the catalog h5py reads, the genetic islands against
/// random search, and bad input.
final class VacuaRunTests: XCTestCase {
    static func job(method: String = "genetic", limit: Int = 10, evaluations: Int = 20000, extra: String = "") -> String {
        """
        kind = "vacua"
        output = "v.h5"
        seed = 5
        [vacua]
        flux_limit = \(limit)
        method = "\(method)"
        evaluations = \(evaluations)
        string_coupling = [0.25, 0.35]
        \(extra)
        [vacua.genetic]
        population = 100
        """
    }

    /// Python that removes a file's checksums, as files of Ensembles before 0.2 have none.
    static func unseal(_ name: String) -> String {
        """

        import h5py
        f = h5py.File('\(name)', 'r+'); del f.attrs['checksum']
        f.visititems(lambda p, o: o.attrs.__delitem__('checksum') if 'checksum' in o.attrs else None); f.close()
        """
    }

    func testCatalogOfAGeneticSearchOnTwoRanks() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("ga.toml", Self.job())
        let run = try launcher.ensemble(ranks: 2, ["run", "ga.toml", "--output", "ga.h5"])
        XCTAssertEqual(run.status, 0, run.stderr)
        try launcher.write("random.toml", Self.job(method: "random"))
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "random.toml", "--output", "random.h5"]).status, 0)
        // Every catalog row is a distinct vacuum inside the bound, g_s = 1/Im φ, the target flag
        // agrees with g_s, and it satisfies D_φW = 0: P_F(τ) = conj(φ) P_H(τ).
        let report = try launcher.python("""
        import h5py, numpy as np
        def cubic(v, t): return v[0]*t**3 - 3*v[1]*t**2 - 3*v[2]*t - v[3]
        counts = []
        for name in ('ga.h5', 'random.h5'):
            f = h5py.File(name, 'r')
            c = f['catalog'][...]
            q = np.stack([c[k] for k in ('a0', 'a', 'b', 'b0', 'c0', 'c', 'd', 'd0')], axis=1)
            assert len({tuple(r) for r in q}) == len(c)
            assert ((c['n_flux'] > 0) & (c['n_flux'] <= 10)).all()
            assert np.allclose(c['g_s'], 1 / c['phi_im'])
            assert (c['in_target'] == ((c['g_s'] >= 0.25) & (c['g_s'] < 0.35))).all()
            tau = c['tau_re'] + 1j * c['tau_im']; phi = c['phi_re'] + 1j * c['phi_im']
            for r, t, p in zip(q, tau, phi):
                lhs, rhs = cubic(r[:4], t), np.conj(p) * cubic(r[4:], t)
                assert abs(lhs - rhs) < 1e-7 * (1 + abs(lhs) + abs(rhs)), (r, t, p)
            d = f['discovery'][...]
            assert d.shape == (len(c), 3) and (len(c) == 0 or (d[-1, 1] == len(c) and d[-1, 2] == c['in_target'].sum()))
            counts.append(int(c['in_target'].sum()))
        print(counts[0], counts[1])
        """).split(separator: " ").compactMap { Int($0) }
        guard report.count == 2 else { return XCTFail("no counts from the catalogs") }
        XCTAssertGreaterThanOrEqual(report[0], 3 * max(1, report[1]), "genetic \(report[0]) vs random \(report[1]) target vacua")

        // Against the complete enumeration: every vacuum both searches found is in it, and the
        // genetic search's target vacua are the recall's numerator.
        try launcher.write("enumerate.toml", Self.job(method: "enumerate").replacingOccurrences(of: "evaluations = 20000", with: ""))
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "enumerate.toml", "--output", "enumerate.h5"]).status, 0)
        for (name, targets) in [("ga.h5", report[0]), ("random.h5", report[1])] {
            let recall = try launcher.ensemble(["catalog", "recall", name, "--enumeration", "enumerate.h5", "--gs", "0.25:0.35"])
            XCTAssertEqual(recall.status, 0, recall.stdout + recall.stderr)
            XCTAssertTrue(recall.stdout.contains("every search vacuum is in the enumeration"), recall.stdout)
            XCTAssertTrue(recall.stdout.contains("g_s in [0.25, 0.35): \(targets) of "), recall.stdout)
        }
        // A row the enumeration lacks fails the recall; a search catalog is no enumeration. (Edited
        // by hand, the catalog no longer matches its checksums and is refused; with its checksums
        // removed, as a file of an older Ensemble has none, it is read unverified.)
        _ = try launcher.python("""
        import h5py, shutil
        shutil.copy('ga.h5', 'forged.h5')
        f = h5py.File('forged.h5', 'r+'); c = f['catalog'][...]; c[0]['a0'] = 99; f['catalog'][0] = c[0]
        """)
        let refused = try launcher.ensemble(["catalog", "recall", "forged.h5", "--enumeration", "enumerate.h5"])
        XCTAssertEqual(refused.status, 2, refused.stdout)
        XCTAssertTrue(refused.stderr.contains("forged.h5: is damaged or was altered"), refused.stderr)
        _ = try launcher.python(VacuaRunTests.unseal("forged.h5"))
        let forged = try launcher.ensemble(["catalog", "recall", "forged.h5", "--enumeration", "enumerate.h5"])
        XCTAssertEqual(forged.status, 1, forged.stdout)
        XCTAssertTrue(forged.stderr.contains("1 search vacua are not in the enumeration"), forged.stderr)
        XCTAssertTrue(forged.stderr.contains("carries no checksums"), forged.stderr)
        let notEnumeration = try launcher.ensemble(["catalog", "recall", "ga.h5", "--enumeration", "random.h5"])
        XCTAssertEqual(notEnumeration.status, 2)
        XCTAssertTrue(notEnumeration.stderr.contains("is not a complete enumeration"), notEnumeration.stderr)
    }

    /// The enumeration on 1, 2 and 4 ranks writes the same vacua (same canonical keys, moduli and
    /// counts by N_flux), with the known counts: none at N_flux = 1, 2, two at 3, 27 up to 5.
    func testEnumerationIsTheSameOnOneTwoAndFourRanks() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let text = """
        kind = "vacua"
        output = "e.h5"
        seed = 1
        [vacua]
        flux_limit = 12
        method = "enumerate"
        string_coupling = [0.25, 0.35]
        """
        _ = try launcher.runEach(text, ranks: [1, 2, 4], tag: "enumerate") { $0 }
        let report = try launcher.python("""
        import h5py, numpy as np
        names = ('a0', 'a', 'b', 'b0', 'c0', 'c', 'd', 'd0')
        runs = []
        for ranks in (1, 2, 4):
            f = h5py.File(f'enumerate-{ranks}.h5', 'r')
            c = np.sort(f['catalog'][...], order=list(names))
            keys = np.stack([c[k] for k in names], axis=1)
            assert len({tuple(r) for r in keys}) == len(c), 'one row per key'
            assert (c['method'] == b'enumerate').all() and (c['in_target'] == ((c['g_s'] >= 0.25) & (c['g_s'] < 0.35))).all()
            n = f['by_flux_number'][...]
            assert n.shape == (12, 3) and n[:, 1].sum() == len(c) and n[:, 2].sum() == c['in_target'].sum()
            runs.append((keys, np.stack([c['tau_re'], c['tau_im'], c['phi_re'], c['phi_im']], axis=1), n))
        for keys, moduli, n in runs[1:]:
            assert (keys == runs[0][0]).all() and (n == runs[0][2]).all(), 'the same vacua on every number of ranks'
            assert np.allclose(moduli, runs[0][1], rtol=1e-9, atol=1e-9)
        n = runs[0][2][:, 1].astype(int)
        print(len(runs[0][0]), n[0], n[1], n[2], n[:5].sum())
        """)
        let fields = report.split(separator: " ").map(String.init)
        XCTAssertEqual(Array(fields.dropFirst()), ["0", "0", "2", "27"], report)
        XCTAssertGreaterThan(Int(fields.first ?? "") ?? 0, 27, report)
    }

    func testBadSearchInput() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let cases: [(String, String, String)] = [
            ("limit", Self.job(limit: 0), "vacua.flux_limit"),
            ("target", Self.job().replacingOccurrences(of: "[0.25, 0.35]", with: "[0.35, 0.25]"), "vacua.string_coupling"),
            ("empty", Self.job().replacingOccurrences(of: "[0.25, 0.35]", with: "[]"), "vacua.string_coupling"),
            ("method", Self.job(method: "annealing"), "vacua.method"),
            ("population", Self.job().replacingOccurrences(of: "population = 100", with: "population = 3\nelite = 0\nmigrants = 1"),
             "too small for 2 islands"),
            ("enumerate-budget", Self.job(method: "enumerate"), "vacua.evaluations: an enumeration solves every candidate"),
            ("enumerate-limit", Self.job(method: "enumerate", limit: 61).replacingOccurrences(of: "evaluations = 20000", with: ""),
             "vacua.flux_limit: 61 is too large to enumerate"),
            ("no-budget", Self.job().replacingOccurrences(of: "evaluations = 20000", with: ""), "vacua.evaluations: missing"),
        ]
        for (name, text, message) in cases {
            try launcher.write("\(name).toml", text)
            // The checks run before MPI starts; the newer cases need no mpirun to show it.
            let arguments = ["run", "\(name).toml", "--output", "out-\(name).h5"]
            let outcome = try name.contains("budget") || name.contains("enumerate") ? launcher.ensemble(arguments)
                : launcher.ensemble(ranks: 2, arguments)
            XCTAssertEqual(outcome.status, 2, "\(name): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(message), "\(name): expected '\(message)' in \(outcome.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("out-\(name).h5.partial")))
        }
    }

    /// Two campaigns with different seeds merge into one catalog without duplicates; queries filter
    /// by g_s and N_flux; catalogs of different models refuse to merge.
    func testCatalogMergeAndQuery() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        for seed in [5, 6] {
            try launcher.write("s\(seed).toml", Self.job().replacingOccurrences(of: "seed = 5", with: "seed = \(seed)"))
            XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "s\(seed).toml", "--output", "s\(seed).h5"]).status, 0)
        }
        let merged = try launcher.ensemble(["catalog", "merge", "s5.h5", "s6.h5", "-o", "all.h5"])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        let counts = try launcher.python("""
        import h5py, numpy as np
        keys = lambda f: {tuple(int(r[k]) for k in ('a0', 'a', 'b', 'b0', 'c0', 'c', 'd', 'd0')) for r in h5py.File(f, 'r')['catalog'][...]}
        a, b, m = keys('s5.h5'), keys('s6.h5'), keys('all.h5')
        c = h5py.File('all.h5', 'r')['catalog'][...]
        print(len(m) == len(c) == len(a | b), int(((c['g_s'] >= 0.25) & (c['g_s'] < 0.35) & (c['n_flux'] >= 4) & (c['n_flux'] < 9)).sum()))
        """).split(separator: " ")
        XCTAssertEqual(counts.first, "True")
        // Every numeric catalog column says what it holds, in the run's catalog and in the merged one.
        XCTAssertEqual(try launcher.python("""
        import h5py
        for path in ('s5.h5', 'all.h5'):
            t = h5py.File(path, 'r')['catalog']
            numbers = [c for c in t.dtype.names if t.dtype[c].kind in 'iuf']
            missing = [c for c in numbers if not (t.attrs.get(c + '_units') and t.attrs.get(c + '_long_name'))]
            assert not missing, (path, missing)
            assert t.attrs['g_s_definition'] == 'g_s = 1/Im phi' and t.attrs['a0_long_name'] == 'RR three-form flux quantum a0 (F)', path
            assert t.attrs['d0_long_name'] == 'NSNS three-form flux quantum d0 (H)', path
        print('ok')
        """), "ok")
        let inspected = try launcher.ensemble(["inspect", "all.h5"])
        XCTAssertEqual(inspected.status, 0, inspected.stderr)
        XCTAssertTrue(inspected.stdout.contains("all.h5: complete") && inspected.stdout.contains("s5.h5\n                     s6.h5")
                      && inspected.stdout.contains("/catalog"), inspected.stdout)
        let query = try launcher.ensemble(["catalog", "query", "all.h5", "--gs", "0.25:0.35", "--n-flux", "4:9"])
        XCTAssertEqual(query.status, 0, query.stderr)
        XCTAssertTrue(query.stdout.hasSuffix("\(counts.last ?? "?") vacua\n"), query.stdout)
        XCTAssertEqual(try launcher.ensemble(["catalog", "merge", "s5.h5", "s6.h5", "-o", "all.h5"]).status, 2, "no overwrite without --force")
        _ = try launcher.python("""
        import h5py, shutil
        shutil.copy('s6.h5', 'other.h5')
        h5py.File('other.h5', 'r+').attrs['model'] = 'rigid Calabi-Yau'
        """ + VacuaRunTests.unseal("other.h5"))
        let mixed = try launcher.ensemble(["catalog", "merge", "s5.h5", "other.h5", "-o", "mixed.h5"])
        XCTAssertEqual(mixed.status, 2)
        XCTAssertTrue(mixed.stderr.contains("catalogs of different models cannot be merged"), mixed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("mixed.h5")))
        XCTAssertEqual(try launcher.ensemble(["catalog", "query", "all.h5", "--gs", "0.4:0.3"]).status, 2)
    }

    /// Each search (genetic islands, the agent, random search) stopped at a checkpoint and resumed
    /// writes the same catalog, byte for byte, as one that ran through; a checkpoint refuses
    /// another number of ranks.
    func testInterruptedSearchResumesToTheSameCatalog() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        // Random search needs more evaluations to find anything at L = 10; its rounds are 4096 genomes.
        for (method, every, stops, budget) in [("genetic", 20, 3, 20_000), ("policy", 10, 2, 20_000), ("random", 10, 2, 200_000)] {
            try launcher.write("\(method).toml", Self.job(method: method, evaluations: budget, extra: "checkpoint_every = \(every)"))
            XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "\(method).toml", "--output", "\(method)-whole.h5"]).status, 0)
            let stopped = try launcher.ensemble(ranks: 2, ["run", "\(method).toml", "--output", "\(method)-split.h5",
                                                           "--stop-after-checkpoints", "\(stops)"])
            XCTAssertEqual(stopped.status, 75, "\(method): \(stopped.stderr)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: launcher.path("\(method)-split.h5.checkpoint")), method)
            XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("\(method)-split.h5")), method)
            let resumed = try launcher.ensemble(ranks: 2, ["run", "\(method).toml", "--output", "\(method)-split.h5", "--resume"])
            XCTAssertEqual(resumed.status, 0, "\(method): \(resumed.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("\(method)-split.h5.checkpoint")), method)
            XCTAssertEqual(try launcher.python("""
            import h5py, numpy as np
            a = h5py.File('\(method)-whole.h5', 'r')['catalog'][...]; b = h5py.File('\(method)-split.h5', 'r')['catalog'][...]
            print(len(a) > 0, a.tobytes() == b.tobytes())
            """), "True True", method)
        }
        try launcher.write("c.toml", Self.job(extra: "checkpoint_every = 20"))
        XCTAssertEqual(try launcher.ensemble(ranks: 1, ["run", "c.toml", "--output", "other.h5", "--stop-after-checkpoints", "1"]).status, 75)
        let wrongRanks = try launcher.ensemble(ranks: 2, ["run", "c.toml", "--output", "other.h5", "--resume"])
        XCTAssertEqual(wrongRanks.status, 2, wrongRanks.stderr)
        XCTAssertTrue(wrongRanks.stderr.contains("resume it on the same number, 1, not 2"), wrongRanks.stderr)
    }
}
