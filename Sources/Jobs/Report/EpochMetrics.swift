import Foundation
import Store

/// A trained model's metrics per epoch, by column name ("epoch", "train_loss",
/// "validation_accuracy", …). The one place that knows how `/models/NAME/metrics` is stored: an
/// `[epoch, column]` array of reals whose `columns` attribute names the columns, or a table with
/// named columns; both are read, so either layout gives the report the same columns.
struct EpochMetrics {
    /// Each column's values, one per epoch.
    let columns: [String: [Double]]

    /// The column `name`, or nil.
    subscript(_ name: String) -> [Double]? { columns[name] }

    /// Reads `metrics` in the model group `model`; nil when the group has none.
    static func read(_ model: Group) throws -> EpochMetrics? {
        guard model.contains("metrics") else { return nil }
        let dataset = try model.openDataset("metrics")
        let type = try dataset.storedType()
        let names = try dataset.reportText("columns")
        let shape = try dataset.shape()
        try dataset.close()
        let isTable: Bool
        if case .compound = type { isTable = true } else { isTable = false }
        if !isTable, let names, shape.count == 2 {
            let values = try model.reportValues("metrics")!.values
            let columnNames = names.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard columnNames.count == shape[1] else { return nil }
            return EpochMetrics(columns: Dictionary(uniqueKeysWithValues: columnNames.enumerated().map { c in
                (c.element, (0..<shape[0]).map { values[$0 * shape[1] + c.offset] })
            }))
        }
        let table = try Table.open("metrics", in: model)
        let named = NamedTable(names: table.columns.map(\.name), rows: try table.rows())
        return EpochMetrics(columns: Dictionary(uniqueKeysWithValues: named.names.compactMap { n in named.reals(n).map { (n, $0) } }))
    }
}
