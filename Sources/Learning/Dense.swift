// The fully connected layer. The whole batch goes through one gemm each way, so the per-sample cost
// is BLAS's and the layer itself only adds the bias loops.

import Numerics

/// Fully connected: `units` outputs from the flattened input, Y = X·Wᵀ + b.
public final class Dense<Scalar: NetworkScalar>: Layer {
    /// The job-file form, `dense units=…`, with `init=glorot` unless He.
    public let specification: LayerSpecification
    /// The shape of one input sample, any rank; read as `inputSize` flat features.
    public let inputShape: [Int]
    /// `[units]`.
    public let outputShape: [Int]
    /// units·inputSize weights plus `units` biases.
    public let parameterCount: Int
    /// Output features.
    public let units: Int
    /// How the weights start.
    public let initialization: Initialization
    private let features: Int

    /// A layer from `inputShape` (any shape, flattened) to `[units]`. Parameters: weight
    /// `[units, inputSize]` row-major, then bias `[units]`.
    public init(inputShape: [Int], units: Int, initialization: Initialization) {
        precondition(units > 0 && !inputShape.isEmpty && inputShape.allSatisfy { $0 > 0 },
                     "Dense: bad shape \(inputShape) → \(units)")
        self.inputShape = inputShape
        self.units = units
        self.initialization = initialization
        self.features = inputShape.reduce(1, *)
        self.outputShape = [units]
        self.parameterCount = units * features + units
        self.specification = .dense(units: units, initialization: initialization)
    }

    /// Draws the weights with fan-in `inputSize` and fan-out `units`, and zeroes the biases.
    public func initialize(_ parameters: UnsafeMutableBufferPointer<Scalar>, random: RandomStream) {
        precondition(parameters.count == parameterCount, "Dense: \(parameters.count) parameters, expected \(parameterCount)")
        let weightCount = units * features
        initialization.fill(weights: UnsafeMutableBufferPointer(rebasing: parameters[0..<weightCount]),
                            biases: UnsafeMutableBufferPointer(rebasing: parameters[weightCount...]),
                            fanIn: features, fanOut: units, random: random)
    }

    /// Y = X·Wᵀ + b for the whole batch in one gemm, accumulated onto rows preset to the bias.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ input: UnsafeBufferPointer<Scalar>, output: UnsafeMutableBufferPointer<Scalar>, batch: Int,
                        parameters: UnsafeBufferPointer<Scalar>, pass: Pass) {
        checkBuffers(batch: batch, input: input.count, output: output.count, parameters: parameters.count)
        let weightCount = units * features
        // Start every row at the bias so the gemm accumulates onto it (β = 1).
        for sample in 0..<batch {
            for unit in 0..<units { output[sample * units + unit] = parameters[weightCount + unit] }
        }
        Scalar.gemm(transA: .none, transB: .transposed, m: batch, n: units, k: features, alpha: 1,
                    a: input, lda: nil, b: parameters, ldb: features, beta: 1, c: output, ldc: nil)
    }

    /// ∂L/∂W = dYᵀ·X and ∂L/∂b = Σ dY over the batch; ∂L/∂X = dY·W if asked. One gemm per product.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(input: UnsafeBufferPointer<Scalar>, output: UnsafeBufferPointer<Scalar>,
                         outputGradient: UnsafeBufferPointer<Scalar>, inputGradient: UnsafeMutableBufferPointer<Scalar>?,
                         batch: Int, parameters: UnsafeBufferPointer<Scalar>,
                         parameterGradient: UnsafeMutableBufferPointer<Scalar>, pass: Pass) {
        checkBuffers(batch: batch, input: input.count, output: outputGradient.count, parameters: parameterGradient.count,
                     inputGradient: inputGradient?.count)
        let weightCount = units * features
        // ∂L/∂W = dYᵀ·X, summed over the batch by the gemm's inner dimension.
        Scalar.gemm(transA: .transposed, transB: .none, m: units, n: features, k: batch, alpha: 1,
                    a: outputGradient, lda: nil, b: input, ldb: nil, beta: 0, c: parameterGradient, ldc: nil)
        for unit in 0..<units { parameterGradient[weightCount + unit] = 0 }
        for sample in 0..<batch {
            for unit in 0..<units { parameterGradient[weightCount + unit] += outputGradient[sample * units + unit] }
        }
        if let inputGradient {
            Scalar.gemm(transA: .none, transB: .none, m: batch, n: features, k: units, alpha: 1,
                        a: outputGradient, lda: nil, b: parameters, ldb: nil, beta: 0, c: inputGradient, ldc: nil)
        }
    }
}
