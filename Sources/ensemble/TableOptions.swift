import ArgumentParser
import Foundation
import Jobs

/// How a command prints its table: the main columns within 100 characters by default, or the
/// columns asked for, or every column as CSV or JSON for scripts.
struct TableOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Show these columns (comma-separated; an observable brings its error), e.g. temperature,binder.",
                               valueName: "a,b,c"))
    var columns: String?

    @Flag(help: "Print the table as CSV, every column (or those of --columns) at full precision.")
    var csv = false

    @Flag(help: "Print the table as JSON, one object per row, full precision.")
    var json = false

    func validate() throws {
        if csv && json { throw ValidationError("choose one of --csv and --json") }
        if let columns, selection?.isEmpty ?? true { throw ValidationError("--columns \"\(columns)\" names no column") }
    }

    /// The column names given, or nil for the default choice.
    var selection: [String]? { columns.map(Self.columnList) }

    /// The names in a comma-separated `--columns` value, blanks dropped.
    static func columnList(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Whether stdout carries data for a script (CSV or JSON) rather than text for people.
    var isMachineReadable: Bool { csv || json }

    /// Fails, before any work, when `--columns` names a column that a table of `columns` lacks;
    /// nothing to check when the columns are not known (empty).
    func check(against columns: [String]) throws(JobError) {
        guard selection != nil, !columns.isEmpty else { return }
        _ = try render(TerminalTable(columns: columns, rows: []))
    }

    /// The table as asked for.
    func render(_ table: TerminalTable, indent: String = "") throws(JobError) -> String {
        if csv { return try table.csv(selecting: selection) }
        if json { return try table.json(selecting: selection) }
        return try table.text(selecting: selection, indent: indent)
    }
}
