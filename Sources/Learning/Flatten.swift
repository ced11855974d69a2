// Flatten changes only the shape: the sample-major buffer is already laid out as [batch, features],
// so forward and backward are copies (the network gives each layer its own output buffer).

import Numerics

/// Any shape to `[features]`, the same numbers in the same order.
public final class Flatten<Scalar: NetworkScalar>: Layer {
    /// The job-file form, `flatten`.
    public var specification: LayerSpecification { .flatten }
    /// The shape of one input sample, any rank.
    public let inputShape: [Int]
    /// `[inputSize]`.
    public let outputShape: [Int]
    /// Zero: flattening has no parameters.
    public var parameterCount: Int { 0 }

    /// Flattens samples of `inputShape` to `[inputShape.product]`.
    public init(inputShape: [Int]) {
        self.inputShape = inputShape
        self.outputShape = [inputShape.reduce(1, *)]
    }

    /// Does nothing: there are no parameters.
    public func initialize(_ parameters: UnsafeMutableBufferPointer<Scalar>, random: RandomStream) {}

    /// Copies the input: the sample-major buffer is already `[batch, features]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ input: UnsafeBufferPointer<Scalar>, output: UnsafeMutableBufferPointer<Scalar>, batch: Int,
                        parameters: UnsafeBufferPointer<Scalar>, pass: Pass) {
        checkBuffers(batch: batch, input: input.count, output: output.count, parameters: parameters.count)
        _ = output.update(fromContentsOf: input)
    }

    /// Copies ∂L/∂output into ∂L/∂input, if asked.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(input: UnsafeBufferPointer<Scalar>, output: UnsafeBufferPointer<Scalar>,
                         outputGradient: UnsafeBufferPointer<Scalar>, inputGradient: UnsafeMutableBufferPointer<Scalar>?,
                         batch: Int, parameters: UnsafeBufferPointer<Scalar>,
                         parameterGradient: UnsafeMutableBufferPointer<Scalar>, pass: Pass) {
        checkBuffers(batch: batch, input: input.count, output: outputGradient.count, parameters: parameterGradient.count,
                     inputGradient: inputGradient?.count)
        guard let inputGradient else { return }
        _ = inputGradient.update(fromContentsOf: outputGradient)
    }
}
