import Foundation
import Store

/// A table of results as people and scripts read it: on a terminal, the main columns within 100
/// characters with each value and its error as `-1.4051(32)`; with `--columns` the ones asked
/// for; as CSV or JSON every column at full precision.
public struct TerminalTable: Sendable {
    /// The stored column names, e.g. `energy`, `energy_error`.
    public let columns: [String]
    /// The rows, one cell per column.
    public let rows: [[Cell]]
    /// Columns a terminal shows first, before the rest in stored order (a catalog puts g_s before the fluxes).
    public let preferred: [String]

    /// The widest line a default table prints.
    public static let width = 100

    /// `items` joined by commas into lines of at most `width` characters: the first line starts
    /// with `lead` (by default `indent`), the others with `indent`.
    public static func wrapped(_ items: [String], lead: String? = nil, indent: String) -> String {
        let first = lead ?? indent
        var lines: [String] = [], line = first, start = first
        for item in items {
            let next = line == start ? line + item : line + ", " + item
            if next.count > width, line != start {
                lines.append(line + ",")
                line = indent + item
                start = indent
            } else {
                line = next
            }
        }
        return (lines + [line]).joined(separator: "\n") + "\n"
    }

    /// A table of `rows` under `columns`.
    public init(columns: [String], rows: [[Cell]], preferred: [String] = []) {
        self.columns = columns
        self.rows = rows
        self.preferred = preferred
    }

    /// A shown column: a stored column, merged with its `_error` sibling when it has one.
    struct Shown {
        let name: String
        let value: Int
        let error: Int?
        /// The largest magnitude in the column, against which round-off is judged.
        let scale: Double
    }

    /// Every column as shown: errors merged into their values.
    var shown: [Shown] {
        columns.indices.compactMap { i -> Shown? in
            let name = columns[i]
            if name.hasSuffix("_error"), columns.contains(String(name.dropLast(6))) { return nil }
            // A column named just `error` belongs to the column before it (the demo's `mean, error`).
            if name == "error", i > 0 { return nil }
            let scale = rows.map { if case let .real(v) = $0[i], v.isFinite { abs(v) } else { 0 } }.max() ?? 0
            return Shown(name: name, value: i, error: errorColumn(of: i), scale: scale)
        }
    }

    /// The text table: the columns named in `selection` (stored or shown names), or by default
    /// the preferred and then the other columns, autocorrelation times last, as many as fit in
    /// `width`, with a line naming what was left out.
    public func text(selecting selection: [String]? = nil, width: Int = TerminalTable.width, indent: String = "") throws(JobError) -> String {
        let all = shown
        var picked: [Shown]
        if let selection {
            picked = try selection.map { (name: String) throws(JobError) -> Shown in
                guard let column = all.first(where: { $0.name == name || $0.error.map { columns[$0] } == name }) else {
                    throw JobError(file: "--columns", "no column '\(name)'; the columns are \(all.map(\.name).joined(separator: ", "))")
                }
                return column
            }
        } else {
            let rank = { (c: Shown) -> Int in
                if let p = preferred.firstIndex(of: c.name) { return p - preferred.count }
                return c.name.contains("tau_int") ? 1 : 0
            }
            picked = all.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        }
        let cells = picked.map { column in rows.map { format($0, column) } }
        let widths = picked.indices.map { c in max(picked[c].name.count, cells[c].map(\.count).max() ?? 0) }
        var count = picked.count
        if selection == nil {
            var used = indent.count - 2
            count = 0
            for w in widths where used + 2 + w <= width || count == 0 {
                used += 2 + w
                count += 1
            }
        }
        func line(_ values: [String]) -> String {
            indent + (0..<count).map { String(repeating: " ", count: widths[$0] - values[$0].count) + values[$0] }.joined(separator: "  ") + "\n"
        }
        var out = line(picked.map(\.name)) + rows.indices.map { r in line(cells.map { $0[r] }) }.joined()
        if count < picked.count {
            let left = picked[count...].map(\.name)
            let head = "(\(left.count) more: ", tail = "; --columns, --csv or --json show them)"
            out += indent + head + Self.shortList(left, width: width - indent.count - head.count - tail.count) + tail + "\n"
        }
        return out
    }

    /// The named columns (default: all) as CSV, full precision, a header line first.
    public func csv(selecting selection: [String]? = nil) throws(JobError) -> String {
        let indices = try stored(selection)
        let escape = { (s: String) in s.contains(where: { ",\"\n".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        return ([indices.map { escape(columns[$0]) }] + rows.map { row in indices.map { escape(Self.exact(row[$0])) } })
            .map { $0.joined(separator: ",") + "\n" }.joined()
    }

    /// The named columns (default: all) as a JSON array of row objects, full precision.
    public func json(selecting selection: [String]? = nil) throws(JobError) -> String {
        let indices = try stored(selection)
        let objects = rows.map { row in
            Dictionary(uniqueKeysWithValues: indices.map { (columns[$0], Inspection.jsonValue(row[$0])) })
        }
        let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The stored columns a selection names (a shown name brings its error column along).
    private func stored(_ selection: [String]?) throws(JobError) -> [Int] {
        guard let selection else { return Array(columns.indices) }
        var indices: [Int] = []
        for name in selection {
            guard let i = columns.firstIndex(of: name) else {
                throw JobError(file: "--columns", "no column '\(name)'; the columns are \(columns.joined(separator: ", "))")
            }
            indices.append(i)
            if let e = errorColumn(of: i), !selection.contains(columns[e]) { indices.append(e) }
        }
        return indices
    }

    /// The column holding column `i`'s error: `NAME_error`, or a column named just `error` right after it.
    private func errorColumn(of i: Int) -> Int? {
        columns.firstIndex(of: columns[i] + "_error") ?? (columns.indices.contains(i + 1) && columns[i + 1] == "error" ? i + 1 : nil)
    }

    /// A cell as the terminal shows it: value(error) where there is an error, round-off as 0.
    private func format(_ row: [Cell], _ column: Shown) -> String {
        switch row[column.value] {
        case let .integer(v): return String(v)
        case let .text(v): return v
        case let .real(v):
            let value = Self.isRoundOff(v, scale: column.scale) ? 0 : v
            if let e = column.error, case let .real(error) = row[e] { return parenthesized(value, error: error) }
            return value == 0 ? "0" : String(format: "%.6g", value)
        }
    }

    /// Whether `v` is floating-point residue (4.4e-16 where the exact value is 0) rather than a
    /// measured number: twelve orders of magnitude below the column's largest entry, or below 1e-13
    /// in a column of nothing but such residue.
    public static func isRoundOff(_ v: Double, scale: Double) -> Bool {
        v != 0 && v.isFinite && (abs(v) <= 1e-12 * scale || scale < 1e-13)
    }

    /// A cell at full precision (the shortest text that reads back as the same double).
    static func exact(_ cell: Cell) -> String {
        switch cell {
        case let .integer(v): return String(v)
        case let .real(v): return "\(v)"
        case let .text(v): return v
        }
    }

    /// Names joined by commas, cut with "…" to fit `width`.
    static func shortList(_ names: [String], width: Int) -> String {
        var out = ""
        for name in names {
            let next = out.isEmpty ? name : out + ", " + name
            if next.count + 3 > max(20, width) { return out + ", …" }
            out = next
        }
        return out
    }
}
