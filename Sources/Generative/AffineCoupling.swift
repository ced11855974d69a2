import Learning

/// One affine coupling layer of a flow on a 2-D periodic lattice (Albergo, Kanwar, Shanahan 2019):
/// the sites of one checkerboard parity stay frozen, and every other site is mapped as
/// x′ = x·e^{s} + t, where s and t are read from a small periodic convolutional network of the
/// frozen sites alone. Its Jacobian is triangular, so log|det| = Σ s over the updated sites, exactly.
public final class AffineCoupling<Scalar: NetworkScalar> {
    /// The network from the frozen sites `[1, L₀, L₁]` to `[2, L₀, L₁]`: s (channel 0) and t (channel 1).
    public let network: Network<Scalar>
    /// The parity (x₀ + x₁ mod 2) of the frozen sites.
    public let frozenParity: Int
    /// 1 at frozen sites, 0 at updated ones.
    private let frozen: [Scalar]
    private let sites: Int
    /// The last forward pass's input and the network's output (s, t), kept for `backward`.
    private var input: [Scalar] = []
    private var shiftAndScale: [Scalar] = []
    private var batch = 0
    /// Workspaces kept between calls (the hot path of training allocates nothing once a batch size
    /// is seen): the masked input, and ∂L/∂(s, t) whose frozen-site entries stay 0.
    private var masked: [Scalar] = []
    private var outputGradient: [Scalar] = []
    private var inputGradient: [Scalar] = []

    /// A coupling on `extents` whose network is `specifications` (ending in 2 channels).
    public init(extents: [Int], frozenParity: Int, specifications: [LayerSpecification]) throws(ArchitectureError) {
        guard extents.count == 2, extents.allSatisfy({ $0 >= 2 && $0 % 2 == 0 }) else {
            throw ArchitectureError("a coupling flow needs a 2-D lattice with even extents, got \(extents)")
        }
        network = try Network(inputShape: [1] + extents, specifications: specifications)
        guard network.outputShape == [2] + extents else {
            throw ArchitectureError("the coupling network must end with 2 channels (s and t) on the lattice, not \(network.outputShape)")
        }
        self.frozenParity = frozenParity
        sites = extents[0] * extents[1]
        frozen = (0..<sites).map { ($0 / extents[1] + $0 % extents[1]) % 2 == frozenParity ? 1 : 0 }
    }

    /// Parameters of the network.
    public var parameterCount: Int { network.parameterCount }

    /// Maps `fields` (`batch × sites`) forward in place, x → x′, and adds log|det ∂x′/∂x| of each
    /// field to `logDeterminant`. Keeps what `backward` needs.
    public func forward(_ fields: UnsafeMutableBufferPointer<Scalar>, batch: Int, logDeterminant: inout [Double]) {
        run(fields, batch: batch)
        input.replaceSubrange(input.indices, with: fields)
        shiftAndScale.withUnsafeBufferPointer { out in
            for b in 0..<batch {
                var sum = 0.0
                for i in 0..<sites where frozen[i] == 0 {
                    let s = out[b * 2 * sites + i], t = out[b * 2 * sites + sites + i]
                    fields[b * sites + i] = fields[b * sites + i] * Scalar.exponential(s) + t
                    sum += Double(s)
                }
                logDeterminant[b] += sum
            }
        }
    }

    /// Maps `fields` back in place, x′ → x, and subtracts log|det ∂x′/∂x| of each from `logDeterminant`.
    public func inverse(_ fields: UnsafeMutableBufferPointer<Scalar>, batch: Int, logDeterminant: inout [Double]) {
        run(fields, batch: batch)
        shiftAndScale.withUnsafeBufferPointer { out in
            for b in 0..<batch {
                var sum = 0.0
                for i in 0..<sites where frozen[i] == 0 {
                    let s = out[b * 2 * sites + i], t = out[b * 2 * sites + sites + i]
                    fields[b * sites + i] = (fields[b * sites + i] - t) * Scalar.exponential(-s)
                    sum += Double(s)
                }
                logDeterminant[b] -= sum
            }
        }
    }

    /// Given ∂L/∂x′ in `fieldGradient` (overwritten with ∂L/∂x) and ∂L/∂(log det) of each field,
    /// writes ∂L/∂(network parameters) into `parameterGradient`. Follows the last `forward`.
    public func backward(_ fieldGradient: UnsafeMutableBufferPointer<Scalar>, logDeterminantGradient: [Scalar],
                         parameterGradient: UnsafeMutableBufferPointer<Scalar>) {
        let n = sites
        if outputGradient.count != batch * 2 * n {
            outputGradient = [Scalar](repeating: 0, count: batch * 2 * n)
            inputGradient = [Scalar](repeating: 0, count: batch * n)
        }
        shiftAndScale.withUnsafeBufferPointer { out in
            for b in 0..<batch {
                for i in 0..<n where frozen[i] == 0 {
                    let g = fieldGradient[b * n + i], e = Scalar.exponential(out[b * 2 * n + i])
                    outputGradient[b * 2 * n + i] = g * input[b * n + i] * e + logDeterminantGradient[b]
                    outputGradient[b * 2 * n + n + i] = g
                    fieldGradient[b * n + i] = g * e
                }
            }
        }
        outputGradient.withUnsafeBufferPointer { og in
            inputGradient.withUnsafeMutableBufferPointer { ig in
                network.backward(og, pass: .inference(batch: batch), gradients: parameterGradient, inputGradient: ig)
            }
        }
        // The network saw the frozen sites only: its input gradient counts there alone.
        for b in 0..<batch {
            for i in 0..<n where frozen[i] == 1 { fieldGradient[b * n + i] += inputGradient[b * n + i] }
        }
    }

    /// Runs the network on the frozen sites of `fields` into `shiftAndScale`.
    private func run(_ fields: UnsafeMutableBufferPointer<Scalar>, batch: Int) {
        self.batch = batch
        if masked.count != batch * sites { masked = [Scalar](repeating: 0, count: batch * sites) }
        for b in 0..<batch {
            for i in 0..<sites { masked[b * sites + i] = fields[b * sites + i] * frozen[i] }
        }
        if shiftAndScale.count != batch * 2 * sites { shiftAndScale = [Scalar](repeating: 0, count: batch * 2 * sites) }
        masked.withUnsafeBufferPointer { m in
            shiftAndScale.withUnsafeMutableBufferPointer { out in
                network.forward(m, batch: batch, pass: .inference(batch: batch), output: out)
            }
        }
    }
}
