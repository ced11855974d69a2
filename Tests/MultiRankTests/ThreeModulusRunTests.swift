import Foundation
import Launching
import XCTest

/// Searches of the three-modulus model through the real binary: a catalog whose every row h5py
/// checks against the supersymmetry conditions computed independently, resumption, merging and
/// bad input.
final class ThreeModulusRunTests: XCTestCase {
    static func job(extra: String = "", limit: Int = 8, evaluations: Int = 4096) -> String {
        """
        kind = "vacua"
        output = "t.h5"
        seed = 4
        [vacua]
        model = "three-modulus"
        flux_limit = \(limit)
        method = "random"
        evaluations = \(evaluations)
        newton_starts = 8
        string_coupling = [0.3, 0.6]
        checkpoint_every = 1
        \(extra)
        """
    }

    /// Every row is a distinct, isolated-looking vacuum inside the bound: D_φW = P_F − φ̄P_H = 0 and
    /// D_τᵢW = ∂ᵢW (τ̄ᵢ − τᵢ) + W = 0 (∂ᵢW from P being linear in τᵢ: P(τᵢ = 1) − P(τᵢ = 0)) to
    /// 1e-7 of the terms' size, N_flux recomputed from the fluxes, every modulus in the fundamental
    /// domain, g_s = 1/Im φ and the target flag agreeing with it; stopped after a checkpoint and
    /// resumed, the run writes the same catalog byte for byte.
    func testCatalogRowsAreVacuaAndAResumedSearchMatches() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("t.toml", Self.job())
        let whole = try launcher.ensemble(ranks: 2, ["run", "t.toml", "--output", "whole.h5"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        let rows = try launcher.python("""
        import h5py, numpy as np
        f = h5py.File('whole.h5', 'r')
        assert f.attrs['model'] == 'untwisted T6, three moduli'
        c = f['catalog'][...]
        names = ('a0', 'a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'b0', 'c0', 'c1', 'c2', 'c3', 'd1', 'd2', 'd3', 'd0')
        q = np.stack([c[k] for k in names], axis=1).astype(float)
        assert len({tuple(r) for r in q}) == len(c)
        def cubic(v, t):
            return (v[0] * t[0] * t[1] * t[2] - v[1] * t[1] * t[2] - v[2] * t[0] * t[2] - v[3] * t[0] * t[1]
                    - v[4] * t[0] - v[5] * t[1] - v[6] * t[2] - v[7])
        for r, row in zip(q, c):
            F, H = r[:8], r[8:]
            n = F[7] * H[0] - F[0] * H[7] + sum(F[3 + i] * H[i] - F[i] * H[3 + i] for i in (1, 2, 3))
            assert n == row['n_flux'] and 0 < n <= 8, (r, n)
            t = [row['tau%d_re' % i] + 1j * row['tau%d_im' % i] for i in (1, 2, 3)]
            phi = row['phi_re'] + 1j * row['phi_im']
            for z in t + [phi]:
                assert z.imag > 0 and abs(z.real) <= 0.5 + 1e-9 and abs(z) >= 1 - 1e-9, (r, z)
            W = lambda s: cubic(F, s) - phi * cubic(H, s)
            r = [abs(z) for z in t]
            size = lambda v: np.dot(np.abs(v), [r[0] * r[1] * r[2], r[1] * r[2], r[0] * r[2], r[0] * r[1], r[0], r[1], r[2], 1])
            scale = size(F) + abs(phi) * size(H)
            w = W(t)
            assert abs(cubic(F, t) - np.conj(phi) * cubic(H, t)) < 1e-7 * scale, ('phi', r)
            for i in range(3):
                one, zero = list(t), list(t)
                one[i], zero[i] = 1, 0
                dw = W(one) - W(zero)
                assert abs(dw * (np.conj(t[i]) - t[i]) + w) < 1e-7 * scale, ('tau', i, r)
            assert np.isclose(row['g_s'], 1 / phi.imag) and np.isclose(row['abs_w'], abs(w))
            assert row['in_target'] == (0.3 <= row['g_s'] < 0.6)
        print(len(c))
        """)
        XCTAssertGreaterThanOrEqual(Int(rows) ?? 0, 5, "vacua found: \(rows)")

        let stopped = try launcher.ensemble(ranks: 2, ["run", "t.toml", "--output", "split.h5", "--stop-after-checkpoints", "1"])
        XCTAssertEqual(stopped.status, 75, stopped.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("split.h5")))
        let resumed = try launcher.ensemble(ranks: 2, ["run", "t.toml", "--output", "split.h5", "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try launcher.python("""
        import h5py
        a = h5py.File('whole.h5', 'r')['catalog'][...]; b = h5py.File('split.h5', 'r')['catalog'][...]
        print(a.tobytes() == b.tobytes())
        """), "True")

        // Two seeds merge by the 16-flux key; a symmetric-model catalog does not merge with them.
        try launcher.write("u.toml", Self.job().replacingOccurrences(of: "seed = 4", with: "seed = 9"))
        XCTAssertEqual(try launcher.ensemble(["run", "u.toml", "--output", "other-seed.h5"]).status, 0)
        let merged = try launcher.ensemble(["catalog", "merge", "whole.h5", "other-seed.h5", "-o", "all.h5"])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertEqual(try launcher.python("""
        import h5py
        key = lambda f: {tuple(r)[:16] for r in h5py.File(f, 'r')['catalog'][...].tolist()}
        print(key('all.h5') == key('whole.h5') | key('other-seed.h5'), len(h5py.File('all.h5', 'r')['catalog']) == len(key('all.h5')))
        """), "True True")
        try launcher.write("s.toml", VacuaRunTests.job(method: "random", evaluations: 4096))
        XCTAssertEqual(try launcher.ensemble(["run", "s.toml", "--output", "symmetric.h5"]).status, 0)
        let mixed = try launcher.ensemble(["catalog", "merge", "whole.h5", "symmetric.h5", "-o", "mixed.h5"])
        XCTAssertEqual(mixed.status, 2)
        XCTAssertTrue(mixed.stderr.contains("catalogs of different models cannot be merged"), mixed.stderr)
    }

    /// Settings of one model on the other, unknown models and out-of-range settings are refused
    /// before any work, and nothing is written.
    func testBadThreeModulusInput() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let cases: [(String, String, String)] = [
            ("model", Self.job().replacingOccurrences(of: "\"three-modulus\"", with: "\"K3\""), "vacua.model"),
            ("genetic", Self.job().replacingOccurrences(of: "\"random\"", with: "\"genetic\""), "not available for the three-modulus model"),
            ("box", Self.job(extra: "box = 9"), "vacua.box"),
            ("starts", Self.job().replacingOccurrences(of: "newton_starts = 8", with: "newton_starts = 0"), "vacua.newton_starts"),
            ("symmetric-box", VacuaRunTests.job(extra: "box = 2"), "is a setting of the three-modulus search"),
        ]
        for (name, text, message) in cases {
            try launcher.write("\(name).toml", text)
            let outcome = try launcher.ensemble(["run", "\(name).toml", "--output", "out-\(name).h5"])
            XCTAssertEqual(outcome.status, 2, "\(name): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(message), "\(name): expected '\(message)' in \(outcome.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("out-\(name).h5.partial")))
            XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("out-\(name).h5")))
        }
    }
}
