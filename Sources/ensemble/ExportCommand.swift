import ArgumentParser
import Foundation
import Jobs

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a trained network of a model file as an ONNX model (onnxruntime, PyTorch, any ONNX reader).",
        discussion: """
        The ONNX model takes configurations shaped [batch, lattice…] as the run file's /configurations holds \
        them (as float32 or float64, the model's precision), applies the model's input normalisation, and gives \
        one number per configuration, exactly what the training run stored in /models/NAME/predictions: the \
        probability of the ordered phase (softmax class 1 or the sigmoid output) or the regressed parameter. \
        Layers: dense (Gemm), conv2d with periodic padding (Pad mode wrap + Conv; in float64, which onnxruntime \
        has no Conv for, Pad + Slice + MatMul), global_average_pool (ReduceMean), flatten, relu, tanh, \
        sigmoid, gelu (Gelu, exact), dropout (Identity). ONNX opset \(ModelExport.opset), IR version \(ModelExport.irVersion). \
        Runs on one process; an existing output is replaced only with --force, and the file appears whole or not at all.
          ensemble export ising-phase-model.h5 --model-name cnn --onnx cnn.onnx
        """)

    @Argument(help: "The model file: the output of a train job.")
    var modelFile: String

    @Option(help: "Where to write the ONNX model (a path ending in .onnx).")
    var onnx: String

    @Option(name: .customLong("model-name"), help: "The model of the file to export (required when the file holds several).")
    var modelName: String?

    @Flag(help: "Replace an existing output file.")
    var force = false

    func run() throws {
        let note = { (text: String) in FileHandle.standardError.write("note: \(text)\n".data(using: .utf8)!) }
        let export: ModelExport
        do {
            export = try ModelExport(modelPath: modelFile, output: onnx, model: modelName, force: force, note: note)
        } catch {
            throw reject(error)
        }
        do {
            for text in try export.write() { note(text) }
        } catch let error as JobError {
            throw reject(error)
        }
        print("wrote \(onnx): model \(export.modelName) of \(modelFile) as ONNX (opset \(ModelExport.opset))")
    }
}
