import Foundation
import Store

/// Each search's recall against an enumeration among the report's files (same model): the
/// fraction of the enumerated vacua it found, in all and at each N_flux up to the enumeration's bound.
enum SearchRecall {
    /// Adds the recall plot and table, or a note when no file is an enumeration.
    static func add(_ searches: [SearchReport.Search], to doc: ReportDocument) throws(JobError) {
        guard let enumeration = searches.first(where: { $0.method == "enumerate" }) else {
            doc.paragraph("No recall: give the run file of an enumeration (method = \"enumerate\") of the same model with the searches to see how much of it each found.",
                          className: "note")
            return
        }
        let limit = try VacuaRecall.enumerationLimit(enumeration.run.path)
        let others = searches.filter { $0.run.path != enumeration.run.path && $0.catalog.model == enumeration.catalog.model }
        guard !others.isEmpty else { return }
        let enumerated = fluxNumbers(enumeration.catalog)
        var plot = Plot(title: "Recall against the enumeration", xLabel: "N_flux (the D3 charge of the fluxes)", yLabel: "fraction of enumerated vacua found")
        plot.xIntegers = true
        var rows: [[String]] = []
        for search in others {
            let recall = try VacuaRecall(search: search.catalog, enumeration: enumeration.catalog, fluxLimit: limit)
            rows.append([search.label, "\(recall.found) of \(recall.total)", String(format: "%.1f %%", recall.percent), "\(recall.missing.count)", "\(recall.beyond)"])
            let reference = Set(enumeration.catalog.rows.map(enumeration.catalog.key))
            var found = [Int: Double]()
            for row in search.catalog.rows where reference.contains(search.catalog.key(row)) {
                if let n = flux(row, search.catalog) { found[n, default: 0] += 1 }
            }
            let points = enumerated.keys.sorted().map { n -> DataPoint in
                // A binomial error on each fraction, so N_flux values with few vacua show how little they say.
                let total = enumerated[n]!, p = (found[n] ?? 0) / total
                return DataPoint(x: Double(n), y: p, error: (p * (1 - p) / total).squareRoot())
            }
            plot.series.append(Series(search.label, colour: doc.palette.colour(for: search.method), style: .linePoints, points: points))
        }
        doc.figure(plot, caption: "Fraction of the vacua the enumeration (N_flux ≤ \(limit)) lists that each search found, at each N_flux; error bars binomial, √(p(1−p)/n).")
        doc.table(["search", "found", "recall", "not in the enumeration", "beyond its bound"], rows,
                  caption: "Recall against \(enumeration.run.name) (N_flux ≤ \(limit)); a vacuum not in the enumeration would be a bug in one of them")
    }

    /// Enumerated vacua at each N_flux.
    private static func fluxNumbers(_ catalog: Catalog) -> [Int: Double] {
        var counts = [Int: Double]()
        for row in catalog.rows { if let n = flux(row, catalog) { counts[n, default: 0] += 1 } }
        return counts
    }

    /// A row's N_flux.
    private static func flux(_ row: [Cell], _ catalog: Catalog) -> Int? {
        guard let i = catalog.columns.firstIndex(where: { $0.name == "n_flux" }), case let .integer(n) = row[i] else { return nil }
        return Int(n)
    }
}
