import Cluster
import Foundation
import Learning
import Store

/// What a finished training run records: the data it used (by name and SHA-256), each model with
/// its weights, metrics per epoch, predictions on every point and the estimate they give, and a
/// summary table with one row per model.
struct TrainResults {
    let job: TrainJob
    let context: RunContext
    let data: TrainingData
    let split: TrainingSplit
    let normalization: InputNormalization

    var communicator: Communicator { context.communicator }

    static let summaryColumns = [
        Column("model", .text(maximumBytes: 64)), Column("parameters", .integer), Column("epochs", .integer),
        Column("train_loss", .real), Column("train_accuracy", .real), Column("validation_loss", .real),
        Column("validation_accuracy", .real), Column("estimate", .text(maximumBytes: 32)), Column("value", .real), Column("error", .real),
    ]

    /// Writes every model and the summary. Collective.
    func write<Scalar: NetworkScalar & StorableScalar>(_: Scalar.Type, progress: [String: TrainingProgress<Scalar>]) throws {
        let root = context.root
        // Computed when the run began (or resumed) and checked against the checkpoint's.
        let digests = context.identity.dataSHA256
        let dataGroup = try root.createGroup("data")
        try dataGroup.setAttribute("files", job.data.files.joined(separator: "\n"))
        try dataGroup.setAttribute("sha256", digests.joined(separator: "\n"))
        try dataGroup.setAttribute("parameter", data.parameterName)
        try dataGroup.setAttribute("training_samples", Int64(split.training.count))
        try dataGroup.setAttribute("validation_samples", Int64(split.validation.count))
        try dataGroup.setAttribute("validation", (job.data.validation ?? .random) == .points
                                   ? "held-out points: \((job.data.validationPoints ?? []).map { String($0) }.joined(separator: ", "))"
                                   : "random fraction \(job.data.validationFraction ?? 0.1) of the training points' samples")
        let points = data.points
        let parameter = try dataGroup.createDataset("point_parameter", of: Double.self, shape: [points.count])
        try parameter.writeFromRoot(points.map(\.parameter))
        try Meaning(units: "as in the data files", longName: "the \(data.parameterName) of each point").write(to: parameter)
        let file = try dataGroup.createDataset("point_file", of: Int64.self, shape: [points.count])
        try file.writeFromRoot(points.map { Int64($0.source) })
        try Meaning(units: "1", longName: "index of the point's file in the files attribute").write(to: file)
        let training = try dataGroup.createDataset("training_ids", of: Int64.self, shape: [split.training.count])
        try training.writeFromRoot(split.training.map(Int64.init))
        try Meaning(units: "1", longName: "sample ids the models were trained on").write(to: training)
        let validation = try dataGroup.createDataset("validation_ids", of: Int64.self, shape: [split.validation.count])
        try validation.writeFromRoot(split.validation.map(Int64.init))
        try Meaning(units: "1", longName: "sample ids held out for validation").write(to: validation)
        for (dataset, axis) in [(parameter, "point"), (file, "point"), (training, "training_sample"), (validation, "validation_sample")] {
            try dataGroup.nameAxes(of: dataset, [axis], root: root)
        }

        let models = try root.createGroup("models")
        var rows: [[Cell]] = []
        for name in job.modelNames {
            let state = progress[name]!
            let network = try Network<Scalar>(inputShape: [1] + data.extents, specifications: job.layers(of: name))
            network.parameters = state.parameters
            let group = try models.createGroup(name)
            try StoredModel.write(network, name: name, job: job, parameterName: data.parameterName,
                                  normalization: normalization, into: group)
            try group.setAttribute("trained_on", job.data.files.joined(separator: "\n"))
            try group.setAttribute("trained_on_sha256", digests.joined(separator: "\n"))
            try group.setAttribute("steps", Int64(state.stepsTaken))
            try Self.writeMetrics(state.metrics, into: group, root: root, isRoot: communicator.isRoot)

            let loss = job.loss(of: name)
            let predictions = try Predictor.predict(network, loss: loss, data: data, normalization: normalization,
                                                    communicator: communicator)
            let estimate = try PointPredictions(data: data, predictions: predictions)
                .write(into: group, root: root, label: job.labelKind, bootstrap: job.bootstrapSamples, seed: job.seed)
            let last = state.metrics.last ?? Array(repeating: .nan, count: TrainingMetrics.columns.count)
            rows.append([.text(name), .integer(Int64(network.parameterCount)), .integer(Int64(state.metrics.count)),
                         .real(last[3]), .real(last[4]), .real(last[5]), .real(last[6]),
                         .text(estimate.name), .real(estimate.value), .real(estimate.error)])
            if communicator.isRoot {
                context.logger.info("model \(name): \(estimate.name) = \(fmt(estimate.value)) ± \(fmt(estimate.error))")
            }
        }
        let summary = try Table.create("summary", in: root, columns: Self.summaryColumns)
        try summary.append(communicator.isRoot ? rows : [])
        try summary.describe(axis: "model", columns: Self.metricMeanings, in: root, root: root)
    }

    /// What the metrics' columns (and the summary's) hold.
    static let metricMeanings: [String: Meaning] = [
        "epoch": Meaning(units: "1", longName: "epoch number, from 1"),
        "steps": Meaning(units: "1", longName: "optimiser steps taken by the end of the epoch"),
        "learning_rate": Meaning(units: "1", longName: "learning rate of the epoch's last step"),
        "train_loss": Meaning(units: "1", longName: "mean loss over the epoch's training batches"),
        "train_accuracy": Meaning(units: "1", longName: "fraction of training samples classified right during the epoch (NaN for regression)"),
        "validation_loss": Meaning(units: "1", longName: "mean loss on the validation samples after the epoch"),
        "validation_accuracy": Meaning(units: "1", longName: "fraction of validation samples classified right (NaN for regression)"),
        "seconds": Meaning(units: "s", longName: "wall-clock time of the epoch"),
    ]

    /// The columns of `metrics`: `TrainingMetrics.columns`, the counts as integers.
    static let metricColumns = TrainingMetrics.columns.map { Column($0, $0 == "epoch" || $0 == "steps" ? .integer : .real) }

    /// Writes `metrics`, a table with one row per finished epoch (a numpy structured array in
    /// h5py, `metrics['train_loss']`), along the axis `epoch` of the model's group. Collective.
    static func writeMetrics(_ metrics: [[Double]], into group: Group, root: Group, isRoot: Bool) throws {
        let table = try Table.create("metrics", in: group, columns: metricColumns)
        try table.append(isRoot ? metrics.map { row in
            zip(row, metricColumns).map { value, column in column.kind == .integer ? .integer(Int64(value)) : .real(value) }
        } : [])
        // Its own scale in the model's group: models need not have trained for as many epochs.
        _ = try group.dimensionScale("epoch", length: metrics.count)
        try table.describe(axis: "epoch", columns: metricMeanings, in: group, root: root)
    }
}

/// Predictions of one model grouped by point: per-sample values, their mean and standard error per
/// point, and the estimate: the phase boundary where the mean "ordered" output crosses ½, or the
/// regression's root-mean-square error.
struct PointPredictions {
    let data: TrainingData
    let predictions: [Double]

    init(data: TrainingData, predictions: [Double]) throws {
        guard predictions.count == data.sampleCount else {
            throw RunFailure("the model gave \(predictions.count) predictions for \(data.sampleCount) samples")
        }
        self.data = data
        self.predictions = predictions
    }

    /// Per point, the samples' predictions.
    var perPoint: [[Double]] {
        data.points.map { p in Array(predictions[data.sampleIDs(source: p.source, point: p.point)]) }
    }

    /// Writes `predictions` [sample], `prediction_mean` and `prediction_error` [point] and the
    /// estimate attributes into `group`; returns the estimate. Collective.
    func write(into group: Group, root: Group, label: TrainJob.LabelKind, bootstrap: Int, seed: UInt64) throws -> (name: String, value: Double, error: Double) {
        let lists = perPoint
        let means = lists.map { $0.reduce(0, +) / Double($0.count) }
        let errors = lists.map { list -> Double in
            let m = list.reduce(0, +) / Double(list.count)
            let v = list.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, list.count - 1))
            return (v / Double(list.count)).squareRoot()
        }
        let samples = try group.createDataset("predictions", of: Double.self, shape: [predictions.count])
        try samples.writeFromRoot(predictions)
        try samples.setAttribute("meaning", label == .phase ? "probability of the ordered phase, per sample id" : "predicted \(data.parameterName), per sample id")
        let output = label == .phase ? "the ordered phase's probability" : "the predicted \(data.parameterName)"
        try samples.setAttribute("long_name", output + ", per sample id")
        let mean = try group.createDataset("prediction_mean", of: Double.self, shape: [means.count])
        try mean.writeFromRoot(means)
        try Meaning(units: label == .phase ? "1" : "as in the data files", longName: "mean of \(output) over each point's samples").write(to: mean)
        let error = try group.createDataset("prediction_error", of: Double.self, shape: [errors.count])
        try error.writeFromRoot(errors)
        try Meaning(units: label == .phase ? "1" : "as in the data files", longName: "standard error of prediction_mean",
                    definition: "sample standard deviation over the point's samples / sqrt(samples)").write(to: error)
        for (dataset, axis) in [(samples, "sample"), (mean, "point"), (error, "point")] {
            try group.nameAxes(of: dataset, [axis], root: root)
        }
        let estimate: (name: String, value: Double, error: Double)
        if label == .phase {
            // Points of several files with the same parameter value are pooled.
            let values = Array(Set(data.points.map(\.parameter))).sorted()
            let pooled = values.map { v in zip(data.points, lists).filter { $0.0.parameter == v }.flatMap { $0.1 } }
            let crossing = PhaseCrossing(parameters: values, outputs: pooled, replicas: bootstrap, seed: seed)
            estimate = ("\(data.parameterName)_c", crossing?.value ?? .nan, crossing?.error ?? .nan)
        } else {
            let squared = zip(data.points, lists).flatMap { p, list in list.map { ($0 - p.parameter) * ($0 - p.parameter) } }
            let rmse = (squared.reduce(0, +) / Double(squared.count)).squareRoot()
            estimate = ("rmse_\(data.parameterName)", rmse, .nan)
        }
        try group.setAttribute("estimate", estimate.name)
        try group.setAttribute("estimate_value", estimate.value)
        try group.setAttribute("estimate_error", estimate.error)
        return estimate
    }
}
