import Foundation
import Store

/// A completed run file as a report reads it: its kind, root attributes and `/summary`, checked
/// when opened (an Ensemble run file, completed, checksums intact), and its other datasets read on
/// demand. Serial: no MPI.
struct ReportRun {
    /// The path as given on the command line.
    let path: String
    /// The root `kind` attribute ("ising", "phi4", "train", "vacua", "catalog", "flow-sample", …).
    let kind: String
    /// The root attributes by name.
    let attributes: [String: AttributeValue]
    /// The `/summary` table (empty when the file has none).
    let summary: NamedTable

    /// The file's name without folders, as legends show it.
    var name: String { (path as NSString).lastPathComponent }

    /// Opens `path` and checks it is a completed Ensemble run file whose checksums match; the error
    /// names the file and what is wrong.
    static func open(_ path: String) throws(JobError) -> ReportRun {
        try ResultSeal.read(path, as: "an Ensemble run file", verifying: true) { root in
            guard root.hasAttribute("schema"), case let .text(schema) = try root.attribute("schema") else {
                throw JobError(file: path, "is an HDF5 file but not an Ensemble run file (it has no 'schema' attribute)")
            }
            guard schema == Provenance.schema else {
                throw JobError(file: path, "has schema \"\(schema)\"; this ensemble reads \"\(Provenance.schema)\"")
            }
            guard root.hasAttribute("completed"), case .boolean(true) = try root.attribute("completed") else {
                throw JobError(file: path, "is not a completed run (an interrupted or running run is not a result); report it when it has finished")
            }
            guard case let .text(kind) = try root.attribute("kind") else { throw JobError(file: path, "has no 'kind' attribute") }
            let attributes = Dictionary(try root.attributeNames().map { ($0, try root.attribute($0)) }, uniquingKeysWith: { a, _ in a })
            var summary = NamedTable(names: [], rows: [])
            if root.contains("summary") {
                let table = try Table.open("summary", in: root)
                summary = NamedTable(names: table.columns.map(\.name), rows: try table.rows())
            }
            return ReportRun(path: path, kind: kind, attributes: attributes, summary: summary)
        }
    }

    /// Reads from the file with `body`, given its root group; every failure becomes a JobError naming the file.
    func read<Value>(_ body: (Group) throws -> Value) throws(JobError) -> Value {
        try ResultSeal.read(path, as: "a \(kind) run file", body)
    }
}

/// A table read whole, its columns found by name: summaries, comparisons, catalogs.
struct NamedTable {
    /// Column names, in the file's order.
    let names: [String]
    /// One array of cells per row.
    let rows: [[Cell]]

    /// Whether the table has a column `name`.
    func has(_ name: String) -> Bool { names.contains(name) }

    /// The numeric column `name` (integers as reals), or nil when there is none.
    func reals(_ name: String) -> [Double]? {
        guard let i = names.firstIndex(of: name) else { return nil }
        return rows.map {
            switch $0[i] {
            case let .real(v): return v
            case let .integer(v): return Double(v)
            case .text: return .nan
            }
        }
    }

    /// The column `name` as text, numbers formatted, or nil when there is none.
    func texts(_ name: String) -> [String]? {
        guard let i = names.firstIndex(of: name) else { return nil }
        return rows.map {
            switch $0[i] {
            case let .real(v): return v.isNaN ? "–" : String(format: "%.6g", v)
            case let .integer(v): return String(v)
            case let .text(v): return v
            }
        }
    }

    /// Every row as text, numbers formatted to six significant digits.
    var textRows: [[String]] {
        let columns = names.map { texts($0)! }
        return rows.indices.map { r in columns.map { $0[r] } }
    }

    /// The points (x, column, column_error) for a plot; the error is nil where the table has no `_error` column.
    func points(x: [Double], _ name: String) -> [DataPoint] {
        guard let y = reals(name) else { return [] }
        let e = reals(name + "_error")
        return zip(x, y).enumerated().map { DataPoint(x: $0.element.0, y: $0.element.1, error: e?[$0.offset]) }
    }
}
