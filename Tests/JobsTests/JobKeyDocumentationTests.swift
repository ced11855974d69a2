import Foundation
import Jobs
import XCTest

/// docs/jobs.md against the decoder: every key a kind accepts is documented under that kind, and
/// the reference documents no key the decoder would refuse. The accepted keys come from the job
/// definitions themselves (`acceptedKeys`, what strict decoding checks files against), so a key
/// added to a definition without a line in the reference fails here.
final class JobKeyDocumentationTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The reference as written: per kind, its documented keys and its section headings, as dotted
    /// paths ("ising.extents", "models.*.layers"; "NAME" in a heading stands for any model name).
    struct Reference {
        var keys: [String: Set<String>] = [:]
        var sections: [String: Set<String>] = [:]
        var common: Set<String> = []

        /// Reads `## kind = "x"` parts, `### \`[section]\`` headings and table rows whose first cell is a key.
        init(markdown: String) {
            var kind: String?, section = "", inCommon = false
            for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                if line.hasPrefix("## ") {
                    kind = Self.captured(line, #"^## kind = "([a-z0-9-]+)"\s*$"#)
                    inCommon = line == "## Every job"
                    section = ""
                } else if line.hasPrefix("### "), let name = Self.captured(line, #"^### `\[([a-z0-9_.A-Z]+)\]`"#) {
                    section = name.replacingOccurrences(of: "NAME", with: "*")
                    if let kind { sections[kind, default: []].insert(section) }
                } else if let key = Self.captured(line, #"^\| `([a-z0-9_.]+)` \|"#) {
                    let path = section.isEmpty ? key : section + "." + key
                    if inCommon { common.insert(path) } else if let kind { keys[kind, default: []].insert(path) }
                }
            }
        }

        static func captured(_ line: String, _ pattern: String) -> String? {
            guard let regex = try? NSRegularExpression(pattern: pattern),
                  let match = regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
                  let range = Range(match.range(at: 1), in: line) else { return nil }
            return String(line[range])
        }
    }

    /// Every dotted path the decoder of `kind` accepts, and which of them are sections (tables).
    static func accepted(_ kind: any JobDefinition.Type) -> (keys: Set<String>, sections: Set<String>) {
        let bySection = kind.acceptedKeys
        var keys = Set<String>()
        for (section, names) in bySection {
            for name in names { keys.insert(section.isEmpty ? name : section + "." + name) }
        }
        return (keys, Set(bySection.keys).subtracting([""]))
    }

    func reference() throws -> Reference {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/jobs.md"), encoding: .utf8)
        return Reference(markdown: text)
    }

    /// What the reference is missing for `kind`, and what it documents that the decoder refuses.
    static func mismatch(_ kind: any JobDefinition.Type, _ reference: Reference) -> (undocumented: [String], unknown: [String]) {
        let (keys, sections) = accepted(kind)
        let name = kind.kind.name
        let documented = (reference.keys[name] ?? []).union(reference.common)
        let headings = reference.sections[name] ?? []
        // A section is documented by its heading (and its parents by that heading's path); its keys by rows.
        let covered = headings.flatMap { heading in
            heading.split(separator: ".").indices.map { heading.split(separator: ".")[...$0].joined(separator: ".") }
        }
        let undocumented = keys.subtracting(documented).subtracting(covered).sorted()
        let unknown = documented.subtracting(keys).sorted() + headings.subtracting(sections).sorted().map { "[\($0)]" }
        return (undocumented, unknown)
    }

    func testEveryKeyOfEveryKindIsDocumentedUnderItsKind() throws {
        let reference = try reference()
        XCTAssertEqual(reference.common, ["kind", "output", "seed"], "the keys of every job")
        for kind in JobKinds.all {
            XCTAssertNotNil(reference.keys[kind.kind.name], "docs/jobs.md has no part `## kind = \"\(kind.kind.name)\"`")
            let (undocumented, unknown) = Self.mismatch(kind, reference)
            XCTAssertEqual(undocumented, [], "keys of kind \(kind.kind.name) that docs/jobs.md does not document")
            XCTAssertEqual(unknown, [], "keys docs/jobs.md documents under kind \(kind.kind.name) that its decoder does not accept")
        }
        let kinds = Set(JobKinds.all.map { $0.kind.name })
        XCTAssertEqual(Set(reference.keys.keys).subtracting(kinds), [], "docs/jobs.md documents kinds this build does not have")
    }

    /// The check itself catches a key taken out of the reference, and one that no decoder reads.
    func testTheCheckFailsWhenTheReferenceLosesOrInventsAKey() throws {
        var reference = try reference()
        reference.keys["vacua"]?.remove("vacua.newton_starts")
        reference.keys["train"]?.remove("models.*.loss")
        XCTAssertEqual(Self.mismatch(VacuaJob.self, reference).undocumented, ["vacua.newton_starts"])
        XCTAssertEqual(Self.mismatch(TrainJob.self, reference).undocumented, ["models.*.loss"])
        reference.keys["ising"]?.insert("ising.temperature_step")
        XCTAssertEqual(Self.mismatch(IsingJob.self, reference).unknown, ["ising.temperature_step"])
    }

    /// The decoder's lists reach into nested sections, optional ones and named tables.
    func testAcceptedKeysIncludeNestedOptionalAndNamedSections() {
        let train = TrainJob.acceptedKeys, vacua = VacuaJob.acceptedKeys, ising = IsingJob.acceptedKeys
        XCTAssertEqual(train["models.*"], ["layers", "loss"])
        XCTAssertEqual(train["estimate"], ["bootstrap"])
        XCTAssertTrue(vacua["vacua"]?.isSuperset(of: ["model", "box", "newton_starts", "genetic", "policy"]) ?? false)
        XCTAssertEqual(vacua["vacua.policy"]?.count, 9)
        XCTAssertEqual(ising["ising.temperature_range"], ["from", "to", "count"])
        XCTAssertEqual(ising[""], ["kind", "output", "seed", "ising"])
    }

    /// A key misspelt inside a named model table is refused like any other unknown key.
    func testUnknownKeyInANamedModelIsRefused() {
        let text = """
        kind = "train"
        output = "m.h5"
        seed = 1
        [data]
        files = ["x.h5"]
        label = "phase"
        boundary = 2.27
        [training]
        epochs = 1
        batch = 4
        learning_rate = 0.01
        [models.cnn]
        layers = ["flatten", "dense units=2"]
        los = "softmax_cross_entropy"
        """
        XCTAssertThrowsError(try JobFile.parse(text, path: "job.toml")) { error in
            XCTAssertEqual("\(error)", "job.toml: models.cnn.los: unknown key; valid keys here are: layers, loss")
        }
    }

    /// Every example job file in jobs/ is named in the reference, so a reader finds it from there.
    func testEveryExampleJobIsNamedInTheReference() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/jobs.md"), encoding: .utf8)
        let examples = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("jobs").path)
            .filter { $0.hasSuffix(".toml") }
        XCTAssertFalse(examples.isEmpty)
        for name in examples.sorted() {
            XCTAssertTrue(text.contains("jobs/\(name)"), "docs/jobs.md does not mention jobs/\(name)")
        }
    }
}
