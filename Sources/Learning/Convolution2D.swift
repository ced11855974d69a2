// The periodic 2-D convolution, the hot path of training on lattices. Each group of samples is
// expanded into a column matrix (PeriodicColumns) and multiplied by the weights in one gemm; the
// backward pass re-expands the columns rather than keeping them from forward, since re-expanding is
// a few copies and keeps the workspace to one group instead of the whole batch.

import Numerics

/// `[C, X, Y]` to `[channels, X, Y]`: a k×k window (k odd), stride 1, periodic boundaries.
public final class Convolution2D<Scalar: NetworkScalar>: Layer {
    public let specification: LayerSpecification
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let parameterCount: Int
    /// Output channels.
    public let channels: Int
    /// The window's side.
    public let kernel: Int
    /// How the weights start.
    public let initialization: Initialization
    /// Samples expanded and multiplied together; tuned on the training benchmark's shapes.
    public var samplesPerGEMM = 1
    private let geometry: PeriodicColumns
    private let columns = Workspace<Scalar>()
    private let staging = Workspace<Scalar>()

    /// A convolution of samples `[C, X, Y]` to `channels` output channels with a `kernel`×`kernel`
    /// window. Parameters: weight `[channels, C, kernel, kernel]`, then bias `[channels]`.
    public init(inputShape: [Int], channels: Int, kernel: Int, initialization: Initialization) {
        precondition(inputShape.count == 3 && inputShape.allSatisfy { $0 > 0 } && channels > 0,
                     "conv2d: bad shapes \(inputShape) → \(channels) channels")
        precondition(kernel % 2 == 1 && kernel <= inputShape[1] && kernel <= inputShape[2],
                     "conv2d: kernel \(kernel) must be odd and fit the \(inputShape[1])×\(inputShape[2]) lattice")
        self.inputShape = inputShape
        self.outputShape = [channels, inputShape[1], inputShape[2]]
        self.channels = channels
        self.kernel = kernel
        self.initialization = initialization
        self.geometry = PeriodicColumns(channels: inputShape[0], x: inputShape[1], y: inputShape[2], kernel: kernel)
        self.parameterCount = channels * geometry.rows + channels
        self.specification = .convolution2D(channels: channels, kernel: kernel, initialization: initialization)
    }

    public func initialize(_ parameters: UnsafeMutableBufferPointer<Scalar>, random: RandomStream) {
        precondition(parameters.count == parameterCount, "conv2d: \(parameters.count) parameters, expected \(parameterCount)")
        let weightCount = channels * geometry.rows
        initialization.fill(weights: UnsafeMutableBufferPointer(rebasing: parameters[0..<weightCount]),
                            biases: UnsafeMutableBufferPointer(rebasing: parameters[weightCount...]),
                            fanIn: geometry.rows, fanOut: channels * kernel * kernel, random: random)
    }

    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func forward(_ input: UnsafeBufferPointer<Scalar>, output: UnsafeMutableBufferPointer<Scalar>, batch: Int,
                        parameters: UnsafeBufferPointer<Scalar>, pass: Pass) {
        checkSizes(input: input.count, output: output.count, parameters: parameters.count, batch: batch)
        let sites = geometry.sites, rows = geometry.rows, inputSize = geometry.channels * sites, outputSize = channels * sites
        let group = Swift.max(1, Swift.min(samplesPerGEMM, batch))
        let columns = self.columns.reserve(rows * group * sites)
        let staging = group > 1 ? self.staging.reserve(channels * group * sites) : columns
        let weights = UnsafeBufferPointer(rebasing: parameters[0..<(channels * rows)])
        let bias = parameters.baseAddress! + channels * rows
        var first = 0
        while first < batch {
            let count = Swift.min(group, batch - first), ld = count * sites
            for s in 0..<count {
                geometry.expand(input.baseAddress! + (first + s) * inputSize, into: columns.baseAddress! + s * sites, ld: ld)
            }
            let columnMatrix = UnsafeBufferPointer(rebasing: columns[0..<(rows * ld)])
            if count == 1 {
                // One sample: its output block is already the gemm's [channels, sites] result.
                let out = UnsafeMutableBufferPointer(rebasing: output[(first * outputSize)..<((first + 1) * outputSize)])
                for f in 0..<channels {
                    out.baseAddress!.advanced(by: f * sites).update(repeating: bias[f], count: sites)
                }
                Scalar.gemm(transA: .none, transB: .none, m: channels, n: sites, k: rows, alpha: 1, a: weights, lda: nil,
                            b: columnMatrix, ldb: nil, beta: 1, c: out, ldc: nil)
            } else {
                let result = UnsafeMutableBufferPointer(rebasing: staging[0..<(channels * ld)])
                Scalar.gemm(transA: .none, transB: .none, m: channels, n: ld, k: rows, alpha: 1, a: weights, lda: nil,
                            b: columnMatrix, ldb: nil, beta: 0, c: result, ldc: nil)
                for s in 0..<count {
                    for f in 0..<channels {
                        let source = result.baseAddress! + f * ld + s * sites
                        let target = output.baseAddress! + (first + s) * outputSize + f * sites
                        let b = bias[f]
                        for i in 0..<sites { target[i] = source[i] + b }
                    }
                }
            }
            first += count
        }
    }

    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public func backward(input: UnsafeBufferPointer<Scalar>, output: UnsafeBufferPointer<Scalar>,
                         outputGradient: UnsafeBufferPointer<Scalar>, inputGradient: UnsafeMutableBufferPointer<Scalar>?,
                         batch: Int, parameters: UnsafeBufferPointer<Scalar>,
                         parameterGradient: UnsafeMutableBufferPointer<Scalar>, pass: Pass) {
        checkSizes(input: input.count, output: outputGradient.count, parameters: parameterGradient.count, batch: batch)
        if let inputGradient { precondition(inputGradient.count == input.count, "conv2d: input gradient has \(inputGradient.count) elements") }
        let sites = geometry.sites, rows = geometry.rows, inputSize = geometry.channels * sites, outputSize = channels * sites
        let group = Swift.max(1, Swift.min(samplesPerGEMM, batch))
        let columns = self.columns.reserve(rows * group * sites)
        let staging = group > 1 ? self.staging.reserve(channels * group * sites) : columns
        let weights = UnsafeBufferPointer(rebasing: parameters[0..<(channels * rows)])
        let weightGradient = UnsafeMutableBufferPointer(rebasing: parameterGradient[0..<(channels * rows)])
        let biasGradient = parameterGradient.baseAddress! + channels * rows
        biasGradient.update(repeating: 0, count: channels)
        var first = 0
        while first < batch {
            let count = Swift.min(group, batch - first), ld = count * sites
            for s in 0..<count {
                geometry.expand(input.baseAddress! + (first + s) * inputSize, into: columns.baseAddress! + s * sites, ld: ld)
            }
            // dY of the group as a [channels, count·sites] matrix: in place for one sample, gathered otherwise.
            let gradientMatrix: UnsafeBufferPointer<Scalar>
            if count == 1 {
                gradientMatrix = UnsafeBufferPointer(rebasing: outputGradient[(first * outputSize)..<((first + 1) * outputSize)])
            } else {
                for s in 0..<count {
                    for f in 0..<channels {
                        (staging.baseAddress! + f * ld + s * sites)
                            .update(from: outputGradient.baseAddress! + (first + s) * outputSize + f * sites, count: sites)
                    }
                }
                gradientMatrix = UnsafeBufferPointer(rebasing: staging[0..<(channels * ld)])
            }
            for f in 0..<channels {
                var sum: Scalar = 0
                let row = gradientMatrix.baseAddress! + f * ld
                for i in 0..<ld { sum += row[i] }
                biasGradient[f] += sum
            }
            Scalar.gemm(transA: .none, transB: .transposed, m: channels, n: rows, k: ld, alpha: 1,
                        a: gradientMatrix, lda: nil, b: UnsafeBufferPointer(rebasing: columns[0..<(rows * ld)]), ldb: nil,
                        beta: first == 0 ? 0 : 1, c: weightGradient, ldc: nil)
            if let inputGradient {
                // The columns are spent, so their buffer takes ∂L/∂columns = Wᵀ·dY.
                let columnGradient = UnsafeMutableBufferPointer(rebasing: columns[0..<(rows * ld)])
                Scalar.gemm(transA: .transposed, transB: .none, m: rows, n: ld, k: channels, alpha: 1,
                            a: weights, lda: nil, b: gradientMatrix, ldb: nil, beta: 0, c: columnGradient, ldc: nil)
                for s in 0..<count {
                    let target = inputGradient.baseAddress! + (first + s) * inputSize
                    target.update(repeating: 0, count: inputSize)
                    geometry.accumulate(UnsafePointer(columnGradient.baseAddress! + s * sites), ld: ld, into: target)
                }
            }
            first += count
        }
    }

    private func checkSizes(input: Int, output: Int, parameters: Int, batch: Int) {
        precondition(input == batch * geometry.channels * geometry.sites && output == batch * channels * geometry.sites
                     && parameters == parameterCount,
                     "conv2d: buffers of \(input), \(output), \(parameters) elements for batch \(batch) of \(inputShape) → \(outputShape)")
    }
}
