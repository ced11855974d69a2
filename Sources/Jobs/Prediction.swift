import Cluster
import Foundation
import Learning
import Store

/// `ensemble predict`: applies the models of a training run file to the configurations of any run
/// file of the same lattice shape and writes the predictions per sample and per point.
public struct Prediction {
    let models: [StoredModel]
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
        guard path.hasSuffix(".h5") else { throw JobError(file: "--output", "\"\(path)\" must end in .h5") }
        if !force, FileManager.default.fileExists(atPath: path) {
            throw JobError(file: "--output", "\"\(path)\" exists; pass --force to replace it or choose another --output")
        }
        self.runPath = runPath
        self.outputPath = path
        self.bootstrap = bootstrap
        self.seed = seed
    }

    /// Predicts with every model on all ranks and writes the file from rank 0. Collective.
    public func run(communicator: Communicator) throws -> [(model: String, estimate: String, value: Double, error: Double)] {
        var results: [(String, String, Double, Double)] = []
        let file: File? = communicator.isRoot ? try File.createRun(at: outputPath, communicator: nil, replacing: true) : nil
        let root = try file?.root()
        if let root {
            try root.setAttribute("kind", "predict")
            try root.setAttribute("run_file", runPath)
        }
        for stored in models {
            let data = try TrainingData(paths: [runPath], parameter: stored.parameterName, job: runPath)
            let predictions: [Double]
            if stored.precision == "float64" {
                predictions = try Predictor.predict(try stored.network(Double.self), loss: stored.loss, data: data,
                                                    normalization: stored.normalization, communicator: communicator)
            } else {
                predictions = try Predictor.predict(try stored.network(Float.self), loss: stored.loss, data: data,
                                                    normalization: stored.normalization, communicator: communicator)
            }
            if let root {
                let group = try root.createGroup(stored.name)
                try group.createDataset("point_parameter", of: Double.self, shape: [data.points.count]).writeFromRoot(data.points.map(\.parameter))
                try group.setAttribute("parameter", stored.parameterName)
                let estimate = try PointPredictions(data: data, predictions: predictions)
                    .write(into: group, label: stored.label, bootstrap: bootstrap, seed: seed)
                results.append((stored.name, estimate.name, estimate.value, estimate.error))
            }
        }
        if let root {
            try root.setAttribute("completed", true)
            try file?.commit()
        }
        return results
    }
}
