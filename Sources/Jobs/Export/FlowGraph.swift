// A trained coupling flow as ONNX operators, computing what `CouplingFlow` computes: in the
// sampling direction a prior draw z through every coupling to φ = f(z) with log q(φ), in the
// density direction a field φ back through the couplings in reverse to z = f⁻¹(φ) with log q(φ).
// log q is summed in float64 whatever the flow's precision, as the Swift flow sums it.

import Foundation
import Generative
import Learning

/// Which way an exported flow runs.
public enum FlowDirection: String, CaseIterable, Sendable {
    /// prior draws z in; fields φ = f(z) and log q(φ) out: a sampler.
    case sample
    /// fields φ in; z = f⁻¹(φ) and log q(φ) out: the density of given fields.
    case density

    /// The graph's input and its field output, by name.
    var names: (input: String, output: String) { self == .sample ? ("prior", "fields") : ("fields", "prior") }
}

extension ONNXGraph {
    /// The output holding log q of each field, `[batch]`, always float64.
    static let logDensityName = "log_density"

    /// log r(z) of the standard normal prior on every site, `[batch]` in float64:
    /// −½ Σ z² − (V/2) log 2π.
    mutating func logPrior(_ z: String, sites: Int) -> String {
        let z64 = asFloat64(z)
        let sum = node("ReduceSum", [node("Mul", [z64, z64]), integers("lattice_axes", [1, 2])], [.int("keepdims", 0)])
        let half = node("Mul", [sum, float64Constant("minus_half", [-0.5], dims: [])])
        return node("Add", [half, float64Constant("log_normalization", [-0.5 * Double(sites) * log(2 * Double.pi)], dims: [])])
    }

    /// A checkerboard's constants: 1 at the frozen sites in the model's type (to mask the
    /// network's input), and the same as booleans (to choose between kept and updated sites).
    struct Checkerboard {
        let mask: String, isFrozen: String
    }

    /// The constants of the checkerboard that freezes the sites with (x₀ + x₁) % 2 == `parity`.
    mutating func checkerboard(parity: Int, extents: [Int]) -> Checkerboard {
        let frozen = (0..<(extents[0] * extents[1])).map { ($0 / extents[1] + $0 % extents[1]) % 2 == parity }
        return Checkerboard(mask: constant("frozen_sites", frozen.map { $0 ? 1 : 0 }, dims: extents),
                            isFrozen: booleans("is_frozen", frozen, dims: extents))
    }

    /// Appends one affine coupling to `x` (`[batch, L₀, L₁]`): (s, t) from its network of the
    /// frozen sites, then on the other sites x·e^s + t (`inverse`: (x − t)·e^{−s}). Returns the
    /// new fields and Σ s over the updated sites, `[batch]` in float64.
    mutating func coupling(_ x: String, _ coupling: AffineCoupling<Double>, _ board: Checkerboard, inverse: Bool)
        -> (fields: String, logDeterminant: String) {
        var h = node("Unsqueeze", [node("Mul", [x, board.mask]), integers("channel_axis", [1])])
        let network = coupling.network
        for (index, layer) in network.layers.enumerated() {
            let parameters = network.parameters[network.parameterRanges[index]]
            h = self.layer(layer.specification, h, inputShape: layer.inputShape, parameters: parameters).output
        }
        let s = node("Gather", [h, integers("s_channel", [0], dims: [])], [.int("axis", 1)])
        let t = node("Gather", [h, integers("t_channel", [1], dims: [])], [.int("axis", 1)])
        let updated = inverse ? node("Mul", [node("Sub", [x, t]), node("Exp", [node("Neg", [s])])])
                              : node("Add", [node("Mul", [x, node("Exp", [s])]), t])
        let fields = node("Where", [board.isFrozen, x, updated])
        let counted = node("Where", [board.isFrozen, float64Constant("zero", [0], dims: []), asFloat64(s)])
        return (fields, node("ReduceSum", [counted, integers("lattice_axes", [1, 2])], [.int("keepdims", 0)]))
    }

    /// Appends the whole flow in `direction` to the input `x`, naming its outputs: the fields
    /// (`prior` or `fields`) and `log_density`.
    mutating func flow(_ x: String, _ flow: CouplingFlow<Double>, direction: FlowDirection) {
        var x = x, logDeterminants: [String] = []
        // The two checkerboards once each, not once per coupling: on a large lattice they are most of the constants.
        let boards = [checkerboard(parity: 0, extents: flow.extents), checkerboard(parity: 1, extents: flow.extents)]
        let couplings = direction == .sample ? flow.couplings : flow.couplings.reversed()
        for coupling in couplings {
            let step = self.coupling(x, coupling, boards[coupling.frozenParity], inverse: direction == .density)
            x = step.fields
            logDeterminants.append(step.logDeterminant)
        }
        // log q = log r(z) − Σ_couplings Σ s, with z the input (sampling) or the output (density).
        let total = logDeterminants.dropFirst().reduce(logDeterminants[0]) { node("Add", [$0, $1]) }
        let prior = logPrior(direction == .sample ? direction.names.input : x, sites: flow.sites)
        node("Sub", [prior, total], output: Self.logDensityName)
        node("Identity", [x], output: direction.names.output)
    }
}
