import Foundation
import Store

/// Catalogs of flux vacua: the `/catalog` tables of search runs, merged across campaigns (one row
/// per canonical key) and filtered. Serial: catalogs are small, and the commands run on a login node.
public struct Catalog {
    /// The columns, as the search runs write them.
    public let columns: [Column]
    /// One row per distinct vacuum.
    public var rows: [[Cell]]
    /// The model every row belongs to.
    public let model: String

    /// The flux quanta of a row, the integer columns before the first real one (8 or 16, by model): its canonical key.
    func key(_ row: [Cell]) -> [Int64] {
        let count = columns.firstIndex { if case .real = $0.kind { return true } else { return false } } ?? 0
        return (0..<count).map { if case let .integer(v) = row[$0] { return v } else { return 0 } }
    }

    /// Reads the catalog of a completed search run or merged catalog; the error says what is wrong.
    public static func read(_ path: String) throws(JobError) -> Catalog {
        try ResultSeal.read(path, as: "a catalog", verifying: true) { root in
            guard root.hasAttribute("completed"), case .boolean(true) = try root.attribute("completed") else {
                throw JobError(file: path, "is not a completed run (its 'completed' attribute is not true)")
            }
            guard root.contains("catalog"), root.hasAttribute("model"), case let .text(model) = try root.attribute("model") else {
                throw JobError(file: path, "has no /catalog of flux vacua (not a vacua run or a merged catalog)")
            }
            let table = try Table.open("catalog", in: root)
            return Catalog(columns: table.columns, rows: try table.rows(), model: model)
        }
    }

    /// The union of catalogs, one row per canonical key, the first file's row kept; all must be of one model.
    public static func merge(_ paths: [String]) throws(JobError) -> Catalog {
        guard let first = paths.first else { throw JobError(file: "catalog merge", "give at least one catalog") }
        var merged = try read(first)
        var seen = Set(merged.rows.map(merged.key))
        for path in paths.dropFirst() {
            let next = try read(path)
            guard next.model == merged.model else {
                throw JobError(file: path, "holds vacua of the model '\(next.model)', \"\(first)\" of '\(merged.model)'; catalogs of different models cannot be merged")
            }
            guard next.columns == merged.columns else { throw JobError(file: path, "has other catalog columns than \"\(first)\"") }
            for row in next.rows where seen.insert(merged.key(row)).inserted { merged.rows.append(row) }
        }
        return merged
    }

    /// Merges the catalogs at `paths` into a new file at `output`, as `ensemble catalog merge` does:
    /// the output is checked and locked first, every input's checksums are verified as it is read
    /// (`read`), and a failure leaves nothing behind. Serial.
    public static func merge(_ paths: [String], into output: String, replacing: Bool) throws -> Catalog {
        let run = RunPaths(output: output)
        try OutputCheck.path(output, flag: "--output")
        try OutputCheck.separate(inputs: paths, outputs: run.all, flag: "--output")
        if !replacing, FileManager.default.fileExists(atPath: output) {
            throw JobError(file: "--output", "\"\(output)\" exists; pass --force to replace it or choose another path")
        }
        let lock = try OutputLock.acquire(run, communicator: nil)
        defer { lock?.release() }
        let merged = try merge(paths)
        try merged.write(output, sources: paths, replacing: replacing)
        return merged
    }

    /// Writes the catalog as a new file (refusing to replace one unless `replacing`), with the
    /// sources and the provenance attributes of a run file, so that `ensemble inspect` and h5py
    /// users see what made it; sealed with its checksums. A failure removes the unfinished file.
    public func write(_ path: String, sources: [String], replacing: Bool) throws {
        let file = try File.createRun(at: path, communicator: nil, replacing: replacing)
        do {
            let root = try file.root()
            try Provenance.writeTool(kind: "catalog", to: root)
            try root.setAttribute("model", model)
            try root.setAttribute("sources", sources.joined(separator: "\n"))
            let catalog = try Table.create("catalog", in: root, columns: columns)
            try catalog.append(rows)
            let layout = [CatalogLayout.symmetric, .threeModulus].first { $0.model == model }
            try catalog.describe(axis: "vacuum", columns: layout?.meanings ?? [:], in: root, root: root)
            let summary = try Table.create("summary", in: root, columns: [Column("catalogs", .integer), Column("vacua", .integer)])
            try summary.append([[.integer(Int64(sources.count)), .integer(Int64(rows.count))]])
            try summary.describe(axis: "merge", in: root, root: root)
            try Provenance.markCompleted(root)
            try ResultSeal.seal(file)
            try file.commit()
        } catch {
            try? file.close()
            unlink(RunPaths(output: path).partial)
            throw error
        }
    }

    /// The rows whose real column `name` lies in [lower, upper).
    public func filtered(_ name: String, _ lower: Double, _ upper: Double) throws(JobError) -> Catalog {
        guard let index = columns.firstIndex(where: { $0.name == name }) else {
            throw JobError(file: "catalog query", "no column '\(name)'")
        }
        var copy = self
        copy.rows = rows.filter { row in
            switch row[index] {
            case let .real(v): return v >= lower && v < upper
            case let .integer(v): return Double(v) >= lower && Double(v) < upper
            case .text: return false
            }
        }
        return copy
    }

    /// The rows ordered by column `name` (rows that tie keep their order).
    public func sorted(by name: String, descending: Bool) throws(JobError) -> Catalog {
        guard let index = columns.firstIndex(where: { $0.name == name }) else {
            throw JobError(file: "--sort", "no column '\(name)'; the columns are \(columns.map(\.name).joined(separator: ", "))")
        }
        let key = { (row: [Cell]) -> Double in
            switch row[index] {
            case let .real(v): return v.isNaN ? .infinity : v
            case let .integer(v): return Double(v)
            case .text: return 0
            }
        }
        var copy = self
        copy.rows = rows.enumerated().sorted { a, b in
            let (x, y) = (key(a.element), key(b.element))
            return x == y ? a.offset < b.offset : (descending ? x > y : x < y)
        }.map(\.element)
        return copy
    }

    /// The rows as a table; a terminal shows the vacuum's physics (the real columns) before its fluxes.
    public var table: TerminalTable {
        TerminalTable(columns: columns.map(\.name), rows: rows,
                      preferred: columns.filter { if case .real = $0.kind { true } else { false } }.map(\.name))
    }
}
