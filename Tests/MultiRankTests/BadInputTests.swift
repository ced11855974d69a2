import Foundation
import Launching
import XCTest

/// Bad input, each with a clear message, exit code 2, and no file created or changed.
final class BadInputTests: XCTestCase {
    static let valid = DemoRunTests.job

    /// Runs `arguments` on 2 ranks (under mpirun), or on 1 as a single process, and checks: exit 2,
    /// `expected` in the message, reported once, folder unchanged.
    func assertRejected(_ launcher: Launcher, _ arguments: [String], ranks: Int = 2, _ expected: [String],
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try launcher.listing()
        let outcome = try launcher.refused(ranks: ranks, arguments)
        XCTAssertEqual(outcome.status, 2, "exit code for \(arguments): \(outcome.stderr)", file: file, line: line)
        for text in expected {
            XCTAssertTrue(outcome.stderr.contains(text), "'\(text)' not in: \(outcome.stderr)", file: file, line: line)
        }
        XCTAssertEqual(outcome.stderr.components(separatedBy: "error:").count - 1, 1, "reported once, by rank 0", file: file, line: line)
        XCTAssertEqual(try launcher.listing(), before, "files changed by \(arguments)", file: file, line: line)
    }

    func testJobFileErrorsNameTheKeyTheValueAndWhatIsValid() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let cases: [(String, String, [String])] = [
            ("malformed", "kind = \"demo\"\n[demo\n", ["malformed TOML at line 2"]),
            ("unknown", Self.valid + "\nstpes = 3\n", ["demo.stpes", "unknown key", "measurements"]),
            ("range", Self.valid.replacingOccurrences(of: "chains = 5", with: "chains = 0"), ["demo.chains", "0 is out of range", "between 1 and"]),
            ("rho", Self.valid.replacingOccurrences(of: "[0.0, 0.9]", with: "[0.0, 1.0]"), ["demo.autocorrelations[1]", "1.0 is out of range"]),
            ("type", Self.valid.replacingOccurrences(of: "chains = 5", with: "chains = \"five\""), ["demo.chains", "\"five\" is not valid", "whole number"]),
            ("missing", Self.valid.replacingOccurrences(of: "seed = 7\n", with: ""), ["seed", "missing"]),
            ("kind", Self.valid.replacingOccurrences(of: "kind = \"demo\"", with: "kind = \"lattice_qcd\""), ["kind", "not a known job kind", "\"demo\""]),
        ]
        for (name, text, expected) in cases {
            try launcher.write("\(name).toml", text)
            try assertRejected(launcher, ["run", "\(name).toml"], expected)
            try assertRejected(launcher, ["validate", "\(name).toml"], ranks: 1, expected)
        }
        try assertRejected(launcher, ["run", "absent.toml"], ["absent.toml", "no such job file"])
    }

    func testOutputsAreNeverOverwrittenOrPlacedWhereTheyCannotBe() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("demo.toml", Self.valid)
        try launcher.write("demo.h5", "an earlier result")
        try assertRejected(launcher, ["run", "demo.toml"], ["\"demo.h5\" exists", "--force"])
        try assertRejected(launcher, ["run", "demo.toml", "--output", "nowhere/demo.h5"], ["\"nowhere\"", "does not exist"])
        try assertRejected(launcher, ["run", "demo.toml", "--output", "result.txt"], ["must end in .h5"])
        try assertRejected(launcher, ["run", "demo.toml", "--output", "fresh.h5", "--resume"], ["no interrupted run"])
        try assertRejected(launcher, ["run", "demo.toml", "--force", "--resume"], ["choose one"])

        // An unwritable folder: made read-only and, as root ignores permissions, run as nobody.
        let locked = launcher.path("locked")
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: launcher.folder.path)
        let asNobody = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        let outcome = try launcher.execute("/usr/bin/env", asNobody + [Launcher.binary, "run", launcher.path("demo.toml"), "--output", locked + "/demo.h5"])
        XCTAssertEqual(outcome.status, 2, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("is not writable"), outcome.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: locked), [])
    }

    /// A bad flag is bad input like any other: exit 2, as `ensemble --help` documents (not
    /// ArgumentParser's 64), with its usage message; --help and --version still exit 0.
    func testBadFlagsExitWithTwo() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        for arguments in [["run", "x.toml", "--bogus"], ["run"], ["nosuch"], ["bench", "vacua", "--L", "ten"]] {
            let outcome = try launcher.ensemble(arguments)
            XCTAssertEqual(outcome.status, 2, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains("Usage:") || outcome.stderr.contains("Error:"), "\(arguments): \(outcome.stderr)")
        }
        let negative = try launcher.ensemble(["run", "x.toml", "--seed", "-1"])
        XCTAssertEqual(negative.status, 2, negative.stderr)
        XCTAssertTrue(negative.stderr.contains("a seed is a whole number from 0"), negative.stderr)
        XCTAssertEqual(try launcher.ensemble(["run", "--help"]).status, 0)
        XCTAssertEqual(try launcher.ensemble(["--version"]).status, 0)
    }

    /// `--columns` naming a column the kind's table lacks is refused before the run, on 1 and 2
    /// ranks, with every column named; a valid choice runs and prints just those columns.
    func testAColumnTheTableLacksIsRefusedBeforeTheRun() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("demo.toml", Self.valid)
        for ranks in [1, 2] {
            try assertRejected(launcher, ["run", "demo.toml", "--columns", "mean,nope"], ranks: ranks,
                               ["--columns: no column 'nope'", "the columns are point, autocorrelation, mean"])
            try assertRejected(launcher, ["run", "demo.toml", "--csv", "--columns", "nope"], ranks: ranks, ["no column 'nope'"])
        }
        let run = try launcher.ensemble(ranks: 2, ["run", "demo.toml", "--csv", "--columns", "point,tau_int_exact"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout.split(separator: "\n").first, "point,tau_int_exact", run.stdout)
    }

    /// A lattice whose spins alone need more memory than the node has (131072², 51 GB) is refused
    /// before it starts, saying how much it needs and how much there is.
    func testARunThatCannotFitInMemoryIsRefused() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("huge.toml", """
            kind = "ising"
            output = "huge.h5"
            seed = 1
            [ising]
            extents = [131072, 131072]
            temperatures = [2.3]
            algorithms = ["metropolis"]
            thermalization = 1
            sweeps = 1
            """)
        try assertRejected(launcher, ["run", "huge.toml"], ranks: 1, ["of memory", "available"])
        try assertRejected(launcher, ["validate", "huge.toml"], ranks: 1, ["of memory"])
    }

    func testInspectRefusesWhatIsNotARunFile() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("notes.h5", "plain text, not HDF5")
        _ = try launcher.python("import h5py; f = h5py.File('other.h5', 'w'); f.attrs['schema'] = 'someone-else/3'; f.close(); h5py.File('bare.h5', 'w').close()")
        for (name, expected) in [("absent.h5", "no such file"), ("notes.h5", "is not an HDF5 file"),
                                 ("other.h5", "has schema \"someone-else/3\""), ("bare.h5", "not an Ensemble run file")] {
            let before = try launcher.listing()
            let outcome = try launcher.ensemble(["inspect", name])
            XCTAssertEqual(outcome.status, 2, "\(name): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(expected), "\(name): \(outcome.stderr)")
            XCTAssertEqual(try launcher.listing(), before)
        }
    }
}
