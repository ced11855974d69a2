import Foundation
import Store

/// `ensemble report`: one self-contained HTML file of plots and tables from completed run files.
/// Every input is opened and checked, and the whole document built in memory, before the output is
/// touched; the output is then written to a temporary file beside it and renamed into place.
public enum Report {
    /// Builds the report of `inputs` and writes it to `output` (refusing an existing file unless
    /// `replacing`). Serial; bad input throws a `JobError` and leaves no file.
    public static func write(inputs: [String], output: String, replacing: Bool) throws {
        try checkOutput(output, inputs: inputs, replacing: replacing)
        let html = try document(inputs)
        let folder = (output as NSString).deletingLastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/.\((output as NSString).lastPathComponent).\(getpid()).partial"
        do {
            try Data(html.utf8).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, output) == 0 else { throw JobError(file: output, "cannot be written: \(String(cString: strerror(errno)))") }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// The report of `inputs` as HTML; every file is checked first (exists, is a completed Ensemble run file, checksums intact).
    public static func document(_ inputs: [String]) throws(JobError) -> String {
        guard !inputs.isEmpty else { throw JobError(file: "report", "give at least one run file") }
        var seen = Set<String>()
        for path in inputs where !seen.insert(OutputCheck.canonical(path)).inserted {
            throw JobError(file: path, "is given twice")
        }
        let runs = try inputs.map { (path) throws(JobError) in try ReportRun.open(path) }
        let doc = ReportDocument(title: "Ensemble report: " + runs.map(\.name).joined(separator: ", "))
        provenance(runs, to: doc)
        let chains = ["ising": "Ising scans", "phi4": "φ⁴ scans"]
        for kind in ["ising", "phi4"] {
            let scans = runs.filter { $0.kind == kind }
            if !scans.isEmpty { try ChainReport.add(scans, ChainQuantities.of(kind)!, title: chains[kind]!, to: doc) }
        }
        let searches = runs.filter { $0.kind == "vacua" || $0.kind == "catalog" }
        if !searches.isEmpty { try SearchReport.add(searches, to: doc) }
        let samplers = runs.filter { $0.kind == "flow-sample" }
        if !samplers.isEmpty { try FlowSampleReport.add(samplers, to: doc) }
        let training = runs.filter { $0.kind == "train" }
        if !training.isEmpty { try TrainReport.add(training, to: doc) }
        let flows = runs.filter { $0.kind == "flow" }
        if !flows.isEmpty { try GenerativeReport.addFlows(flows, to: doc) }
        let machines = runs.filter { $0.kind == "rbm" }
        if !machines.isEmpty { try GenerativeReport.addRBMs(machines, to: doc) }
        let known: Set<String> = ["ising", "phi4", "vacua", "catalog", "flow-sample", "train", "flow", "rbm"]
        for run in runs where !known.contains(run.kind) {
            doc.heading("\(run.name) (\(run.kind))")
            doc.paragraph("The report has no plots for runs of kind \"\(run.kind)\" yet; its /summary follows.", className: "note")
            if !run.summary.names.isEmpty { doc.table(run.summary.names, run.summary.textRows, caption: "\(run.name): /summary") }
        }
        return doc.html()
    }

    /// Who made each file, when, from what: the root attributes a referee asks for.
    private static func provenance(_ runs: [ReportRun], to doc: ReportDocument) {
        let names = ["kind", "created", "ensemble_version", "git_commit", "ranks", "seed", "command_line"]
        doc.table(["file"] + names, runs.map { run in
            [run.path] + names.map { run.attributes[$0].map { "\($0)" } ?? "–" }
        }, caption: "Files", wrapping: true)
    }

    /// Fails unless `output` can take the report: an .html path in an existing folder, not one of
    /// the inputs, and not an existing file unless `replacing`.
    static func checkOutput(_ output: String, inputs: [String], replacing: Bool) throws(JobError) {
        let lower = output.lowercased()
        guard lower.hasSuffix(".html") || lower.hasSuffix(".htm") else {
            throw JobError(file: "-o", "\"\(output)\" does not end in .html; the report is one HTML file")
        }
        try OutputCheck.separate(inputs: inputs, outputs: [output], flag: "-o")
        var isFolder: ObjCBool = false
        let folder = (output as NSString).deletingLastPathComponent
        guard FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw JobError(file: "-o", "the folder of \"\(output)\" does not exist")
        }
        if FileManager.default.fileExists(atPath: output, isDirectory: &isFolder) {
            if isFolder.boolValue { throw JobError(file: "-o", "\"\(output)\" is a folder") }
            if !replacing { throw JobError(file: "-o", "\"\(output)\" exists; pass --force to replace it or choose another path") }
        }
    }
}
