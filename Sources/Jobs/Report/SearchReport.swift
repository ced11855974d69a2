import Foundation
import Store

/// The report of flux-vacua searches, enumerations and merged catalogs: distinct vacua against
/// evaluations per method (from a run's `/discovery`; a merged catalog has none), g_s against
/// e^(K/2)|W|, the N_flux histogram, and, when an enumeration of the same model is among the
/// files, each search's recall against it.
enum SearchReport {
    /// One file's catalog and, for a search run, its discovery curve.
    struct Search {
        let run: ReportRun
        let catalog: Catalog
        /// (evaluations over all ranks, distinct vacua, distinct target vacua) per discovery; nil for a merged catalog.
        let discovery: [[Double]]?
        /// The summary's method ("genetic", "random", "enumerate", …), or "catalog" for a merged catalog.
        let method: String
        /// "genetic, v-genetic.h5".
        var label: String { "\(method), \(run.name)" }
    }

    /// Adds the section for the search and catalog files.
    static func add(_ runs: [ReportRun], to doc: ReportDocument) throws(JobError) {
        var searches: [Search] = []
        for run in runs {
            let catalog = try Catalog.read(run.path)
            let discovery = try run.read { root -> [[Double]]? in
                guard let (values, shape) = try root.reportValues("discovery"), shape.count == 2, shape[1] == 3 else { return nil }
                return (0..<shape[0]).map { Array(values[(3 * $0)..<(3 * $0 + 3)]) }
            }
            searches.append(Search(run: run, catalog: catalog, discovery: discovery, method: run.summary.texts("method")?.first ?? run.kind))
        }
        doc.heading("Flux vacua: searches and catalogs")
        doc.paragraph("Files: " + searches.map { "\($0.label) (\($0.catalog.rows.count) distinct vacua, model \($0.catalog.model))" }.joined(separator: "; ") + ".",
                      className: "files")
        discoveryCurves(searches, to: doc)
        scatter(searches, to: doc)
        for search in searches { histogram(search, to: doc) }
        try SearchRecall.add(searches, to: doc)
        for search in searches where !search.run.summary.names.isEmpty {
            doc.table(search.run.summary.names, search.run.summary.textRows, caption: "\(search.label): /summary")
        }
    }

    /// Distinct vacua (solid) and distinct target vacua (dashed) against evaluations, one colour per method.
    private static func discoveryCurves(_ searches: [Search], to doc: ReportDocument) {
        let curves = searches.filter { $0.discovery != nil && $0.method != "enumerate" }
        guard !curves.isEmpty else {
            doc.paragraph("No discovery curve: none of the files is a search run with /discovery (a merged catalog and an enumeration have none).", className: "note")
            return
        }
        var plot = Plot(title: "Discovery curve", xLabel: "evaluations (all ranks together)", yLabel: "distinct vacua found")
        let budgets = curves.map { search -> Double in
            let recorded: Double? = search.run.summary.reals("evaluations")?.first
            return recorded ?? search.discovery!.last?[0] ?? 0
        }
        // Budgets ten times apart (a genetic search beside a uniform one) are compared on decades.
        if let low = budgets.min(), let high = budgets.max(), low > 0, high > 5 * low { plot.xLogarithmic = true }
        for (search, total) in zip(curves, budgets) {
            let colour = doc.palette.colour(for: search.method)
            for (column, dashed, what) in [(1, false, "all"), (2, true, "in target")] {
                // A step function: the count jumps at each discovery and holds until the next, to the budget.
                var points = [DataPoint(x: 0, y: 0)], count = 0.0
                for row in search.discovery! {
                    points += [DataPoint(x: row[0], y: count), DataPoint(x: row[0], y: row[column])]
                    count = row[column]
                }
                points.append(DataPoint(x: max(total, points.last!.x), y: count))
                plot.series.append(Series("\(search.label) (\(what))", colour: colour, style: .line, dashed: dashed, points: points))
            }
        }
        doc.figure(plot, caption: "Distinct vacua (solid) and distinct vacua inside the target (dashed) against the number of flux configurations evaluated, one colour per method"
                   + (plot.xLogarithmic ? ", on a logarithmic axis since the budgets differ tenfold." : "."))
    }

    /// g_s against e^(K/2)|W| for every catalogued vacuum.
    private static func scatter(_ searches: [Search], to doc: ReportDocument) {
        var plot = Plot(title: "String coupling against the normalized superpotential", xLabel: "normalized superpotential e^(K/2)|W| (M_Pl = 1)", yLabel: "string coupling g_s")
        // The enumeration first, under the searches, so that its many dots do not hide what they found.
        for search in searches.sorted(by: { ($0.method == "enumerate" ? 0 : 1) < ($1.method == "enumerate" ? 0 : 1) }) {
            let table = NamedTable(names: search.catalog.columns.map(\.name), rows: search.catalog.rows)
            guard let x = table.reals("normalized_w"), let y = table.reals("g_s") else { continue }
            plot.series.append(Series(search.label, colour: doc.palette.colour(for: search.method), style: .scatter,
                                      points: zip(x, y).map { DataPoint(x: $0.0, y: $0.1) }))
        }
        guard !plot.series.isEmpty else { return }
        doc.figure(plot, caption: "One dot per distinct vacuum in each catalog.")
    }

    /// The number of distinct vacua at each N_flux.
    private static func histogram(_ search: Search, to doc: ReportDocument) {
        let table = NamedTable(names: search.catalog.columns.map(\.name), rows: search.catalog.rows)
        guard let fluxes = table.reals("n_flux"), let largest = fluxes.filter(\.isFinite).max(), largest >= 1 else { return }
        var counts = [Double](repeating: 0, count: Int(largest))
        for n in fluxes where n >= 1 { counts[Int(n) - 1] += 1 }
        var plot = Plot(title: "Vacua by flux number, \(search.label)", xLabel: "N_flux (the D3 charge of the fluxes)", yLabel: "distinct vacua")
        plot.xIntegers = true
        plot.series.append(.histogram(search.label, colour: doc.palette.colour(for: search.method), start: 0.5, width: 1, counts: counts))
        doc.figure(plot, caption: "Histogram of N_flux over the catalog's distinct vacua (bins of width 1).")
        doc.table(["N_flux", "distinct vacua"], counts.enumerated().map { ["\($0.offset + 1)", String(Int($0.element))] },
                  caption: "\(search.label): vacua by N_flux")
    }
}
