import Foundation
import Store

/// What `ensemble inspect` shows of a run file: provenance, every dataset with shape and type, and
/// the summary table. Reads the file serially, so it needs no MPI.
public struct Inspection: Sendable {
    /// One dataset: its path, element type and shape.
    public struct Entry: Sendable, Codable {
        /// Its full path inside the file, e.g. `/summary`.
        public let path: String
        /// Its stored element type, as HDF5 describes it.
        public let type: String
        /// Its extent along each axis.
        public let shape: [Int]
        /// Whether it is a dimension scale: the coordinates of an axis other datasets share.
        public let isAxis: Bool
    }

    /// An estimate a group of the file states in its attributes (a prediction file's T_c per model).
    public struct Estimate: Sendable {
        /// The group, e.g. `/cnn`, and what is estimated, e.g. `temperature_c`.
        public let group: String, name: String
        /// The estimate and its error.
        public let value: Double, error: Double
    }

    /// The file inspected.
    public let path: String
    /// The root attributes (the provenance), by name, in the order the file lists them.
    public let attributes: [(String, AttributeValue)]
    /// Every dataset in the file, groups walked depth first.
    public let datasets: [Entry]
    /// The column names of the `summary` table; empty when the file has none.
    public let summaryColumns: [String]
    /// The rows of the `summary` table, one cell per column.
    public let summaryRows: [[Cell]]
    /// The estimates groups state (`estimate`, `estimate_value`, `estimate_error` attributes).
    public let estimates: [Estimate]
    /// For a checkpoint file, what it continues and whether it is intact; nil for a run file.
    public var checkpoint: CheckpointStatus? = nil

    /// Reads `path`, failing with a `JobError` (exit 2) for a missing file, a file that is not
    /// HDF5, or an HDF5 file of another schema.
    public static func read(_ path: String) throws -> Inspection {
        do {
            return try readOpening(path)
        } catch let error as StoreError {
            throw JobError(file: path, "is damaged and cannot be read (\(error.briefDescription))")
        }
    }

    private static func readOpening(_ path: String) throws -> Inspection {
        let opened: Result<File, StoreError>
        do throws(StoreError) {
            opened = .success(try File.open(path, communicator: nil))
        } catch {
            opened = .failure(error)
        }
        let file: File
        switch opened {
        case let .success(f): file = f
        case let .failure(error):
            switch error {
            case .missing: throw JobError(file: path, "no such file")
            case .notHDF5: throw JobError(file: path, "is not an HDF5 file; inspect reads the files Ensemble writes (run files, catalogs, predictions, checkpoints)")
            default: throw JobError(file: path, "is damaged and cannot be opened (\(error.briefDescription))")
            }
        }
        defer { try? file.close() }
        let root = try file.root()
        let checkpoint = try CheckpointStatus.read(file, path: path)
        guard checkpoint == nil else { return try contents(root, path: path, checkpoint: checkpoint) }
        guard root.hasAttribute("schema"), case let .text(schema) = try root.attribute("schema") else {
            throw JobError(file: path, "is an HDF5 file but not an Ensemble run file (it has no 'schema' attribute)")
        }
        guard schema == Provenance.schema else {
            throw JobError(file: path, "has schema \"\(schema)\"; this ensemble reads \"\(Provenance.schema)\"")
        }
        return try contents(root, path: path, checkpoint: nil)
    }

    /// The attributes, datasets, summary and estimates of the file whose root is `root`.
    private static func contents(_ root: Group, path: String, checkpoint: CheckpointStatus?) throws -> Inspection {
        let attributes = try root.attributeNames().map { ($0, try root.attribute($0)) }
        var datasets: [Entry] = []
        var columns: [String] = [], rows: [[Cell]] = [], estimates: [Estimate] = []
        func walk(_ group: Group, _ prefix: String) throws {
            if group.hasAttribute("estimate_value"), case let .text(name) = try group.attribute("estimate"),
               case let .real(value) = try group.attribute("estimate_value"), case let .real(error) = try group.attribute("estimate_error") {
                estimates.append(Estimate(group: prefix, name: name, value: value, error: error))
            }
            for (name, kind) in try group.members() {
                let full = prefix + "/" + name
                switch kind {
                case .group: try walk(try group.openGroup(name), full)
                case .dataset:
                    let dataset = try group.openDataset(name)
                    datasets.append(Entry(path: full, type: try dataset.storedType().description, shape: try dataset.shape(),
                                          isAxis: dataset.isDimensionScale))
                    try dataset.close()
                case .other: break
                }
            }
        }
        try walk(root, "")
        if root.contains("summary") {
            let table = try Table.open("summary", in: root)
            columns = table.columns.map(\.name)
            rows = try table.rows()
        }
        return Inspection(path: path, attributes: attributes, datasets: datasets, summaryColumns: columns, summaryRows: rows,
                          estimates: estimates, checkpoint: checkpoint)
    }

    /// Whether the file is a finished result (`completed = true`).
    public var isComplete: Bool { attributes.contains { $0.0 == "completed" && $0.1 == .boolean(true) } }

    /// The summary as a table (errors beside their values).
    public var summary: TerminalTable {
        let kind = attributes.first { $0.0 == "kind" }.map { "\($0.1)" }
        let main = JobKinds.all.first { $0.kind.name == kind }?.kind.mainColumns ?? []
        return TerminalTable(columns: summaryColumns, rows: summaryRows, preferred: main)
    }

    /// The report for people; `columns` picks the summary's columns (default: the main ones).
    public func text(columns: [String]? = nil) throws(JobError) -> String {
        var out = checkpoint?.headline(path)
            ?? "\(path): \(isComplete ? "complete" : "NOT COMPLETE (an interrupted or running run, not a result)")\n"
        out += "provenance:\n"
        for (name, value) in attributes where name != "job" {
            // Multi-line values (a merged catalog's sources) continue under the first line.
            let lines = "\(value)".split(separator: "\n", omittingEmptySubsequences: false)
            out += "  \(name.padding(toLength: 18, withPad: " ", startingAt: 0)) " + lines.joined(separator: "\n" + String(repeating: " ", count: 21)) + "\n"
        }
        if let job = attributes.first(where: { $0.0 == "job" })?.1 {
            out += "job file:\n" + "\(job)".split(separator: "\n", omittingEmptySubsequences: false).map { "  | " + $0 }.joined(separator: "\n") + "\n"
        }
        out += "datasets:\n"
        let data = datasets.filter { !$0.isAxis }, axes = datasets.filter(\.isAxis)
        let width = max(8, data.map(\.path.count).max() ?? 0)
        for d in data {
            // A table's type lists every column; the summary below shows them, so the line keeps to a count.
            let type = d.type.hasPrefix("compound(") ? "compound, \(d.type.split(separator: ",").count) columns" : d.type
            out += "  \(d.path.padding(toLength: width, withPad: " ", startingAt: 0))  [\(d.shape.map(String.init).joined(separator: ", "))]"
                + String(repeating: " ", count: max(1, 16 - d.shape.description.count)) + type + "\n"
        }
        if !axes.isEmpty {
            out += "axes (dimension scales):\n" + TerminalTable.wrapped(axes.map { "\($0.path.dropFirst()) \($0.shape.first ?? 0)" }, indent: "  ")
        }
        for e in estimates {
            out += "estimate: \(e.group.dropFirst()): \(e.name) = \(parenthesized(e.value, error: e.error))\n"
        }
        if !summaryColumns.isEmpty {
            out += "summary:\n" + (try summary.text(selecting: columns, indent: "  "))
        }
        return out
    }

    /// The same report as JSON, for scripts (NaN as "nan"); throws rather than print nothing.
    public func json() throws -> String {
        var object: [String: Any] = ["path": path, "complete": isComplete]
        object["attributes"] = Dictionary(uniqueKeysWithValues: attributes.map { ($0.0, Inspection.jsonValue($0.1)) })
        object["datasets"] = datasets.map { ["path": $0.path, "type": $0.type, "shape": $0.shape, "axis": $0.isAxis] as [String: Any] }
        if !estimates.isEmpty {
            object["estimates"] = estimates.map {
                ["group": $0.group, "name": $0.name, "value": Inspection.jsonNumber($0.value), "error": Inspection.jsonNumber($0.error)] as [String: Any]
            }
        }
        if let checkpoint { object["checkpoint"] = checkpoint.json }
        if !summaryColumns.isEmpty {
            object["summary"] = ["columns": summaryColumns, "rows": summaryRows.map { $0.map(Inspection.jsonValue) }]
        }
        do {
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
        } catch {
            throw JobError(file: path, "cannot be written as JSON: \(error)")
        }
    }

    /// A number as JSON holds it: NaN and the infinities, which JSON lacks, as the strings "nan", "inf", "-inf".
    static func jsonNumber(_ v: Double) -> Any { v.isFinite ? v : String(v) }

    static func jsonValue(_ value: AttributeValue) -> Any {
        switch value {
        case let .integer(v): return v
        case let .real(v): return jsonNumber(v)
        case let .boolean(v): return v
        case let .text(v): return v
        case let .integers(v): return v
        case let .reals(v): return v.map(jsonNumber)
        case let .other(v): return v
        }
    }

    static func jsonValue(_ cell: Cell) -> Any {
        switch cell {
        case let .integer(v): return v
        case let .real(v): return jsonNumber(v)
        case let .text(v): return v
        }
    }
}
