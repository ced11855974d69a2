import Foundation
import Ising
import Store

/// The report of Ising and φ⁴ scans: every observable of `/summary` against T or κ with error
/// bars (several files overlaid, one colour each), for the 2D Ising model the exact finite-lattice
/// curves beside the data, the chain's diagnostics, a few stored configurations, and with several
/// lattice sizes the finite-size crossings.
enum ChainReport {
    /// One scan file with what its plots need.
    struct Scan {
        let run: ReportRun
        /// The lattice's extents.
        let extents: [Int]
        /// The scanned parameter at each point.
        let x: [Double]
        /// Ising's J and h (nil for φ⁴).
        let coupling: Double?, field: Double?
        /// "ising16.h5 (16×16)".
        var label: String { "\(run.name) (\(extents.map(String.init).joined(separator: "×")))" }
        /// The linear size L (the first extent).
        var size: Int { extents[0] }
    }

    /// Reads what the plots need from each file of one kind.
    static func scans(_ runs: [ReportRun], _ q: ChainQuantities) throws(JobError) -> [Scan] {
        var scans: [Scan] = []
        for run in runs {
            guard let x = run.summary.reals(q.parameter) else {
                throw JobError(file: run.path, "has no '\(q.parameter)' column in /summary; it is not a complete \(run.kind) run")
            }
            let (extents, coupling, field) = try run.read { root -> ([Int], Double?, Double?) in
                let p = try root.openGroup("parameters")
                guard case let .integers(e) = try p.attribute("extents") else { throw JobError(file: run.path, "has no /parameters extents") }
                let real = { (name: String) throws -> Double? in
                    guard p.hasAttribute(name), case let .real(v) = try p.attribute(name) else { return nil }
                    return v
                }
                return (e.map { Int($0) }, try real("coupling"), try real("field"))
            }
            scans.append(Scan(run: run, extents: extents, x: x, coupling: coupling, field: field))
        }
        return scans
    }

    /// Adds the section of one kind's scans.
    static func add(_ runs: [ReportRun], _ q: ChainQuantities, title: String, to doc: ReportDocument) throws(JobError) {
        let scans = try scans(runs, q)
        doc.heading(title)
        doc.paragraph("Files: " + scans.map(\.label).joined(separator: "; ") + ". Error bars are one standard error (Γ-method, autocorrelations included).",
                      className: "files")
        // With several sizes, U₄ is drawn once, in the finite-size section with its crossings.
        let overlaid = FiniteSizeOverlay.sizes(scans) != nil
        for quantity in q.observables where !(overlaid && quantity.column == "binder") {
            var plot = Plot(title: quantity.title, xLabel: q.parameterAxis, yLabel: quantity.axis)
            for scan in scans where scan.run.summary.has(quantity.column) {
                let colour = doc.palette.colour(for: scan.run.path)
                plot.series.append(Series(scan.label, colour: colour, style: .linePoints, points: scan.run.summary.points(x: scan.x, quantity.column)))
                if let exact = exactCurve(scan, column: quantity.column) {
                    plot.series.append(Series("exact, Kaufman, \(scan.extents.map(String.init).joined(separator: "×"))", colour: colour, style: .line, points: exact))
                }
            }
            if !plot.series.isEmpty {
                let exact = plot.series.contains { $0.style == .line } ? " Lines: the exact finite-lattice result (Kaufman 1949) at the same size." : ""
                doc.figure(plot, caption: "\(quantity.title) against \(q.symbol); points with one-σ error bars." + exact)
            }
        }
        if overlaid { FiniteSizeOverlay.add(scans, q, to: doc) }
        doc.heading("Chain diagnostics", level: 3)
        for quantity in q.diagnostics {
            var plot = Plot(title: quantity.title, xLabel: q.parameterAxis, yLabel: quantity.axis)
            for scan in scans where scan.run.summary.has(quantity.column) {
                plot.series.append(Series(scan.label, colour: doc.palette.colour(for: scan.run.path), style: .linePoints,
                                          points: scan.run.summary.points(x: scan.x, quantity.column)))
            }
            if !plot.series.isEmpty { doc.figure(plot, caption: "\(quantity.title) at each \(q.symbol).") }
        }
        if scans.contains(where: { $0.run.kind == "ising" }) { try ChainTempering.add(scans, to: doc) }
        for scan in scans {
            table(scan, q, to: doc)
            try ChainConfigurations.add(scan, q, to: doc)
        }
    }

    /// Kaufman's e or c on the n × m torus of a ferromagnetic 2D Ising scan at h = 0, over the scanned range; nil otherwise.
    static func exactCurve(_ scan: Scan, column: String) -> [DataPoint]? {
        guard scan.run.kind == "ising", scan.extents.count == 2, scan.extents.allSatisfy({ $0 >= 2 }),
              let j = scan.coupling, j > 0, (scan.field ?? 0) == 0,
              column == "energy" || column == "specific_heat",
              let low = scan.x.filter(\.isFinite).min(), let high = scan.x.filter(\.isFinite).max(), low > 0 else { return nil }
        let count = 120
        return (0...count).map { k in
            let t = low + (high - low) * Double(k) / Double(count)
            let exact = ExactIsing2D.kaufman(rows: scan.extents[0], columns: scan.extents[1], beta: j / t)
            return DataPoint(x: t, y: column == "energy" ? j * exact.energyPerSite : exact.specificHeatPerSite)
        }
    }

    /// The table behind the plots: each observable and diagnostic as value(error).
    private static func table(_ scan: Scan, _ q: ChainQuantities, to doc: ReportDocument) {
        let s = scan.run.summary
        let quantities = (q.observables + q.diagnostics).filter { s.has($0.column) }
        let header = [q.symbol] + quantities.map(\.column)
        let rows = scan.x.indices.map { i in
            [String(format: "%.6g", scan.x[i])] + quantities.map { quantity -> String in
                let value = s.reals(quantity.column)![i]
                guard value.isFinite else { return "–" }
                return parenthesized(value, error: s.reals(quantity.column + "_error")?[i] ?? 0)
            }
        }
        doc.table(header, rows, caption: "\(scan.label): /summary, errors in the last digits in parentheses")
    }
}
