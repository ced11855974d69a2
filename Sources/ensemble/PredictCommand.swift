import ArgumentParser
import Cluster
import Foundation
import Jobs

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the models of a training run file to any run file of the same lattice shape.",
        discussion: """
        Writes, per model, the prediction for every configuration (the probability of the ordered phase \
        for a classifier, the parameter for a regression), its mean and error per point, and the \
        estimate: where the mean crosses ½ (with a bootstrap error), or the regression's RMS error. \
        Runs on one process or under mpirun (each rank a share of the configurations).
        """)

    @Argument(help: "The model file: the output of a train job.")
    var model: String

    @Argument(help: "The run file whose /configurations to predict on.")
    var runFile: String

    @Option(help: "Where to write the predictions (default: RUN.predictions.h5).")
    var output: String?

    @Option(name: .customLong("model-name"), help: "Only this model of the file (default: every model).")
    var modelName: String?

    @Flag(help: "Replace an existing output file.")
    var force = false

    func run() throws {
        let prediction: Prediction
        do {
            prediction = try Prediction(modelPath: model, runPath: runFile, output: output, model: modelName, force: force)
        } catch {
            throw reject(error)
        }
        try withMPI { world in
            let results = try prediction.run(communicator: world) { note in
                if world.isRoot { FileHandle.standardError.write("note: \(note)\n".data(using: .utf8)!) }
            }
            guard world.isRoot else { return }
            for r in results {
                print(String(format: "%@: %@ = %.5f ± %.5f", r.model, r.estimate, r.value, r.error))
            }
        }
    }
}
