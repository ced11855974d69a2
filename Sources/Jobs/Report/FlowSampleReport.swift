import Foundation
import Store

/// The report of flow-sample runs: each observable's deviation from the reference ensemble
/// (`/flow_sampling/comparison`) in units of the combined error, the comparison table, the
/// effective sample size per batch, and a few sampled configurations.
enum FlowSampleReport {
    /// Adds one section per flow-sample file.
    static func add(_ runs: [ReportRun], to doc: ReportDocument) throws(JobError) {
        doc.heading("Flow sampling against the reference ensemble")
        for run in runs {
            let (comparison, acceptance, ess) = try run.read { root -> (NamedTable?, Double?, [Double]?) in
                guard root.contains("flow_sampling") else { return (nil, nil, nil) }
                let group = try root.openGroup("flow_sampling")
                var table: NamedTable?
                if group.contains("comparison") {
                    let t = try Table.open("comparison", in: group)
                    table = NamedTable(names: t.columns.map(\.name), rows: try t.rows())
                }
                var acceptance: Double?
                if group.hasAttribute("acceptance"), case let .real(a) = try group.attribute("acceptance") { acceptance = a }
                return (table, acceptance, try group.reportValues("effective_sample_size")?.values)
            }
            doc.heading(run.name, level: 3)
            if let acceptance { doc.paragraph("Metropolis acceptance of the flow's proposals: " + String(format: "%.4f", acceptance) + ".") }
            if let comparison, let names = comparison.texts("observable"), let flow = comparison.reals("flow"), let flowError = comparison.reals("flow_error"),
               let reference = comparison.reals("reference"), let referenceError = comparison.reals("reference_error") {
                var plot = Plot(title: "Flow against reference, observable by observable", xLabel: "observable (as in the table below)",
                                yLabel: "(flow − reference) / √(σ_flow² + σ_ref²)")
                plot.xCategories = names
                let deviations = names.indices.map { i -> DataPoint in
                    let sigma = (flowError[i] * flowError[i] + referenceError[i] * referenceError[i]).squareRoot()
                    return DataPoint(x: Double(i + 1), y: (flow[i] - reference[i]) / sigma, error: 1)
                }
                plot.series.append(Series("flow − reference, ±1", colour: doc.palette.colour(for: run.path), style: .points, points: deviations))
                let span = [DataPoint(x: 0.5, y: 0), DataPoint(x: Double(names.count) + 0.5, y: 0)]
                plot.series.append(Series("agreement (0)", colour: "#000000", style: .line, points: span))
                for bound in [-2.0, 2.0] {
                    // One legend entry for the pair: a series with no name has none.
                    plot.series.append(Series(bound < 0 ? "±2σ" : "", colour: "#888888", style: .line, dashed: true,
                                              points: span.map { DataPoint(x: $0.x, y: bound) }))
                }
                doc.figure(plot, caption: "Each observable's flow estimate minus the reference's, in units of their combined error; the points should scatter within ±2.")
                doc.table(["#", "observable", "flow", "reference", "difference (σ)"], names.indices.map { i in
                    ["\(i + 1)", names[i], parenthesized(flow[i], error: flowError[i]), parenthesized(reference[i], error: referenceError[i]),
                     String(format: "%.2f", deviations[i].y)]
                }, caption: "/flow_sampling/comparison")
            } else {
                doc.paragraph("\(run.name) has no /flow_sampling/comparison: its job named no reference run.", className: "note")
            }
            if let ess, !ess.isEmpty {
                var plot = Plot(title: "Effective sample size per batch", xLabel: "batch of proposals (in sampling order)", yLabel: "ESS / N = (Σw)² / (N Σw²)")
                plot.xIntegers = true
                plot.series.append(Series(run.name, colour: doc.palette.colour(for: run.path), style: .linePoints,
                                          points: ess.enumerated().map { DataPoint(x: Double($0.offset + 1), y: $0.element) }))
                doc.figure(plot, caption: "The reweighting efficiency of the flow's proposals: 1 for a perfect flow, near 0 for a poor one.")
            }
            if let scan = try ChainReport.scans([run], ChainQuantities.phi4).first { try ChainConfigurations.add(scan, ChainQuantities.phi4, to: doc) }
        }
    }
}
