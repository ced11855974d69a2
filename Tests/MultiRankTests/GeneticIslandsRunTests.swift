import Foundation
import Launching
import XCTest

/// Genetic searches with several islands per rank: with `islands` set, the same job gives the
/// same catalog on any number of ranks, and resumes to it.
final class GeneticIslandsRunTests: XCTestCase {
    static func job(islands: Int, population: Int = 160, extra: String = "") -> String {
        """
        kind = "vacua"
        output = "g.h5"
        seed = 7
        [vacua]
        flux_limit = 10
        method = "genetic"
        evaluations = 8000
        string_coupling = [0.25, 0.35]
        \(extra)
        [vacua.genetic]
        population = \(population)
        islands = \(islands)
        migrate_every = 5
        """
    }

    /// Four islands on 1, 2 and 4 ranks: byte-identical catalogs and discovery curves, with the
    /// finding island in the rank column and every island finding something.
    func testFourIslandsGiveTheSameCatalogOnOneTwoAndFourRanks() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        _ = try launcher.runEach(Self.job(islands: 4), ranks: [1, 2, 4], tag: "islands") { $0 }
        XCTAssertEqual(try launcher.python("""
        import h5py
        runs = [h5py.File(f'islands-{n}.h5', 'r') for n in (1, 2, 4)]
        c = [f['catalog'][...] for f in runs]; d = [f['discovery'][...] for f in runs]
        same = all(x.tobytes() == c[0].tobytes() for x in c) and all(x.tobytes() == d[0].tobytes() for x in d)
        s = runs[0]['summary'][...]
        print(len(c[0]) > 0, same, sorted(set(int(r) for r in c[0]['rank'])), int(s['evaluations'][0]))
        """), "True True [0, 1, 2, 3] 32000")
    }

    /// Interrupted on 2 ranks with 4 islands and resumed: the catalog of the uninterrupted run.
    func testFourIslandsOnTwoRanksResumeToTheSameCatalog() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("r.toml", Self.job(islands: 4, extra: "checkpoint_every = 10"))
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "r.toml", "--output", "whole.h5"]).status, 0)
        let stopped = try launcher.ensemble(ranks: 2, ["run", "r.toml", "--output", "split.h5", "--stop-after-checkpoints", "2"])
        XCTAssertEqual(stopped.status, 75, stopped.stderr)
        let resumed = try launcher.ensemble(ranks: 2, ["run", "r.toml", "--output", "split.h5", "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try launcher.python("""
        import h5py
        a = h5py.File('whole.h5', 'r')['catalog'][...]; b = h5py.File('split.h5', 'r')['catalog'][...]
        print(len(a) > 0, a.tobytes() == b.tobytes())
        """), "True True")
    }

    /// Islands that cannot be spread over the ranks, or too few genomes per island: refused
    /// before any file exists.
    func testBadIslandCounts() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        for (name, text, message) in [("uneven", Self.job(islands: 3), "vacua.genetic.islands: 3 cannot be spread evenly over 2 ranks"),
                                      ("small", Self.job(islands: 4, population: 6).replacingOccurrences(of: "migrate_every = 5", with: "elite = 0\nmigrants = 1"),
                                       "6 is too small for 4 islands"),
                                      ("zero", Self.job(islands: 0), "vacua.genetic.islands: 0 is out of range")] {
            try launcher.write("\(name).toml", text)
            // "uneven" is about 2 ranks; the others do not depend on the rank count.
            let outcome = try launcher.refused(ranks: name == "uneven" ? 2 : 1, ["run", "\(name).toml", "--output", "\(name).h5"])
            XCTAssertEqual(outcome.status, 2, "\(name): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(message), "\(name): expected '\(message)' in \(outcome.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("\(name).h5.partial")), name)
        }
    }
}
