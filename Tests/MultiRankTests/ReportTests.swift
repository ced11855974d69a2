import Foundation
import Launching
import XCTest

/// `ensemble report` end to end: small versions of `make run`'s jobs, a report of each kind, each
/// rendered in headless Chromium (no console error, no request leaving the file, every plot with
/// data inside its box), the full-page PNGs kept under .build/reports/ for a person to look at;
/// bad input refused before anything is written; and the browser check itself seen to fail.
final class ReportTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let checker = root.appendingPathComponent("Tests/Browser/check_report.py").path
    static let screenshots = root.appendingPathComponent(".build/reports")

    /// Debian's Chromium, which `make test` installs; the test fails, saying so, without it.
    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Renders each (HTML, PNG) pair in one Chromium: the checker's exit status and its verdict on each (its JSON).
    func render(_ launcher: Launcher, _ pages: [(html: String, png: String)]) throws -> (status: Int32, verdicts: [[String: Any]]) {
        let browser = try XCTUnwrap(Self.chromium, "no Chromium: `make test` installs Debian's chromium (apt-get install chromium)")
        let outcome = try launcher.execute(Launcher.python, [Self.checker, browser] + pages.flatMap { [launcher.path($0.html), $0.png] })
        let verdicts = outcome.stdout.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        XCTAssertEqual(verdicts.count, pages.count, "the checker gave no verdict on every page: \(outcome.stdout) \(outcome.stderr)")
        return (outcome.status, verdicts)
    }

    func testEveryKindOfReportRendersCleanlyInChromium() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let start = Date()
        // Two stages of jobs run side by side: mpirun's start-up, not the work, is most of each job's time.
        let stages: [[(name: String, text: String)]] = [[
            ("ising8", TrainRunTests.scan(extents: "[8, 8]", from: 1.8, to: 2.8, count: 6, sweeps: 600, output: "ising8.h5")
                .replacingOccurrences(of: "save_every = 20", with: "save_every = 20\nexchange_every = 10")),
            ("ising16", TrainRunTests.scan(extents: "[16, 16]", from: 1.8, to: 2.8, count: 6, sweeps: 600, output: "ising16.h5")),
            ("phi4", """
                kind = "phi4"
                output = "phi4.h5"
                seed = 1
                [phi4]
                extents = [8, 8]
                kappa_range = { from = 0.22, to = 0.32, count = 6 }
                lambda = [0.022]
                steps = 4
                thermalization = 100
                trajectories = 300
                save_every = 20
                start = "cold"
                cluster_every = 1
                checkpoint_every = 300
                """),
            ("vacua", VacuaRunTests.job(method: "genetic", evaluations: 10000)),
            ("enumeration", VacuaRunTests.job(method: "enumerate").replacingOccurrences(of: "evaluations = 20000", with: "")),
            ("flow", FlowRunTests.job(steps: 20, shards: 0, precision: "float32").replacingOccurrences(of: "[4, 6]", with: "[4, 4]")),
            ("hmc", FlowSampleRunTests.hmc.replacingOccurrences(of: "trajectories = 20000", with: "trajectories = 1000")
                .replacingOccurrences(of: "checkpoint_every = 20000", with: "checkpoint_every = 1000")),
            ("free", RBMRunTests.free.replacingOccurrences(of: "LAMBDA", with: "0.0").replacingOccurrences(of: "trajectories = 20000", with: "trajectories = 2000")
                .replacingOccurrences(of: "checkpoint_every = 20000", with: "checkpoint_every = 2000")),
        ], [
            ("rbm", RBMRunTests.rbm().replacingOccurrences(of: "steps = 2000", with: "steps = 300")
                .replacingOccurrences(of: "warmup_steps = 200", with: "warmup_steps = 50").replacingOccurrences(of: "checkpoint_every = 500", with: "checkpoint_every = 300")),
            ("sample", FlowSampleRunTests.sample(proposals: 2048, saveEvery: 64, model: "flow.h5")
                .replacingOccurrences(of: "[sampling]", with: "[sampling]\nreference = \"hmc.h5\"")),
            ("train", TrainRunTests.train(epochs: 3, data: "ising16.h5").replacingOccurrences(of: "[[0.0, 2.0], [2.6, 10.0]]", with: "[[0.0, 2.1], [2.5, 10.0]]")),
        ]]
        for stage in stages {
            var running: [(name: String, process: Process)] = []
            for job in stage {
                try launcher.write("\(job.name).toml", job.text)
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["mpirun", "-np", "2", "--oversubscribe", Launcher.binary, "run", "\(job.name).toml", "--output", "\(job.name).h5"]
                process.currentDirectoryURL = launcher.folder
                process.environment = Launcher.childEnvironment()
                process.standardOutput = FileHandle.nullDevice
                _ = FileManager.default.createFile(atPath: launcher.path("\(job.name).stderr"), contents: nil)
                process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: launcher.path("\(job.name).stderr")))
                process.standardInput = FileHandle.nullDevice
                try process.run()
                running.append((job.name, process))
            }
            for (name, process) in running {
                process.waitUntilExit()
                let errors = (try? String(contentsOfFile: launcher.path("\(name).stderr"), encoding: .utf8)) ?? ""
                XCTAssertEqual(process.terminationStatus, 0, "\(name): \(errors)")
            }
        }
        let ran = Date()

        let reports: [(name: String, files: [String], sections: [String])] = [
            ("ising", ["ising8.h5", "ising16.h5"], ["Ising scans", "exact, Kaufman, 16×16", "Finite-size crossings", "Replica-exchange acceptance", "class=\"heatmap\""]),
            ("phi4", ["phi4.h5"], ["φ⁴ scans", "HMC acceptance", "⟨ΔH⟩ per trajectory", "class=\"heatmap\""]),
            ("vacua", ["vacua.h5", "enumeration.h5"], ["Discovery curve", "String coupling against the normalized superpotential", "Vacua by flux number", "Recall against the enumeration"]),
            ("flow", ["sample.h5"], ["Flow against reference", "/flow_sampling/comparison"]),
            ("train", ["train.h5"], ["Loss per epoch", "Accuracy per epoch", "Mean prediction per point"]),
            ("generative", ["flow.h5", "rbm.h5"], ["Flow training", "Reverse Kullback–Leibler loss per step", "Effective sample size per step",
                                                  "RBMs against the free field", "Spectrum of the learned kernel", "μ² per training step"]),
        ]
        try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
        for report in reports {
            let outcome = try launcher.ensemble(["report"] + report.files + ["-o", "\(report.name).html"])
            XCTAssertEqual(outcome.status, 0, "\(report.name): \(outcome.stderr)")
            let html = try String(contentsOfFile: launcher.path("\(report.name).html"), encoding: .utf8)
            for section in report.sections { XCTAssertTrue(html.contains(section), "\(report.name).html lacks \(section)") }
            XCTAssertFalse(html.contains("no finite values"), "\(report.name).html has a plot with no data")
        }
        let pages = reports.map { ("\($0.name).html", Self.screenshots.appendingPathComponent("\($0.name).png").path) }
        let (status, verdicts) = try render(launcher, pages)
        XCTAssertEqual(status, 0, "in Chromium: \(verdicts)")
        for (page, verdict) in zip(pages, verdicts) {
            XCTAssertGreaterThan(verdict["checked"] as? Int ?? 0, 1, "\(page.0): no plot was checked")
            let failures = verdict["failures"] as? [String: [String]] ?? [:]
            XCTAssertTrue(failures.values.allSatisfy(\.isEmpty), "\(page.0) in Chromium: \(failures)")
            XCTAssertGreaterThan((try? FileManager.default.attributesOfItem(atPath: page.1)[.size] as? Int) ?? 0, 10_000, "no screenshot of \(page.0)")
        }

        // Bad input: nothing written, nothing replaced.
        try launcher.write("incomplete.h5", "not HDF5")
        let before = try launcher.listing()
        for (arguments, message) in [
            (["report", "ising8.h5", "-o", "ising.html"], "exists; pass --force"),
            (["report", "ising8.h5", "incomplete.h5", "-o", "new.html"], "incomplete.h5"),
            (["report", "ising8.h5", "-o", "ising8.h5"], "does not end in .html"),
            (["report", "ising8.h5", "./ising8.h5", "-o", "twice.html"], "is given twice"),
            (["report", "missing.h5", "-o", "missing.html"], "no such file"),
        ] {
            let outcome = try launcher.ensemble(arguments)
            XCTAssertEqual(outcome.status, 2, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(message), "\(arguments): \(outcome.stderr)")
        }
        XCTAssertEqual(try launcher.listing(), before, "a refused report wrote or changed a file")
        XCTAssertEqual(try launcher.ensemble(["report", "ising8.h5", "-o", "ising.html", "--force"]).status, 0)
        print("report test: jobs \(String(format: "%.1f", ran.timeIntervalSince(start))) s, reports and browser \(String(format: "%.1f", Date().timeIntervalSince(ran))) s")
    }

    /// The browser check fails on a request leaving the file, on a console error, and on an empty plot.
    func testTheBrowserCheckFailsWhenItShould() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let plot = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" width=\"300\" height=\"200\"><title>empty</title>"
            + "<clipPath id=\"c\"><rect x=\"20\" y=\"20\" width=\"260\" height=\"160\"/></clipPath><rect x=\"20\" y=\"20\" width=\"260\" height=\"160\" fill=\"none\" stroke=\"#333\"/></svg>"
        let cases: [(name: String, body: String, category: String)] = [
            ("network", "<img src=\"http://example.com/x.png\" alt=\"x\">", "network"),
            ("console", "<script>console.error('broken')</script>", "console"),
            ("empty", plot, "empty"),
        ]
        for c in cases {
            try launcher.write("\(c.name).html", "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head><body>\(c.body)</body></html>")
        }
        // A clean page among them, so that a checker failing on everything is caught too.
        try launcher.write("clean.html", "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head><body><p>clean</p></body></html>")
        let (status, verdicts) = try render(launcher, (cases.map(\.name) + ["clean"]).map { ("\($0).html", launcher.path("\($0).png")) })
        XCTAssertEqual(status, 1)
        for (c, verdict) in zip(cases, verdicts) {
            let failures = verdict["failures"] as? [String: [String]] ?? [:]
            XCTAssertFalse(failures[c.category, default: []].isEmpty, "\(c.name) was not caught as \(c.category): \(verdict)")
        }
        let clean = verdicts.last?["failures"] as? [String: [String]] ?? [:]
        XCTAssertTrue(!clean.isEmpty && clean.values.allSatisfy(\.isEmpty), "a clean page failed: \(clean)")
    }
}
