// The periodic 2-D convolution, the hot path of training on lattices. All three products are gemms
// of the same shape, [channels, k²·channels'] × [k²·channels', sites], over columns made by
// PeriodicColumns from the input (forward, ∂L/∂W) or from ∂L/∂output (∂L/∂input, which is the
// correlation of ∂L/∂output with the flipped, transposed kernel). Writing ∂L/∂input that way needs
// no col2im scatter-add and no zeroing. The bias rides along as a row of ones under the columns.
// Backward re-expands the input instead of keeping the forward columns: a few copies from cache,
// where keeping them would stream k²× the activations through memory.

import Numerics

/// `[C, X, Y]` to `[channels, X, Y]`: a k×k window (k odd), stride 1, periodic boundaries.
public final class Convolution2D<Scalar: NetworkScalar>: Layer {
    /// The job-file form, `conv2d channels=… kernel=…`, with `init=glorot` unless He.
    public let specification: LayerSpecification
    /// `[C, X, Y]`: input channels and the lattice's sides.
    public let inputShape: [Int]
    /// `[channels, X, Y]`: the same lattice, `channels` output channels.
    public let outputShape: [Int]
    /// channels·C·kernel² weights plus `channels` biases.
    public let parameterCount: Int
    /// Output channels.
    public let channels: Int
    /// The window's side.
    public let kernel: Int
    /// How the weights start.
    public let initialization: Initialization
    /// Samples whose columns go through one gemm: enough to give each gemm about 1024 columns, since
    /// smaller gemms lose to call overhead and larger ones push the columns out of cache.
    public var samplesPerGEMM: Int
    /// Windows over the input (rows (c, dx, dy), then the row of ones for the bias).
    private let inputColumns: PeriodicColumns
    /// Windows over ∂L/∂output, for ∂L/∂input.
    private let gradientColumns: PeriodicColumns
    private let columns = Workspace<Scalar>()
    private let staging = Workspace<Scalar>()
    /// [channels, rows + 1]: the weights with the bias as a last column.
    private let augmented = Workspace<Scalar>()
    /// [rows + 1, channels]: their gradient, transposed, as OpenBLAS packs the columns 1.6× faster
    /// for that product than for the untransposed one.
    private let augmentedGradient = Workspace<Scalar>()
    /// [C, channels·k²]: the kernel transposed over channels and flipped in space, for ∂L/∂input.
    private let flipped = Workspace<Scalar>()

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
        self.inputColumns = PeriodicColumns(channels: inputShape[0], x: inputShape[1], y: inputShape[2], kernel: kernel)
        self.gradientColumns = PeriodicColumns(channels: channels, x: inputShape[1], y: inputShape[2], kernel: kernel)
        self.parameterCount = channels * inputColumns.rows + channels
        self.samplesPerGEMM = Swift.max(1, 1024 / inputColumns.sites)
        self.specification = .convolution2D(channels: channels, kernel: kernel, initialization: initialization)
    }

    /// Draws the weights with fan-in C·kernel² and fan-out channels·kernel², and zeroes the biases.
    public func initialize(_ parameters: UnsafeMutableBufferPointer<Scalar>, random: RandomStream) {
        precondition(parameters.count == parameterCount, "conv2d: \(parameters.count) parameters, expected \(parameterCount)")
        let weightCount = channels * inputColumns.rows
        initialization.fill(weights: UnsafeMutableBufferPointer(rebasing: parameters[0..<weightCount]),
                            biases: UnsafeMutableBufferPointer(rebasing: parameters[weightCount...]),
                            fanIn: inputColumns.rows, fanOut: channels * kernel * kernel, random: random)
    }

    /// Expands up to `samplesPerGEMM` samples' periodic windows into columns and multiplies by [W | b] in one gemm per group.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ input: UnsafeBufferPointer<Scalar>, output: UnsafeMutableBufferPointer<Scalar>, batch: Int,
                        parameters: UnsafeBufferPointer<Scalar>, pass: Pass) {
        checkBuffers(batch: batch, input: input.count, output: output.count, parameters: parameters.count)
        let sites = inputColumns.sites, rows = inputColumns.rows, outputSize = channels * sites
        let group = Swift.max(1, Swift.min(samplesPerGEMM, batch))
        let weights = augmented.reserve(channels * (rows + 1))
        for f in 0..<channels {
            (weights.baseAddress! + f * (rows + 1)).update(from: parameters.baseAddress! + f * rows, count: rows)
            weights[f * (rows + 1) + rows] = parameters[channels * rows + f]
        }
        let columns = self.columns.reserve(columnCount(group))
        let staging = self.staging.reserve(group > 1 ? Swift.max(channels, inputColumns.channels) * group * sites : 0)
        var first = 0
        while first < batch {
            let count = Swift.min(group, batch - first), ld = count * sites
            let matrix = expandInputs(input, first: first, count: count, into: columns)
            let result = count == 1 ? UnsafeMutableBufferPointer(rebasing: output[(first * outputSize)..<((first + 1) * outputSize)])
                                    : UnsafeMutableBufferPointer(rebasing: staging[0..<(channels * ld)])
            Scalar.gemm(transA: .none, transB: .none, m: channels, n: ld, k: rows + 1, alpha: 1, a: UnsafeBufferPointer(weights),
                        lda: nil, b: matrix, ldb: nil, beta: 0, c: result, ldc: nil)
            if count > 1 { Self.unstack(UnsafeBufferPointer(result), rows: channels, samples: count, sites: sites,
                                        into: output.baseAddress! + first * outputSize) }
            first += count
        }
    }

    /// ∂L/∂[W | b] by one gemm per group of columns; ∂L/∂input, if asked, by the flipped kernel over ∂L/∂output's windows.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(input: UnsafeBufferPointer<Scalar>, output: UnsafeBufferPointer<Scalar>,
                         outputGradient: UnsafeBufferPointer<Scalar>, inputGradient: UnsafeMutableBufferPointer<Scalar>?,
                         batch: Int, parameters: UnsafeBufferPointer<Scalar>,
                         parameterGradient: UnsafeMutableBufferPointer<Scalar>, pass: Pass) {
        checkBuffers(batch: batch, input: input.count, output: outputGradient.count, parameters: parameterGradient.count,
                     inputGradient: inputGradient?.count)
        let sites = inputColumns.sites, rows = inputColumns.rows, c = inputColumns.channels
        let inputSize = c * sites, outputSize = channels * sites, window = kernel * kernel
        let group = Swift.max(1, Swift.min(samplesPerGEMM, batch))
        let columns = self.columns.reserve(columnCount(group))
        let staging = self.staging.reserve(group > 1 ? Swift.max(channels, c) * group * sites : 0)
        let weightGradient = augmentedGradient.reserve(channels * (rows + 1))
        // flipped[c, (f, d')] = W[f, c, k²−1−d']: the kernel of the adjoint (transposed) convolution.
        let flipped = self.flipped.reserve(c * gradientColumns.rows)
        for ci in 0..<c {
            for f in 0..<channels {
                let source = parameters.baseAddress! + (f * c + ci) * window, target = flipped.baseAddress! + ci * gradientColumns.rows + f * window
                for d in 0..<window { target[d] = source[window - 1 - d] }
            }
        }
        var first = 0
        while first < batch {
            let count = Swift.min(group, batch - first), ld = count * sites
            let matrix = expandInputs(input, first: first, count: count, into: columns)
            // ∂L/∂output of the group as one [channels, count·sites] matrix.
            let gradient: UnsafeBufferPointer<Scalar>
            if count == 1 {
                gradient = UnsafeBufferPointer(rebasing: outputGradient[(first * outputSize)..<((first + 1) * outputSize)])
            } else {
                Self.stack(outputGradient.baseAddress! + first * outputSize, rows: channels, samples: count, sites: sites, into: staging.baseAddress!)
                gradient = UnsafeBufferPointer(rebasing: staging[0..<(channels * ld)])
            }
            // [∂L/∂W | ∂L/∂b]ᵀ += [columns; 1] · dYᵀ, summing over sites and samples.
            Scalar.gemm(transA: .none, transB: .transposed, m: rows + 1, n: channels, k: ld, alpha: 1, a: matrix, lda: nil,
                        b: gradient, ldb: nil, beta: first == 0 ? 0 : 1, c: weightGradient, ldc: nil)
            if let inputGradient {
                for s in 0..<count {
                    gradientColumns.expand(outputGradient.baseAddress! + (first + s) * outputSize,
                                           into: columns.baseAddress! + s * sites, ld: ld)
                }
                let result = count == 1 ? UnsafeMutableBufferPointer(rebasing: inputGradient[(first * inputSize)..<((first + 1) * inputSize)])
                                        : UnsafeMutableBufferPointer(rebasing: staging[0..<(c * ld)])
                Scalar.gemm(transA: .none, transB: .none, m: c, n: ld, k: gradientColumns.rows, alpha: 1,
                            a: UnsafeBufferPointer(flipped), lda: nil,
                            b: UnsafeBufferPointer(rebasing: columns[0..<(gradientColumns.rows * ld)]), ldb: nil,
                            beta: 0, c: result, ldc: nil)
                if count > 1 { Self.unstack(UnsafeBufferPointer(result), rows: c, samples: count, sites: sites,
                                            into: inputGradient.baseAddress! + first * inputSize) }
            }
            first += count
        }
        for f in 0..<channels {
            for r in 0...rows { parameterGradient[r < rows ? f * rows + r : channels * rows + f] = weightGradient[r * channels + f] }
        }
    }

    /// Elements of the column workspace for `group` samples: input windows plus the ones row, or
    /// the gradient's windows, whichever is larger.
    private func columnCount(_ group: Int) -> Int {
        Swift.max(inputColumns.rows + 1, gradientColumns.rows) * group * inputColumns.sites
    }

    /// Expands samples first..<first+count side by side and appends the row of ones; returns the
    /// [rows + 1, count·sites] matrix.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func expandInputs(_ input: UnsafeBufferPointer<Scalar>, first: Int, count: Int,
                              into columns: UnsafeMutableBufferPointer<Scalar>) -> UnsafeBufferPointer<Scalar> {
        let sites = inputColumns.sites, rows = inputColumns.rows, ld = count * sites
        for s in 0..<count {
            inputColumns.expand(input.baseAddress! + (first + s) * inputColumns.channels * sites,
                                into: columns.baseAddress! + s * sites, ld: ld)
        }
        (columns.baseAddress! + rows * ld).update(repeating: 1, count: ld)
        return UnsafeBufferPointer(rebasing: columns[0..<((rows + 1) * ld)])
    }

    /// [samples, rows, sites] → [rows, samples·sites].
    private static func stack(_ source: UnsafePointer<Scalar>, rows: Int, samples: Int, sites: Int, into target: UnsafeMutablePointer<Scalar>) {
        for s in 0..<samples {
            for r in 0..<rows { (target + (r * samples + s) * sites).update(from: source + (s * rows + r) * sites, count: sites) }
        }
    }

    /// [rows, samples·sites] → [samples, rows, sites].
    private static func unstack(_ source: UnsafeBufferPointer<Scalar>, rows: Int, samples: Int, sites: Int, into target: UnsafeMutablePointer<Scalar>) {
        for s in 0..<samples {
            for r in 0..<rows { (target + (s * rows + r) * sites).update(from: source.baseAddress! + (r * samples + s) * sites, count: sites) }
        }
    }
}
