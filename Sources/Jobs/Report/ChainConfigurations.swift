import Foundation
import Store

/// A few stored configurations of a scan drawn as heat maps: the last saved sample at the lowest,
/// middle and highest point of the scan, so the ordered and disordered phases are seen side by side.
/// A lattice of more than two dimensions is shown as its slice at x₂ = x₃ = … = 0.
enum ChainConfigurations {
    /// How many points of a scan are drawn.
    static let shown = 3

    /// Adds the heat maps of `scan`, if its file stores configurations.
    static func add(_ scan: ChainReport.Scan, _ q: ChainQuantities, to doc: ReportDocument) throws(JobError) {
        let maps = try scan.run.read { root -> [HeatMap] in
            guard root.contains("configurations") else { return [] }
            let dataset = try root.openDataset("configurations")
            let shape = try dataset.shape()
            try dataset.close()
            guard shape.count >= 4, shape[0] > 0, shape[1] > 0 else { return [] }
            let points = shape[0], last = shape[1] - 1
            let chosen = Array(Set([0, points / 2, points - 1])).sorted().prefix(shown)
            return try chosen.map { p in
                let offset = [p, last] + Array(repeating: 0, count: shape.count - 2)
                let count = [1, 1, shape[2], shape[3]] + Array(repeating: 1, count: shape.count - 4)
                let values = try root.reportBlock("configurations", at: offset, count: count)
                let rows = (0..<shape[2]).map { Array(values[($0 * shape[3])..<(($0 + 1) * shape[3])]) }
                let where_ = p < scan.x.count ? "\(q.symbol) = " + String(format: "%.4g", scan.x[p]) : "point \(p)"
                return HeatMap(title: where_, valueLabel: q.configurationValue, rows: rows)
            }
        }
        let slice = scan.extents.count > 2 ? " (the slice x₂ = … = 0)" : ""
        doc.gallery(maps, caption: "\(scan.label): the last stored configuration at the lowest, middle and highest \(q.symbol) of the scan\(slice); "
                    + "blue negative, white zero, vermillion positive.")
    }
}
