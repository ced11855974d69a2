import Foundation
import Jobs
import XCTest

/// `--set section.key=value`: parsed, applied to the job text keeping its comments, checked like
/// the file, and refused with a message that names the flag.
final class KeyOverrideTests: XCTestCase {
    static let job = "# a demo job\n" + JobFileTests.valid

    func applied(_ flags: String...) throws -> JobFile {
        try JobFile.parse(Self.job, path: "job.toml").replacing(flags.map { try KeyOverride(parsing: $0) })
    }

    func refusal(_ flags: String...) -> String {
        do {
            _ = try JobFile.parse(Self.job, path: "job.toml").replacing(flags.map { try KeyOverride(parsing: $0) })
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    func testValuesAreTOMLOrElseStrings() throws {
        XCTAssertEqual(try KeyOverride(parsing: "demo.chains=4").value, "4")
        XCTAssertEqual(try KeyOverride(parsing: "ising.extents=[16, 16]").value, "[16, 16]")
        XCTAssertEqual(try KeyOverride(parsing: "output=runs/L16.h5").value, "\"runs/L16.h5\"")
        XCTAssertEqual(try KeyOverride(parsing: "output=\"a b.h5\"").value, "\"a b.h5\"")
        XCTAssertEqual(try KeyOverride(parsing: "name=say \"hi\"").value, #""say \"hi\"""#)
        XCTAssertEqual(try KeyOverride(parsing: " demo.chains = 4 ").path, ["demo", "chains"])
        XCTAssertEqual(try KeyOverride(parsing: "demo.chains=4").description, "demo.chains=4")
    }

    func testMalformedFlagsAreRefused() {
        XCTAssertThrowsError(try KeyOverride(parsing: "demo.chains")) { XCTAssertTrue("\($0)".contains("expected section.key=value")) }
        XCTAssertThrowsError(try KeyOverride(parsing: "demo..chains=3")) { XCTAssertTrue("\($0)".contains("is not a key path")) }
        XCTAssertThrowsError(try KeyOverride(parsing: "=3")) { XCTAssertTrue("\($0)".contains("is not a key path")) }
        XCTAssertThrowsError(try KeyOverride(parsing: "demo.chains=")) { XCTAssertTrue("\($0)".contains("no value after '='")) }
    }

    /// An existing key's line is replaced in place; the other lines, comments included, stay.
    func testAnExistingKeyIsReplacedInPlaceKeepingComments() throws {
        let file = try applied("demo.chains=4", "seed=7")
        let demo = try XCTUnwrap(file.job as? DemoJob)
        XCTAssertEqual(demo.demo.chains, 4)
        XCTAssertEqual(file.job.seed, 7)
        let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, Self.job.split(separator: "\n", omittingEmptySubsequences: false).count)
        XCTAssertTrue(file.text.contains("# a demo job"))
        XCTAssertTrue(file.text.contains("autocorrelations = [0, 0.5]   # integers are numbers too"))
        XCTAssertTrue(file.text.contains("chains = 4   # set by --set"))
        XCTAssertTrue(file.text.contains("seed = 7   # set by --set"))
        XCTAssertEqual(file.overrides.map(\.description), ["demo.chains=4", "seed=7"])
    }

    static let ising = """
    kind = "ising"
    output = "i.h5"
    seed = 1
    [ising]
    extents = [8, 8]
    algorithms = ["metropolis"]
    temperature_range = { from = 2.0, to = 3.0, count = 3 }  # three points
    sweeps = 100
    thermalization = 10
    checkpoint_every = 50
    """

    /// A key the file leaves at its default is added to its section; a new section is appended.
    func testAMissingKeyIsAddedToItsSection() throws {
        let file = try JobFile.parse(Self.ising, path: "i.toml").replacing([try KeyOverride(parsing: "ising.save_every=10")])
        XCTAssertEqual(try XCTUnwrap(file.job as? IsingJob).saveEvery, 10)
        XCTAssertTrue(file.text.contains("[ising]\nsave_every = 10   # set by --set\nextents"), file.text)
        XCTAssertTrue(file.text.contains("# three points"))
    }

    /// A key inside an inline table cannot be edited as a line: the table is written out anew,
    /// and says so.
    func testAKeyInsideAnInlineTableRewritesTheFile() throws {
        let file = try JobFile.parse(Self.ising, path: "i.toml").replacing([try KeyOverride(parsing: "ising.temperature_range.count=5")])
        XCTAssertEqual(file.job.plan(ranks: 1).joined().contains("5 temperatures"), true, file.job.plan(ranks: 1).joined())
        XCTAssertTrue(file.text.hasPrefix("# i.toml with --set ising.temperature_range.count=5 (rewritten, comments dropped)"))
        XCTAssertFalse(file.text.contains("three points"))
        let again = try JobFile.parse(file.text, path: "again")
        XCTAssertEqual(again.job.plan(ranks: 1), file.job.plan(ranks: 1))
    }

    /// The overridden file is validated like any other, and the message names the flag.
    func testOverridesAreValidatedLikeTheFile() {
        XCTAssertTrue(refusal("demo.chains=-2").contains("demo.chains"), refusal("demo.chains=-2"))
        XCTAssertTrue(refusal("demo.chains=-2").hasSuffix("(given by --set demo.chains=-2)"), refusal("demo.chains=-2"))
        XCTAssertTrue(refusal("demo.chans=2").contains("unknown key"), refusal("demo.chans=2"))
        XCTAssertTrue(refusal("demo.chains=two").contains("(given by --set demo.chains=\"two\")"), refusal("demo.chains=two"))
        // A key the flag did not touch but its value made invalid: the message lists the flags.
        XCTAssertTrue(refusal("demo.measurements=40").contains("checkpoint_every: 50 is out of range: must be between 1 and 40 (with --set demo.measurements=40)"), refusal("demo.measurements=40"))
        XCTAssertEqual(refusal("demo=3"), "--set demo=3: demo is a section; set one of its keys, e.g. demo.<key>=…")
        XCTAssertEqual(refusal("seed.x=3"), "--set seed.x=3: seed is a value in the job file, not a section")
        XCTAssertTrue(refusal("kind=\"ising\"").contains("unknown key"), refusal("kind=\"ising\""))
    }

    /// --seed after --set keeps the overrides (both reach the run file).
    func testSeedAndOverridesCompose() throws {
        let file = try JobFile.parse(Self.job, path: "job.toml").replacingSeed(9)
            .replacing([try KeyOverride(parsing: "demo.chains=3")])
        XCTAssertEqual(file.job.seed, 9)
        XCTAssertEqual(try XCTUnwrap(file.job as? DemoJob).demo.chains, 3)
    }
}
