import Foundation
import Store

/// The report of training runs: loss and accuracy per epoch (training solid, validation dashed,
/// one colour per model), the mean prediction at each point with its error, and the estimate of
/// the transition (T_c or κ_c) with its error band.
enum TrainReport {
    /// One model of a training file.
    struct Model {
        let name: String
        let metrics: EpochMetrics?
        /// Mean prediction and its error at each point.
        let mean: [Double], error: [Double]
        /// The estimate's name ("temperature_c"), value and error; NaN when the predictions do not cross 1/2.
        let estimate: String?, value: Double, estimateError: Double
        /// The boundary the labels were made with, if the file says.
        let boundary: Double?
    }

    /// Adds one section per training file.
    static func add(_ runs: [ReportRun], to doc: ReportDocument) throws(JobError) {
        doc.heading("Training")
        for run in runs {
            let (parameter, points, models) = try run.read { root -> (String, [Double], [Model]) in
                let data = try root.openGroup("data")
                let parameter = try data.reportText("parameter") ?? "parameter"
                let points = try data.reportValues("point_parameter")?.values ?? []
                let group = try root.openGroup("models")
                let models = try group.members().filter { $0.kind == .group }.map { member -> Model in
                    let m = try group.openGroup(member.name)
                    return Model(name: member.name, metrics: try EpochMetrics.read(m),
                                 mean: try m.reportValues("prediction_mean")?.values ?? [], error: try m.reportValues("prediction_error")?.values ?? [],
                                 estimate: try m.reportText("estimate"), value: try m.reportReal("estimate_value") ?? .nan,
                                 estimateError: try m.reportReal("estimate_error") ?? .nan, boundary: try m.reportReal("boundary"))
                }
                return (parameter, points, models)
            }
            doc.heading(run.name, level: 3)
            epochs(run, models, metric: "loss", axis: "loss (mean per sample over the epoch)", to: doc)
            epochs(run, models, metric: "accuracy", axis: "accuracy (fraction classified correctly)", to: doc)
            predictions(run, parameter: parameter, points: points, models: models, to: doc)
            if !run.summary.names.isEmpty {
                doc.table(run.summary.names, run.summary.textRows, caption: "\(run.name): /summary")
            }
        }
    }

    /// The training and validation `metric` per epoch for every model.
    private static func epochs(_ run: ReportRun, _ models: [Model], metric: String, axis: String, to doc: ReportDocument) {
        var plot = Plot(title: "\(metric.prefix(1).uppercased() + metric.dropFirst()) per epoch", xLabel: "epoch", yLabel: axis)
        plot.xIntegers = true
        var rows: [[String]] = []
        for model in models {
            guard let metrics = model.metrics, let epoch = metrics["epoch"] else { continue }
            let colour = doc.palette.colour(for: "model \(model.name)")
            for (set, dashed) in [("train", false), ("validation", true)] {
                guard let values = metrics["\(set)_\(metric)"] else { continue }
                plot.series.append(Series("\(model.name), \(set == "train" ? "training" : "validation")", colour: colour, style: .line, dashed: dashed,
                                          points: zip(epoch, values).map { DataPoint(x: $0.0, y: $0.1) }))
            }
            for (i, e) in epoch.enumerated() {
                rows.append([model.name, String(format: "%.0f", e)] + ["train_\(metric)", "validation_\(metric)"].map { c in
                    metrics[c].map { String(format: "%.4f", $0[i]) } ?? "–"
                })
            }
        }
        guard !plot.series.isEmpty else {
            doc.paragraph("\(run.name): no per-epoch \(metric) stored.", className: "note")
            return
        }
        doc.figure(plot, caption: "\(metric.capitalized) per epoch on the training samples (solid) and the validation samples (dashed), one colour per model.")
        doc.table(["model", "epoch", "training \(metric)", "validation \(metric)"], rows, caption: "\(run.name): \(metric) per epoch")
    }

    /// The mean prediction at each point, with each model's estimate as a band and the labelling boundary as a line.
    private static func predictions(_ run: ReportRun, parameter: String, points: [Double], models: [Model], to doc: ReportDocument) {
        let axis = parameter == "temperature" ? "temperature T (units of J/k_B)" : parameter == "kappa" ? "hopping parameter κ (dimensionless)" : parameter
        var plot = Plot(title: "Mean prediction per point", xLabel: axis, yLabel: "mean P(ordered phase) over the point's samples")
        plot.yIncludes = [0, 1]
        let shown = models.filter { $0.mean.count == points.count }
        for model in shown {
            let colour = doc.palette.colour(for: "model \(model.name)")
            plot.series.append(Series(model.name, colour: colour, style: .linePoints,
                                      points: points.indices.map { DataPoint(x: points[$0], y: model.mean[$0], error: model.error.count == points.count ? model.error[$0] : nil) }))
            if model.value.isFinite {
                let e = model.estimateError.isFinite ? model.estimateError : 0
                plot.bands.append(Band("\(model.name): \(model.estimate ?? "estimate") = \(parenthesized(model.value, error: e))",
                                       lower: model.value - e, upper: model.value + e, colour: colour))
                plot.markers.append(Marker("", x: model.value, colour: colour))
            }
        }
        if let low = points.min(), let high = points.max() {
            plot.series.append(Series("P = 1/2", colour: "#888888", style: .line, dashed: true, points: [DataPoint(x: low, y: 0.5), DataPoint(x: high, y: 0.5)]))
        }
        if let boundary = models.compactMap(\.boundary).first {
            plot.markers.append(Marker("boundary used for the labels: " + String(format: "%.6g", boundary), x: boundary, colour: "#000000"))
        }
        guard !shown.isEmpty else { return }
        let missing = models.filter { !$0.value.isFinite }.map(\.name)
        doc.figure(plot, caption: "Mean probability of the ordered phase at each point, one-σ errors; shaded: each model's estimate of the transition ± its bootstrap error."
                   + (missing.isEmpty ? "" : " No estimate for \(missing.joined(separator: ", ")): its mean prediction does not cross 1/2 inside the range."))
        doc.table([parameter] + shown.map(\.name), points.indices.map { i in
            [String(format: "%.6g", points[i])] + shown.map { parenthesized($0.mean[i], error: $0.error.count == points.count ? $0.error[i] : 0) }
        }, caption: "\(run.name): mean prediction per point, by model")
    }
}
