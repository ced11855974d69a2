// Elementwise activations. The function is switched on once per call, outside the element loop,
// so each loop is a plain arithmetic kernel the compiler can vectorise where libm allows.

import Numerics

/// An elementwise nonlinearity (ReLU, tanh, exact GELU, sigmoid) on any shape.
public final class Activation<Scalar: NetworkScalar>: Layer {
    /// The job-file form: the function's name, e.g. `relu`.
    public let specification: LayerSpecification
    /// The shape of one sample, any rank.
    public let inputShape: [Int]
    /// The input's shape: the function acts elementwise.
    public var outputShape: [Int] { inputShape }
    /// Zero: an activation has no parameters.
    public var parameterCount: Int { 0 }
    /// The function applied to each element.
    public let function: ActivationFunction
    private let size: Int

    /// `function` applied elementwise to samples of `inputShape`.
    public init(inputShape: [Int], function: ActivationFunction) {
        self.inputShape = inputShape
        self.function = function
        self.size = inputShape.reduce(1, *)
        self.specification = .activation(function)
    }

    /// Does nothing: there are no parameters.
    public func initialize(_ parameters: UnsafeMutableBufferPointer<Scalar>, random: RandomStream) {}

    /// Applies `function` to each of the `batch × inputSize` elements; GELU is the exact x·Φ(x), not the tanh form.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ input: UnsafeBufferPointer<Scalar>, output: UnsafeMutableBufferPointer<Scalar>, batch: Int,
                        parameters: UnsafeBufferPointer<Scalar>, pass: Pass) {
        checkBuffers(batch: batch, input: input.count, output: output.count, parameters: parameters.count)
        let n = batch * size
        switch function {
        case .relu:
            for i in 0..<n { output[i] = Swift.max(input[i], 0) }
        case .tanh:
            for i in 0..<n { output[i] = Scalar.hyperbolicTangent(input[i]) }
        case .gelu:
            for i in 0..<n { output[i] = input[i] * Scalar.normalCDF(input[i]) }
        case .sigmoid:
            for i in 0..<n { output[i] = Scalar.logistic(input[i]) }
        }
    }

    /// ∂L/∂input = f′(x)·∂L/∂output elementwise, if asked (tanh′ and sigmoid′ taken from `output`); no parameters.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(input: UnsafeBufferPointer<Scalar>, output: UnsafeBufferPointer<Scalar>,
                         outputGradient: UnsafeBufferPointer<Scalar>, inputGradient: UnsafeMutableBufferPointer<Scalar>?,
                         batch: Int, parameters: UnsafeBufferPointer<Scalar>,
                         parameterGradient: UnsafeMutableBufferPointer<Scalar>, pass: Pass) {
        checkBuffers(batch: batch, input: input.count, output: outputGradient.count, parameters: parameterGradient.count,
                     inputGradient: inputGradient?.count)
        guard let inputGradient else { return }
        let n = batch * size
        switch function {
        case .relu:
            for i in 0..<n { inputGradient[i] = input[i] > 0 ? outputGradient[i] : 0 }
        case .tanh:
            // From the output: tanh' = 1 − tanh², no second libm call.
            for i in 0..<n { inputGradient[i] = outputGradient[i] * (1 - output[i] * output[i]) }
        case .gelu:
            for i in 0..<n {
                let x = input[i]
                inputGradient[i] = outputGradient[i] * (Scalar.normalCDF(x) + x * Scalar.normalDensity(x))
            }
        case .sigmoid:
            for i in 0..<n { inputGradient[i] = outputGradient[i] * output[i] * (1 - output[i]) }
        }
    }
}
