import Foundation
import Launching
import XCTest

/// `ensemble check` on 1, 2 and 4 ranks, and its file read back by h5py and h5dump.
final class InstallationCheckTests: XCTestCase {
    func testCollectivesAndParallelWritesOnOneTwoAndFourRanks() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        for ranks in [1, 2, 4] {
            let name = "check-\(ranks).h5"
            let outcome = try launcher.ensemble(ranks: ranks, ["check", "--output", name])
            XCTAssertEqual(outcome.status, 0, "\(ranks) ranks: \(outcome.stdout)\(outcome.stderr)")
            XCTAssertTrue(outcome.stdout.contains("13 passed, 0 failed on \(ranks) rank(s)"), outcome.stdout)
            XCTAssertTrue(outcome.stdout.contains("collective write of a 3-D dataset (HDF5 reports contiguousCollective)"), outcome.stdout)
            XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path(name + ".partial")))

            // h5py, with no MPI, reads exactly the values each rank wrote.
            let verdict = try launcher.python("""
            import h5py, numpy as np
            f = h5py.File('\(name)', 'r')
            i, j, k = np.meshgrid(np.arange(6), np.arange(5), np.arange(4), indexing='ij')
            cube_ok = f['cube'].dtype == np.float64 and np.array_equal(f['cube'][...], i * 100 + j * 10 + k + 0.5)
            rows = [(r, n, r + n / 10) for r in range(\(ranks)) for n in range(0 if r == 1 else 2 * r + 1)] * 2
            t = f['table'][...]
            table_ok = [(int(a), int(b), float(c)) for a, b, c in t] == rows and t.dtype.names == ('rank', 'index', 'value')
            spins = f['spins'][...]
            spins_ok = spins.dtype == np.int8 and all((spins[r] == (1 if r % 2 == 0 else -1)).all() for r in range(\(ranks)))
            print(cube_ok, table_ok, spins_ok, bool(f.attrs['completed']), f.attrs['schema'])
            """)
            XCTAssertEqual(verdict, "True True True True ensemble/1", "\(ranks) ranks")

            // h5dump, the HDF Group's own reader, agrees value for value.
            let dump = try launcher.execute("/usr/bin/env", ["h5dump", "-d", "/cube", "-y", "-w", "0", name])
            XCTAssertEqual(dump.status, 0, dump.stderr)
            let data = dump.stdout.components(separatedBy: "DATA {").last ?? ""
            let numbers = data.split(whereSeparator: { ", \n\t{}".contains($0) }).compactMap { Double($0) }
            var expected: [Double] = []
            for i in 0..<6 { for j in 0..<5 { for k in 0..<4 { expected.append(Double(i * 100 + j * 10 + k) + 0.5) } } }
            XCTAssertEqual(numbers, expected, "h5dump of \(ranks)-rank file")
        }
    }
}
