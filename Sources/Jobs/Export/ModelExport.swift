import Foundation
import Learning
import ONNX
import Store
import SwiftProtobuf

/// `ensemble export MODEL.h5 --onnx model.onnx`: one trained network of a model file as an ONNX
/// model that onnxruntime, PyTorch or any ONNX reader runs, its input normalisation included.
public struct ModelExport {
    /// The ONNX operator set the graph uses: 19 for Pad's wrap mode, 20 for Gelu.
    public static let opset = 20
    /// The ONNX IR version that goes with opset 20 (ONNX 1.15).
    public static let irVersion = 9

    /// What the file holds to export.
    enum Source {
        /// One network of a training run's model file.
        case network(StoredModel)
        /// The trained flow of a flow run, run in a direction.
        case flow(FlowModel.Stored, FlowDirection)
    }

    let source: Source
    let modelPath: String
    let outputPath: String
    let force: Bool

    /// Checks everything before any file is touched: the model file (intact, a completed training
    /// or flow run, the model named when it holds several, `direction` only for a flow), the output
    /// path (ends in .onnx, in a writable folder, not the input, not an existing file unless `force`).
    public init(modelPath: String, output: String, model: String?, direction: FlowDirection? = nil, force: Bool,
                note: (String) -> Void) throws(JobError) {
        guard FileManager.default.fileExists(atPath: modelPath) else { throw JobError(file: modelPath, "no such file") }
        do {
            try ResultSeal.requireIntact(modelPath, role: "a model to export", note: note)
        } catch let error as JobError {
            throw error
        } catch {
            throw JobError(file: modelPath, "cannot be read as a model file: \(error)")
        }
        let kind = try ResultSeal.read(modelPath, as: "a model to export") { root -> String? in
            guard root.hasAttribute("kind"), case let .text(kind) = try root.attribute("kind") else { return nil }
            return kind
        }
        if kind == "flow" {
            guard model == nil else {
                throw JobError(file: modelPath, key: "--model-name", "a flow run holds one flow; --model-name chooses among the networks of a training run")
            }
            source = .flow(try FlowModel.read(modelPath), direction ?? .sample)
        } else {
            guard direction == nil else {
                throw JobError(file: modelPath, key: "--direction", "applies to a trained flow (the run file of a flow job), not to this file")
            }
            let models = try StoredModel.read(modelPath, name: model)
            guard let first = models.first else { throw JobError(file: modelPath, "holds no models") }
            guard models.count == 1 else {
                throw JobError(file: modelPath, key: "--model-name", "the file holds \(models.count) models (\(models.map(\.name).joined(separator: ", "))); "
                               + "choose one with --model-name NAME")
            }
            source = .network(first)
        }
        try Self.checkOutput(output, input: modelPath, force: force)
        self.modelPath = modelPath
        self.outputPath = output
        self.force = force
    }

    /// What was exported, for the user: `model cnn`, or the flow and its direction.
    public var exported: String {
        switch source {
        case let .network(stored): "model \(stored.name)"
        case let .flow(_, direction): "the flow, direction \(direction.rawValue) (\(direction.names.input) in; \(direction.names.output) and log_density out)"
        }
    }

    /// Builds the ONNX model and writes it whole or not at all; returns notes for the user (an
    /// operator onnxruntime cannot run in this precision).
    public func write() throws -> [String] {
        let (model, notes) = try build()
        let bytes: [UInt8] = try model.serializedBytes()
        try Self.publish(Data(bytes), at: outputPath, replacing: force)
        return notes
    }

    /// The ONNX model and the notes its export gives.
    func build() throws(JobError) -> (Onnx_ModelProto, [String]) {
        switch source {
        case let .network(stored): try build(stored)
        case let .flow(stored, direction): try build(stored, direction: direction)
        }
    }

    /// The ONNX model of a stored network and the notes its export gives.
    private func build(_ stored: StoredModel) throws(JobError) -> (Onnx_ModelProto, [String]) {
        let network: Network<Double>
        do {
            network = try stored.network(Double.self)
        } catch {
            throw JobError(file: modelPath, key: "models/\(stored.name)", "cannot be rebuilt from its architecture: \(error)")
        }
        let column = stored.loss == .softmaxCrossEntropy ? 1 : 0
        guard network.outputSize > column else {
            throw JobError(file: modelPath, key: "models/\(stored.name)", "a \(stored.loss.rawValue) model needs at least \(column + 1) outputs; it has \(network.outputSize)")
        }
        var graph = ONNXGraph(precision: stored.precision)
        let lattice = Array(stored.inputShape.dropFirst())
        var x = graph.normalize(ONNXGraph.inputName, stored.normalization, latticeRank: lattice.count)
        x = graph.node("Unsqueeze", [x, graph.integers("channel_axis", [1])])
        var notes: [String] = []
        for (index, layer) in network.layers.enumerated() {
            let step = graph.layer(layer.specification, x, inputShape: layer.inputShape,
                                   parameters: stored.parameters[network.parameterRanges[index]])
            x = step.output
            if let note = step.note, !notes.contains(note) { notes.append(note) }
        }
        if network.outputShape.count > 1 { x = graph.node("Flatten", [x], [.int("axis", 1)]) }
        _ = graph.prediction(x, loss: stored.loss)
        return (model(graph, stored, lattice: lattice), notes)
    }

    /// The model message around `graph`: versions, producer, typed input and output with a
    /// symbolic batch, and metadata saying where the weights came from and what the output means.
    private func model(_ built: ONNXGraph, _ stored: StoredModel, lattice: [Int]) -> Onnx_ModelProto {
        let type = ONNXGraph.elementType(stored.precision)
        let meaning = stored.label == .phase && stored.loss != .meanSquaredError
            ? "probability of the ordered phase" : "predicted \(stored.parameterName)"
        var graph = Onnx_GraphProto()
        graph.name = stored.name
        graph.node = built.nodes
        graph.initializer = built.initializers
        graph.input = [ONNXGraph.valueInfo(ONNXGraph.inputName, elementType: type, dims: [.symbolic("batch")] + lattice.map { .fixed($0) },
                                           doc: "configurations as /configurations of a run file holds them, one per batch entry, "
                                           + "as \(stored.precision.rawValue); the normalisation is part of the graph")]
        graph.output = [ONNXGraph.valueInfo(ONNXGraph.outputName, elementType: type, dims: [.symbolic("batch")],
                                            doc: "\(meaning), per configuration: /models/\(stored.name)/predictions")]
        graph.docString = "Model \(stored.name) of \(modelPath): " + stored.layers.map(\.description).joined(separator: ", ")
        let metadata: [(String, String)] = [
            ("model_file", modelPath), ("model", stored.name), ("architecture", stored.layers.map(\.description).joined(separator: "\n")),
            ("precision", stored.precision.rawValue), ("loss", stored.loss.rawValue), ("label", stored.label.rawValue),
            ("parameter", stored.parameterName), ("prediction", meaning), ("input_normalization", stored.normalization.description),
            ("input_shift", "\(stored.normalization.shift)"), ("input_scale", "\(stored.normalization.scale)"),
            ("input_per_sample_rms", "\(stored.normalization.perSampleRMS)"),
        ]
        return Self.envelope(graph, doc: "A network trained by Ensemble, exported by `ensemble export`; output: \(meaning).", metadata: metadata)
    }

    /// The model message around `graph`: versions, producer, `doc`, and `metadata` with the commit
    /// of the exporting build.
    static func envelope(_ graph: Onnx_GraphProto, doc: String, metadata: [(String, String)]) -> Onnx_ModelProto {
        var model = Onnx_ModelProto()
        model.irVersion = Int64(Self.irVersion)
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = Int64(Self.opset)
        model.opsetImport = [opset]
        model.producerName = "ensemble"
        model.producerVersion = Provenance.version
        model.docString = doc
        model.graph = graph
        model.metadataProps = (metadata + [("git_commit", Provenance.gitCommit)]).map { key, value in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = value
            return entry
        }
        return model
    }
}
