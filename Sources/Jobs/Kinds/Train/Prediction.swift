import Cluster
import Foundation
import Learning
import Store

/// `ensemble predict`: applies the models of a training run file to the configurations of any run
/// file of the same lattice shape and writes the predictions per sample and per point.
public struct Prediction {
    let models: [StoredModel]
    let modelPath: String
    let runPath: String
    let outputPath: String
    let bootstrap: Int
    let seed: UInt64

    /// Checks everything before MPI starts: the model file, the run file, shapes, and the output path.
    public init(modelPath: String, runPath: String, output: String?, model: String?, force: Bool,
                bootstrap: Int = 200, seed: UInt64 = 1) throws(JobError) {
        models = try StoredModel.read(modelPath, name: model)
        guard !models.isEmpty else { throw JobError(file: modelPath, "holds no models") }
        for stored in models {
            let data = try TrainingData(paths: [runPath], parameter: stored.parameterName, job: runPath)
            guard stored.inputShape == [1] + data.extents else {
                throw JobError(file: runPath, "holds \(data.extents.map(String.init).joined(separator: "×")) configurations; model \(stored.name) "
                               + "of \(modelPath) takes inputs shaped \(stored.inputShape) (one channel and its lattice)")
            }
        }
        let path = output ?? ((runPath as NSString).deletingPathExtension + ".predictions.h5")
        let paths = RunPaths(output: path)
        try OutputCheck.path(path, flag: "--output")
        try OutputCheck.separate(inputs: [modelPath, runPath], outputs: paths.all, flag: "--output")
        if !force, FileManager.default.fileExists(atPath: path) {
            throw JobError(file: "--output", "\"\(path)\" exists; pass --force to replace it or choose another --output")
        }
        if let holder = OutputLock.holder(of: paths) {
            throw JobError(file: path, "another command is writing this output (\(holder)); wait for it to end")
        }
        self.modelPath = modelPath
        self.runPath = runPath
        self.outputPath = path
        self.bootstrap = bootstrap
        self.seed = seed
    }

    /// Predicts with every model on all ranks and writes the file from rank 0: the inputs' checksums
    /// are checked first, the output is locked while it is written, and a failure leaves no file
    /// behind. Collective.
    public func run(communicator: Communicator, note: (String) -> Void) throws -> [(model: String, estimate: String, value: Double, error: Double)] {
        let paths = RunPaths(output: outputPath)
        let lock = try OutputLock.acquire(paths, communicator: communicator)
        defer { lock?.release() }
        try ResultSeal.requireIntact(modelPath, role: "a model", communicator: communicator, note: note)
        try ResultSeal.requireIntact(runPath, role: "the configurations to predict on", communicator: communicator, note: note)
        var outputs: [(StoredModel, TrainingData, [Double])] = []
        for stored in models {
            let data = try TrainingData(paths: [runPath], parameter: stored.parameterName, job: runPath)
            let predictions: [Double]
            if stored.precision == .float64 {
                predictions = try Predictor.predict(try stored.network(Double.self), loss: stored.loss, data: data,
                                                    normalization: stored.normalization, communicator: communicator)
            } else {
                predictions = try Predictor.predict(try stored.network(Float.self), loss: stored.loss, data: data,
                                                    normalization: stored.normalization, communicator: communicator)
            }
            outputs.append((stored, data, predictions))
        }
        var results: [(String, String, Double, Double)] = [], failure = ""
        if communicator.isRoot {
            do {
                results = try write(outputs, paths: paths)
            } catch {
                unlink(paths.partial)
                failure = "writing \(outputPath) failed: \(error)"
            }
        }
        failure = try communicator.broadcast(failure)
        guard failure.isEmpty else { throw RunFailure(failure) }
        return results
    }

    /// Writes the predictions file whole (serially, on one rank), sealed, then commits it.
    private func write(_ outputs: [(StoredModel, TrainingData, [Double])], paths: RunPaths) throws -> [(String, String, Double, Double)] {
        let file = try File.createRun(at: outputPath, communicator: nil, replacing: true)
        let root = try file.root()
        do {
            try Provenance.writeTool(kind: "predict", to: root)
            try root.setAttribute("run_file", runPath)
            try root.setAttribute("model_file", modelPath)
            var results: [(String, String, Double, Double)] = []
            for (stored, data, predictions) in outputs {
                let group = try root.createGroup(stored.name)
                let parameter = try group.createDataset("point_parameter", of: Double.self, shape: [data.points.count])
                try parameter.writeFromRoot(data.points.map(\.parameter))
                try Meaning(units: "as in the run file", longName: "the \(stored.parameterName) of each point").write(to: parameter)
                try group.nameAxes(of: parameter, ["point"], root: root)
                try group.setAttribute("parameter", stored.parameterName)
                let estimate = try PointPredictions(data: data, predictions: predictions)
                    .write(into: group, root: root, label: stored.label, bootstrap: bootstrap, seed: seed)
                results.append((stored.name, estimate.name, estimate.value, estimate.error))
            }
            try Provenance.markCompleted(root)
            try ResultSeal.seal(file)
            try file.commit()
            return results
        } catch {
            try? file.close()
            throw error
        }
    }
}
