import ArgumentParser
import Foundation
import Jobs

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a trained network, or a trained flow, as an ONNX model (onnxruntime, PyTorch, any ONNX reader).",
        discussion: """
        The ONNX model takes configurations shaped [batch, lattice…] as the run file's /configurations holds \
        them (as float32 or float64, the model's precision), applies the model's input normalisation, and gives \
        one number per configuration, exactly what the training run stored in /models/NAME/predictions: the \
        probability of the ordered phase (softmax class 1 or the sigmoid output) or the regressed parameter. \
        Layers: dense (Gemm), conv2d with periodic padding (Pad mode wrap + Conv; in float64, which onnxruntime \
        has no Conv for, Pad + Slice + MatMul), global_average_pool (ReduceMean), flatten, relu, tanh, \
        sigmoid, gelu (Gelu, exact; in float64 x·Φ(x) with a float32 Erf, which onnxruntime needs), dropout (Identity). ONNX opset \(ModelExport.opset), IR version \(ModelExport.irVersion). \
        A flow run's flow is exported as a sampler, input prior draws z [batch, L0, L1] (standard normal), outputs \
        fields phi = f(z) and log_density log q(phi) in float64; with --direction density, input fields, outputs \
        prior z = f^-1(phi) and log_density. The metadata holds kappa, lambda and the action for the exact \
        Metropolis correction; the run file's /flow/examples are known answers to check a port against. \
        Runs on one process; an existing output is replaced only with --force, and the file appears whole or not at all.
          ensemble export ising-phase-model.h5 --model-name cnn --onnx cnn.onnx
          ensemble export flow-phi4.h5 --onnx flow.onnx
        """)

    @Argument(help: "The model file: the output of a train job or of a flow job.")
    var modelFile: String

    @Option(help: "Where to write the ONNX model (a path ending in .onnx).")
    var onnx: String

    @Option(name: .customLong("model-name"), help: "The model of the file to export (required when the file holds several).")
    var modelName: String?

    @Option(help: "For a flow run: sample (prior draws z in; fields and log q out) or density (fields in; z and log q out). Default: sample.")
    var direction: FlowDirection?

    @Flag(help: "Replace an existing output file.")
    var force = false

    func run() throws {
        let note = { (text: String) in FileHandle.standardError.write("note: \(text)\n".data(using: .utf8)!) }
        let export: ModelExport
        do {
            export = try ModelExport(modelPath: modelFile, output: onnx, model: modelName, direction: direction, force: force, note: note)
        } catch {
            throw reject(error)
        }
        do {
            for text in try export.write() { note(text) }
        } catch let error as JobError {
            throw reject(error)
        }
        print("wrote \(onnx): \(export.exported) of \(modelFile) as ONNX (opset \(ModelExport.opset))")
    }
}

extension FlowDirection: ExpressibleByArgument {}
