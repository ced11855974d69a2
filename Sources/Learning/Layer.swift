// The layer protocol: a layer is a function of a batch of samples and a slice of the network's flat
// parameter vector. Layers own no parameters, so the trainer can broadcast, average, checkpoint and
// update one contiguous buffer, and gradients fill a buffer of the same layout.

import Numerics

/// What a forward or backward pass is for, and the keys of its random numbers.
public struct Pass: Sendable {
    /// True while training (dropout active); false for validation and prediction.
    public var training: Bool
    /// The run's seed.
    public var seed: UInt64
    /// The training step: with the layer and sample id it keys dropout masks, so they do not
    /// depend on how the batch was split over ranks.
    public var step: Int
    /// The id of each sample of the batch (its index in the dataset), in batch order.
    public var sampleIDs: [Int]
    /// The index of the layer being called; set by `Network` before each call.
    public var layer: Int = 0

    /// A pass over samples `sampleIDs`.
    public init(training: Bool, seed: UInt64 = 0, step: Int = 0, sampleIDs: [Int]) {
        self.training = training
        self.seed = seed
        self.step = step
        self.sampleIDs = sampleIDs
    }

    /// An inference pass (no dropout) over `batch` samples, numbered from 0.
    public static func inference(batch: Int) -> Pass {
        Pass(training: false, sampleIDs: Array(0..<batch))
    }
}

/// One differentiable stage of a network, on batches laid out sample-major (`[batch, inputShape…]`).
///
/// A layer may keep workspaces between `forward` and the following `backward` (im2col columns,
/// dropout masks), so each instance serves one pass at a time.
public protocol Layer<Scalar>: AnyObject {
    /// The element type.
    associatedtype Scalar: NetworkScalar
    /// What the job file said, e.g. `conv2d channels=16 kernel=3`.
    var specification: LayerSpecification { get }
    /// The shape of one input sample, e.g. `[channels, x, y]` or `[features]`.
    var inputShape: [Int] { get }
    /// The shape of one output sample.
    var outputShape: [Int] { get }
    /// How many entries of the network's parameter vector this layer uses.
    var parameterCount: Int { get }

    /// Fills this layer's parameters with their initial values drawn from `random` (He or Glorot
    /// normal weights, zero biases).
    func initialize(_ parameters: UnsafeMutableBufferPointer<Scalar>, random: RandomStream)

    /// Computes `output` (`batch × outputShape`) from `input` (`batch × inputShape`).
    func forward(_ input: UnsafeBufferPointer<Scalar>, output: UnsafeMutableBufferPointer<Scalar>, batch: Int,
                 parameters: UnsafeBufferPointer<Scalar>, pass: Pass)

    /// Given ∂L/∂output, overwrites `parameterGradient` with ∂L/∂parameters summed over the batch
    /// and, unless nil, `inputGradient` with ∂L/∂input. `input` and `output` are those of the
    /// preceding `forward` with the same batch and pass.
    func backward(input: UnsafeBufferPointer<Scalar>, output: UnsafeBufferPointer<Scalar>,
                  outputGradient: UnsafeBufferPointer<Scalar>, inputGradient: UnsafeMutableBufferPointer<Scalar>?,
                  batch: Int, parameters: UnsafeBufferPointer<Scalar>,
                  parameterGradient: UnsafeMutableBufferPointer<Scalar>, pass: Pass)
}

extension Layer {
    /// Elements in one input sample.
    public var inputSize: Int { inputShape.reduce(1, *) }
    /// Elements in one output sample.
    public var outputSize: Int { outputShape.reduce(1, *) }
}
