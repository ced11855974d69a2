import Store

/// The replica-exchange acceptance of an Ising scan run with parallel tempering (`/tempering`):
/// for each pair of neighbouring temperatures, the fraction of proposed swaps accepted. A pair
/// that never swaps splits the scan into chains that do not mix.
enum ChainTempering {
    /// Adds the plot and table when any scan has a `/tempering` table.
    static func add(_ scans: [ChainReport.Scan], to doc: ReportDocument) throws(JobError) {
        var plot = Plot(title: "Replica-exchange acceptance", xLabel: "temperature T of the pair's midpoint (units of J/k_B)",
                        yLabel: "swap acceptance (accepted / attempted)")
        plot.yIncludes = [0, 1]
        var tables: [(caption: String, table: NamedTable)] = []
        for scan in scans {
            let table = try scan.run.read { root -> NamedTable? in
                guard root.contains("tempering") else { return nil }
                let t = try Table.open("tempering", in: root)
                return NamedTable(names: t.columns.map(\.name), rows: try t.rows())
            }
            guard let table, let low = table.reals("temperature_low"), let high = table.reals("temperature_high"),
                  let acceptance = table.reals("acceptance"), let attempted = table.reals("attempted"), !low.isEmpty else { continue }
            plot.series.append(Series(scan.label, colour: doc.palette.colour(for: scan.run.path), style: .linePoints, points: low.indices.map { i in
                // A binomial error: the swaps of one pair are close to independent trials.
                let p = acceptance[i], n = max(attempted[i], 1)
                return DataPoint(x: (low[i] + high[i]) / 2, y: p, error: (p * (1 - p) / n).squareRoot())
            }))
            tables.append(("\(scan.label): /tempering", table))
        }
        if !plot.series.isEmpty {
            doc.figure(plot, caption: "Acceptance of replica swaps between neighbouring temperatures; error bars binomial, √(p(1−p)/n).")
        }
        for (caption, table) in tables { doc.table(table.names, table.textRows, caption: caption) }
    }
}
