// A network is a chain of layers over one flat parameter vector. The flat layout (layer by layer,
// in forward order) is what makes data parallelism simple: one broadcast of the initial weights,
// gradient buckets that are plain slices, a checkpoint that is one dataset, and an optimiser that
// never needs to know about layers.

import Numerics

/// A feed-forward network: layers built from their specifications, parameters in one flat vector.
public final class Network<Scalar: NetworkScalar> {
    /// The shape of one input sample, e.g. `[1, 32, 32]`.
    public let inputShape: [Int]
    /// The architecture, as text layers.
    public let specifications: [LayerSpecification]
    /// The layers, in forward order.
    public let layers: [any Layer<Scalar>]
    /// Where each layer's parameters sit in `parameters`.
    public let parameterRanges: [Range<Int>]
    /// All parameters, layer by layer.
    public var parameters: [Scalar]

    /// Activations: `[0]` holds the input batch, `[i + 1]` the output of layer i.
    private var activations: [UnsafeMutableBufferPointer<Scalar>]
    /// Two ping-pong buffers for ∂L/∂activation during backward.
    private var gradientFront: UnsafeMutableBufferPointer<Scalar>
    private var gradientBack: UnsafeMutableBufferPointer<Scalar>
    /// One layer's parameter gradient before it is added in, when backward accumulates.
    private var scratch = UnsafeMutableBufferPointer<Scalar>(start: nil, count: 0)
    /// The batch size the buffers hold.
    private var capacity = 0
    /// The batch of the last forward pass, which backward needs.
    private var lastBatch = 0

    /// Builds the layers for samples of `inputShape`; the error names the first layer that does not fit.
    public init(inputShape: [Int], specifications: [LayerSpecification]) throws(ArchitectureError) {
        guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }) else {
            throw ArchitectureError("input shape \(inputShape) must have positive extents")
        }
        guard !specifications.isEmpty else { throw ArchitectureError("a network needs at least one layer") }
        var layers: [any Layer<Scalar>] = []
        var ranges: [Range<Int>] = []
        var shape = inputShape, offset = 0
        for (index, specification) in specifications.enumerated() {
            let layer: any Layer<Scalar>
            do {
                layer = try specification.makeLayer(inputShape: shape, as: Scalar.self)
            } catch {
                throw ArchitectureError("layer \(index + 1) (\(specification)): \(error.description)")
            }
            layers.append(layer)
            ranges.append(offset..<(offset + layer.parameterCount))
            offset += layer.parameterCount
            shape = layer.outputShape
        }
        self.inputShape = inputShape
        self.specifications = specifications
        self.layers = layers
        self.parameterRanges = ranges
        self.parameters = [Scalar](repeating: 0, count: offset)
        self.activations = Array(repeating: UnsafeMutableBufferPointer(start: nil, count: 0), count: layers.count + 1)
        self.gradientFront = UnsafeMutableBufferPointer(start: nil, count: 0)
        self.gradientBack = UnsafeMutableBufferPointer(start: nil, count: 0)
    }

    deinit {
        release()
        scratch.deallocate()
    }

    /// Elements in one input sample.
    public var inputSize: Int { inputShape.reduce(1, *) }
    /// The shape of one output sample.
    public var outputShape: [Int] { layers.last!.outputShape }
    /// Elements in one output sample.
    public var outputSize: Int { layers.last!.outputSize }
    /// The number of parameters.
    public var parameterCount: Int { parameters.count }

    /// Draws every layer's initial parameters from the `learningInitialization` streams of `seed`
    /// (replica = layer index), so the weights depend on the seed alone.
    public func initializeParameters(seed: UInt64) {
        parameters.withUnsafeMutableBufferPointer { all in
            for (index, layer) in layers.enumerated() {
                let range = parameterRanges[index]
                let slice = UnsafeMutableBufferPointer(rebasing: all[range])
                layer.initialize(slice, random: RandomStream(seed: seed, purpose: .learningInitialization, replica: index))
            }
        }
    }

    /// Runs the batch `input` (`batch × inputSize`) through every layer and copies the result
    /// (`batch × outputSize`) into `output`. Keeps the activations for `backward`.
    public func forward(_ input: UnsafeBufferPointer<Scalar>, batch: Int, pass: Pass,
                        output: UnsafeMutableBufferPointer<Scalar>) {
        precondition(batch > 0 && input.count == batch * inputSize,
                     "Network.forward: \(input.count) inputs for a batch of \(batch) samples of \(inputSize)")
        precondition(output.count == batch * outputSize,
                     "Network.forward: output has \(output.count) elements, expected \(batch * outputSize)")
        reserve(batch)
        lastBatch = batch
        _ = UnsafeMutableBufferPointer(rebasing: activations[0][0..<input.count]).initialize(fromContentsOf: input)
        var pass = pass
        parameters.withUnsafeBufferPointer { all in
            for (index, layer) in layers.enumerated() {
                pass.layer = index
                layer.forward(UnsafeBufferPointer(rebasing: activations[index][0..<(batch * layer.inputSize)]),
                              output: UnsafeMutableBufferPointer(rebasing: activations[index + 1][0..<(batch * layer.outputSize)]),
                              batch: batch, parameters: UnsafeBufferPointer(rebasing: all[parameterRanges[index]]), pass: pass)
            }
        }
        let last = activations[layers.count]
        _ = output.initialize(fromContentsOf: UnsafeBufferPointer(rebasing: last[0..<output.count]))
    }

    /// Back-propagates ∂L/∂output of the last `forward` (same pass) and overwrites `gradients`
    /// (laid out as `parameters`) with ∂L/∂parameters, or adds them to it with `accumulate`
    /// (micro-batches). Calls `layerFinished(i)` as soon as layer i's gradients are final, last
    /// layer first, so a trainer can start reducing them while earlier layers are still being
    /// differentiated. Unless nil, `inputGradient` (`batch × inputSize`) receives ∂L/∂input, for
    /// a network whose input is itself computed (the coupling layers of a flow).
    public func backward(_ outputGradient: UnsafeBufferPointer<Scalar>, pass: Pass,
                         gradients: UnsafeMutableBufferPointer<Scalar>, accumulate: Bool = false,
                         inputGradient: UnsafeMutableBufferPointer<Scalar>? = nil,
                         layerFinished: (Int) -> Void = { _ in }) {
        let batch = lastBatch
        precondition(batch > 0, "Network.backward without a forward pass")
        precondition(outputGradient.count == batch * outputSize,
                     "Network.backward: \(outputGradient.count) output gradients, expected \(batch * outputSize)")
        precondition(gradients.count == parameterCount,
                     "Network.backward: gradient buffer has \(gradients.count) elements, expected \(parameterCount)")
        precondition(inputGradient.map { $0.count == batch * inputSize } ?? true,
                     "Network.backward: input gradient has \(inputGradient?.count ?? 0) elements, expected \(batch * inputSize)")
        _ = UnsafeMutableBufferPointer(rebasing: gradientFront[0..<outputGradient.count]).initialize(fromContentsOf: outputGradient)
        if accumulate && scratch.count != parameterCount {
            scratch.deallocate()
            scratch = .allocate(capacity: parameterCount)
            scratch.initialize(repeating: 0)
        }
        let scratch = self.scratch
        var pass = pass
        parameters.withUnsafeBufferPointer { all in
            for index in layers.indices.reversed() {
                let layer = layers[index]
                pass.layer = index
                let layerInputGradient = index == 0 ? inputGradient
                    : UnsafeMutableBufferPointer(rebasing: gradientBack[0..<(batch * layer.inputSize)])
                layer.backward(input: UnsafeBufferPointer(rebasing: activations[index][0..<(batch * layer.inputSize)]),
                               output: UnsafeBufferPointer(rebasing: activations[index + 1][0..<(batch * layer.outputSize)]),
                               outputGradient: UnsafeBufferPointer(rebasing: gradientFront[0..<(batch * layer.outputSize)]),
                               inputGradient: layerInputGradient, batch: batch,
                               parameters: UnsafeBufferPointer(rebasing: all[parameterRanges[index]]),
                               parameterGradient: UnsafeMutableBufferPointer(rebasing: (accumulate ? scratch : gradients)[parameterRanges[index]]),
                               pass: pass)
                if accumulate {
                    for i in parameterRanges[index] { gradients[i] += scratch[i] }
                }
                layerFinished(index)
                swap(&gradientFront, &gradientBack)
            }
        }
    }

    /// Grows the activation and gradient buffers to hold `batch` samples.
    private func reserve(_ batch: Int) {
        guard batch > capacity else { return }
        release()
        let sizes = [inputSize] + layers.map(\.outputSize)
        activations = sizes.map { size in
            let b = UnsafeMutableBufferPointer<Scalar>.allocate(capacity: batch * size)
            b.initialize(repeating: 0)
            return b
        }
        let widest = sizes.max()! * batch
        gradientFront = .allocate(capacity: widest)
        gradientFront.initialize(repeating: 0)
        gradientBack = .allocate(capacity: widest)
        gradientBack.initialize(repeating: 0)
        capacity = batch
    }

    private func release() {
        guard capacity > 0 else { return }
        for buffer in activations { buffer.deallocate() }
        gradientFront.deallocate()
        gradientBack.deallocate()
        capacity = 0
    }
}
