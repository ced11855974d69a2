import Foundation
import Learning
import Store

/// A trained model as stored under `/models/NAME` of a training run file: the flat parameter vector,
/// the same weights per layer (shaped, for h5py users), and as attributes everything needed to
/// rebuild and apply it: architecture, input shape, precision, loss, labels and input normalisation.
struct StoredModel {
    let name: String
    let layers: [LayerSpecification]
    let inputShape: [Int]
    let precision: Precision
    let loss: Loss
    let label: TrainJob.LabelKind
    let parameterName: String
    let boundary: Double?
    let orderedBelow: Bool
    let normalization: InputNormalization
    /// The flat parameters, widened to Double for storage-independent use.
    let parameters: [Double]

    /// Writes the model into `group`. Collective (rank 0's values; all ranks pass the same).
    static func write<Scalar: NetworkScalar & StorableScalar>(_ network: Network<Scalar>, name: String, job: TrainJob,
                                                              parameterName: String, normalization: InputNormalization,
                                                              into group: Group) throws {
        try group.setAttribute("architecture", network.specifications.map(\.description).joined(separator: "\n"))
        try group.setAttribute("input_shape", network.inputShape.map(Int64.init))
        try group.setAttribute("precision", Scalar.precisionName)
        try group.setAttribute("loss", job.loss(of: name).rawValue)
        try group.setAttribute("label", job.labelKind.rawValue)
        try group.setAttribute("parameter", parameterName)
        if let boundary = job.data.boundary, job.labelKind == .phase {
            try group.setAttribute("boundary", boundary)
            try group.setAttribute("ordered", job.orderedBelow ? "below" : "above")
        }
        try group.setAttribute("input_shift", normalization.shift)
        try group.setAttribute("input_scale", normalization.scale)
        try group.setAttribute("input_per_sample_rms", normalization.perSampleRMS)
        try group.setAttribute("input_normalization", normalization.description)
        let parameters = try group.createDataset("parameters", of: Scalar.self, shape: [network.parameterCount])
        try parameters.writeFromRoot(network.parameters)
        try Meaning(units: "1", longName: "every parameter of the network, layer by layer: weights then biases").write(to: parameters)
        try group.nameAxes(of: parameters, ["parameter"], root: group)
        let layers = try group.createGroup("layers")
        for (index, layer) in network.layers.enumerated() where layer.parameterCount > 0 {
            let shapes = weightShapes(layer.specification, inputShape: layer.inputShape)
            let range = network.parameterRanges[index]
            let g = try layers.createGroup(String(format: "%02d_%@", index, String(layer.specification.description.split(separator: " ")[0])))
            try g.setAttribute("layer", layer.specification.description)
            let weights = shapes.weight.reduce(1, *)
            let weight = try g.createDataset("weight", of: Scalar.self, shape: shapes.weight)
            try weight.writeFromRoot(Array(network.parameters[range.lowerBound..<(range.lowerBound + weights)]))
            let bias = try g.createDataset("bias", of: Scalar.self, shape: shapes.bias)
            try bias.writeFromRoot(Array(network.parameters[(range.lowerBound + weights)..<range.upperBound]))
            // Each layer's axes are its own (layers differ in width), so their scales live in its group.
            let axes = weightAxes(layer.specification)
            for (name, length) in zip(axes, shapes.weight) { _ = try g.dimensionScale(name, length: length) }
            try g.nameAxes(of: weight, axes, root: g)
            try g.nameAxes(of: bias, [axes[0]], root: g)
        }
    }

    /// The names of a weight's axes, as `weightShapes` orders them.
    static func weightAxes(_ specification: LayerSpecification) -> [String] {
        if case .convolution2D = specification { return ["output_channel", "input_channel", "kernel_row", "kernel_column"] }
        return ["output", "input"]
    }

    /// The shapes of a layer's weight and bias in the flat layout the layers use.
    static func weightShapes(_ specification: LayerSpecification, inputShape: [Int]) -> (weight: [Int], bias: [Int]) {
        switch specification {
        case let .dense(units, _): return ([units, inputShape.reduce(1, *)], [units])
        case let .convolution2D(channels, kernel, _): return ([channels, inputShape[0], kernel, kernel], [channels])
        default: return ([0], [0])
        }
    }

    /// Reads every model of a training run file (or only `name`); the errors say what is wrong.
    static func read(_ path: String, name: String? = nil) throws(JobError) -> [StoredModel] {
        try ResultSeal.read(path, as: "a model file") { root in
            guard root.hasAttribute("kind"), case .text("train") = try root.attribute("kind"), root.contains("models") else {
                throw JobError(file: path, "is not a model file (a completed run of a train job)")
            }
            guard case .boolean(true) = try root.attribute("completed") else {
                throw JobError(file: path, "is not a completed training run")
            }
            let models = try root.openGroup("models")
            let names = try models.members().filter { $0.kind == .group }.map(\.name)
            if let name, !names.contains(name) {
                throw JobError(file: path, key: "--model", "\"\(name)\" is not in the file; it holds \(names.joined(separator: ", "))")
            }
            return try names.filter { name == nil || $0 == name }.map { try readModel(models.openGroup($0), name: $0, path: path) }
        }
    }

    private static func readModel(_ group: Group, name: String, path: String) throws -> StoredModel {
        func text(_ key: String) throws -> String {
            guard case let .text(value) = try group.attribute(key) else { throw JobError(file: path, key: "models/\(name)@\(key)", "missing or not text") }
            return value
        }
        func real(_ key: String) throws -> Double {
            guard case let .real(value) = try group.attribute(key) else { throw JobError(file: path, key: "models/\(name)@\(key)", "missing or not a number") }
            return value
        }
        func flag(_ key: String) throws -> Bool {
            guard case let .boolean(value) = try group.attribute(key) else { throw JobError(file: path, key: "models/\(name)@\(key)", "missing or not a boolean") }
            return value
        }
        guard case let .integers(shape) = try group.attribute("input_shape") else {
            throw JobError(file: path, key: "models/\(name)@input_shape", "missing")
        }
        let layers = try text("architecture").split(separator: "\n").map { try LayerSpecification(parsing: String($0)) }
        guard let loss = Loss(rawValue: try text("loss")), let label = TrainJob.LabelKind(rawValue: try text("label")) else {
            throw JobError(file: path, key: "models/\(name)", "unknown loss or label")
        }
        guard let precision = Precision(rawValue: try text("precision")) else {
            throw JobError(file: path, key: "models/\(name)@precision", "must be one of \(Precision.validWords)")
        }
        return StoredModel(name: name, layers: layers, inputShape: shape.map(Int.init), precision: precision, loss: loss,
                           label: label, parameterName: try text("parameter"),
                           boundary: group.hasAttribute("boundary") ? try real("boundary") : nil,
                           orderedBelow: group.hasAttribute("ordered") ? try text("ordered") == "below" : true,
                           normalization: InputNormalization(shift: try real("input_shift"), scale: try real("input_scale"),
                                                             perSampleRMS: try flag("input_per_sample_rms")),
                           parameters: try group.openDataset("parameters").readAll(Double.self))
    }

    /// The network with these weights, in `Scalar`.
    func network<Scalar: NetworkScalar>(_: Scalar.Type) throws -> Network<Scalar> {
        let network = try Network<Scalar>(inputShape: inputShape, specifications: layers)
        guard network.parameterCount == parameters.count else {
            throw JobError(file: name, "holds \(parameters.count) parameters; its architecture needs \(network.parameterCount)")
        }
        network.parameters = parameters.map { Scalar($0) }
        return network
    }
}
