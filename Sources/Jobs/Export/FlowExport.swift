// A trained flow as an ONNX model: a sampler (z → φ, log q) or a density (φ → z, log q), so that
// a Python user draws fields, or weighs given ones, without Ensemble; the exact Metropolis
// correction then needs only the φ⁴ action, whose form and couplings the metadata carries.

import Generative
import ONNX

extension ModelExport {
    /// The ONNX model of a stored flow in `direction`.
    func build(_ stored: FlowModel.Stored, direction: FlowDirection) throws(JobError) -> (Onnx_ModelProto, [String]) {
        let flow = try stored.flow(Double.self, path: modelPath)
        var built = ONNXGraph(precision: stored.precision)
        built.flow(direction.names.input, flow, direction: direction)
        let type = ONNXGraph.elementType(stored.precision), lattice = flow.extents.map { ONNXGraph.Dimension.fixed($0) }
        let meaning: [String: String] = [
            "prior": "prior draws z, independent standard normal on every site",
            "fields": "fields phi in the hopping form, as /configurations of a phi4 run holds them",
        ]
        var graph = Onnx_GraphProto()
        graph.name = "flow"
        graph.node = built.nodes
        graph.initializer = built.initializers
        graph.input = [ONNXGraph.valueInfo(direction.names.input, elementType: type, dims: [.symbolic("batch")] + lattice,
                                           doc: "\(meaning[direction.names.input]!), as \(stored.precision.rawValue)")]
        graph.output = [
            ONNXGraph.valueInfo(direction.names.output, elementType: type, dims: [.symbolic("batch")] + lattice,
                                doc: direction == .sample ? "phi = f(z): \(meaning["fields"]!)" : "z = f^-1(phi)"),
            ONNXGraph.valueInfo(ONNXGraph.logDensityName, elementType: ONNXGraph.elementType(.float64), dims: [.symbolic("batch")],
                                doc: "log q(phi) = log r(z) - log|det df/dz| of each field, in float64"),
        ]
        let network = stored.architecture.network.map(\.description).joined(separator: ", ")
        graph.docString = "The flow of \(modelPath): \(stored.architecture.couplings) affine checkerboard couplings, each with the network \(network)"
        let metadata: [(String, String)] = [
            ("model_file", modelPath), ("model", "flow"), ("direction", direction.rawValue),
            ("extents", stored.extents.map(String.init).joined(separator: ",")), ("couplings", "\(stored.architecture.couplings)"),
            ("network", network), ("precision", stored.precision.rawValue),
            ("masks", "checkerboard; coupling k freezes the sites with (x0 + x1) % 2 == k % 2"),
            ("coupling_map", "x' = x exp(s) + t on the sites not frozen; (s, t) = network(frozen sites), channels 0 and 1"),
            ("prior", "independent standard normal on every site"),
            ("kappa", "\(stored.couplings.kappa)"), ("lambda", "\(stored.couplings.lambda)"),
            ("target_action", "S = sum_x [ -2 kappa sum_mu phi_x phi_{x+mu} + phi_x^2 + lambda (phi_x^2 - 1)^2 ], periodic"),
            ("reweighting", "log w = -S(phi) - log_density; independence Metropolis accepts with min(1, w'/w)"),
        ]
        let doc = "A normalizing flow trained by Ensemble toward phi^4 at kappa = \(stored.couplings.kappa), lambda = \(stored.couplings.lambda), "
            + "exported by `ensemble export` in the \(direction.rawValue) direction: \(direction.names.input) in, \(direction.names.output) and log_density out."
        return (Self.envelope(graph, doc: doc, metadata: metadata), [])
    }
}
