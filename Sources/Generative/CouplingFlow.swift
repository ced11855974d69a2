import Foundation
import Learning
import Numerics

/// A normalizing flow φ = f(z) from a standard normal prior on every site to a lattice field: a
/// stack of affine couplings whose frozen checkerboard parity alternates, so that after two layers
/// every site has been updated. log q(φ) = log r(z) − log|det ∂f/∂z|, exact.
public final class CouplingFlow<Scalar: NetworkScalar> {
    /// The lattice extents.
    public let extents: [Int]
    /// The couplings, in the order z passes through them.
    public let couplings: [AffineCoupling<Scalar>]
    /// The architecture, for the model file.
    public let architecture: FlowArchitecture

    /// A flow of `architecture` on `extents`; its parameters are all zero (see `initializeParameters`).
    public init(extents: [Int], architecture: FlowArchitecture) throws(ArchitectureError) {
        self.extents = extents
        self.architecture = architecture
        var couplings: [AffineCoupling<Scalar>] = []
        for k in 0..<architecture.couplings {
            couplings.append(try AffineCoupling(extents: extents, frozenParity: k % 2, specifications: architecture.network))
        }
        self.couplings = couplings
    }

    /// Sites of one field.
    public var sites: Int { extents.reduce(1, *) }
    /// Parameters of all couplings.
    public var parameterCount: Int { couplings.reduce(0) { $0 + $1.parameterCount } }

    /// All parameters, coupling after coupling (the layout of gradients and checkpoints).
    public var parameters: [Scalar] {
        get { couplings.flatMap(\.network.parameters) }
        set {
            precondition(newValue.count == parameterCount, "CouplingFlow: \(newValue.count) parameters, expected \(parameterCount)")
            var offset = 0
            for coupling in couplings {
                coupling.network.parameters = Array(newValue[offset..<(offset + coupling.parameterCount)])
                offset += coupling.parameterCount
            }
        }
    }

    /// Draws the networks' weights from `seed` (coupling k from its own stream). With
    /// `identity`, each network's last layer with parameters starts at zero, so s = t = 0 and the
    /// untrained flow is the identity: q is the prior, and training starts from there.
    public func initializeParameters(seed: UInt64, identity: Bool) {
        for (k, coupling) in couplings.enumerated() {
            let network = coupling.network
            network.initializeParameters(seed: seed &+ UInt64(k) &* 0x9E37_79B9_7F4A_7C15)
            if identity, let last = network.parameterRanges.lastIndex(where: { !$0.isEmpty }) {
                for i in network.parameterRanges[last] { network.parameters[i] = 0 }
            }
        }
    }

    /// Pushes prior draws `fields` (`batch × sites`) through the flow in place, z → φ, and returns
    /// log q(φ) of each.
    public func forward(_ fields: UnsafeMutableBufferPointer<Scalar>, batch: Int) -> [Double] {
        var logQ = (0..<batch).map { Self.logPrior(UnsafeBufferPointer(rebasing: fields[($0 * sites)..<(($0 + 1) * sites)])) }
        var logDeterminant = [Double](repeating: 0, count: batch)
        for coupling in couplings { coupling.forward(fields, batch: batch, logDeterminant: &logDeterminant) }
        for b in 0..<batch { logQ[b] -= logDeterminant[b] }
        return logQ
    }

    /// Maps fields back in place, φ → z, and returns log q(φ) of each.
    public func inverse(_ fields: UnsafeMutableBufferPointer<Scalar>, batch: Int) -> [Double] {
        var logDeterminant = [Double](repeating: 0, count: batch)
        for coupling in couplings.reversed() { coupling.inverse(fields, batch: batch, logDeterminant: &logDeterminant) }
        // logDeterminant now holds −log|det ∂φ/∂z|.
        return (0..<batch).map { Self.logPrior(UnsafeBufferPointer(rebasing: fields[($0 * sites)..<(($0 + 1) * sites)])) + logDeterminant[$0] }
    }

    /// Back-propagates through the last `forward`: given ∂L/∂φ (`fieldGradient`, used as scratch)
    /// and ∂L/∂(log q) of each field, writes ∂L/∂parameters (laid out as `parameters`).
    public func backward(_ fieldGradient: UnsafeMutableBufferPointer<Scalar>, logDensityGradient: [Scalar],
                         parameterGradient: UnsafeMutableBufferPointer<Scalar>) {
        // log q = log r(z) − Σ log det: each coupling's log det enters with the opposite sign.
        let logDeterminantGradient = logDensityGradient.map { -$0 }
        var end = parameterCount
        for coupling in couplings.reversed() {
            let start = end - coupling.parameterCount
            coupling.backward(fieldGradient, logDeterminantGradient: logDeterminantGradient,
                              parameterGradient: UnsafeMutableBufferPointer(rebasing: parameterGradient[start..<end]))
            end = start
        }
    }

    /// log r(z) of the standard normal prior: −½ Σ z² − (V/2) log 2π.
    public static func logPrior(_ z: UnsafeBufferPointer<Scalar>) -> Double {
        var sum = 0.0
        for x in z { sum += Double(x) * Double(x) }
        return -0.5 * sum - 0.5 * Double(z.count) * log(2 * Double.pi)
    }

    /// Fills `fields` (`count × sites`) with prior draws: field j from the substream (seed,
    /// `purpose`, step, site = first + j), so a draw depends on its index alone, not on the rank.
    public func drawPrior(_ fields: UnsafeMutableBufferPointer<Scalar>, count: Int, first: Int, seed: UInt64,
                          purpose: RandomStream.Purpose, step: Int) {
        for j in 0..<count {
            var random = RandomStream(seed: seed, purpose: purpose, step: step, site: first + j)
            for i in 0..<sites { fields[j * sites + i] = Scalar(random.normal()) }
        }
    }
}

/// A coupling flow's shape: how many couplings, and each one's network.
public struct FlowArchitecture: Sendable, Equatable {
    /// Coupling layers; the frozen parity alternates, starting with even sites frozen.
    public var couplings: Int
    /// Each coupling's network from `[1, L₀, L₁]` to `[2, L₀, L₁]`.
    public var network: [LayerSpecification]

    /// `couplings` layers, each with the network `network` (as a model file stores it).
    public init(couplings: Int, network: [LayerSpecification]) {
        self.couplings = couplings
        self.network = network
    }

    /// `couplings` layers, each with periodic convolutions of `hidden` channels (kernel `kernel`,
    /// `activation` after each) and a last convolution to s and t through tanh, as in the
    /// reference implementation of Albergo et al. (arXiv 2101.08176).
    public init(couplings: Int, hidden: [Int], kernel: Int, activation: ActivationFunction = .tanh) {
        self.couplings = couplings
        network = hidden.flatMap { [.convolution2D(channels: $0, kernel: kernel, initialization: .he), .activation(activation)] }
            + [.convolution2D(channels: 2, kernel: kernel, initialization: .glorot), .activation(.tanh)]
    }
}
