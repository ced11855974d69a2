// Global average pooling makes a convolutional stack independent of the lattice size: each channel
// becomes its mean over the sites, which is also translation invariant, as the physics is.

import Numerics

/// `[channels, sites…]` to `[channels]`, each channel averaged over its sites.
public final class GlobalAveragePooling<Scalar: NetworkScalar>: Layer {
    /// The job-file form, `global_average_pool`.
    public var specification: LayerSpecification { .globalAveragePool }
    /// `[channels, sites…]`, at least two dimensions.
    public let inputShape: [Int]
    /// `[channels]`.
    public let outputShape: [Int]
    /// Zero: pooling has no parameters.
    public var parameterCount: Int { 0 }
    private let channels: Int
    private let sites: Int

    /// Pools samples of `inputShape` = `[channels, sites…]` (at least two dimensions).
    public init(inputShape: [Int]) {
        precondition(inputShape.count >= 2, "global_average_pool needs [channels, sites…], got \(inputShape)")
        self.inputShape = inputShape
        self.channels = inputShape[0]
        self.sites = inputShape.dropFirst().reduce(1, *)
        self.outputShape = [channels]
    }

    /// Does nothing: there are no parameters.
    public func initialize(_ parameters: UnsafeMutableBufferPointer<Scalar>, random: RandomStream) {}

    /// Each sample's channels averaged over their sites.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ input: UnsafeBufferPointer<Scalar>, output: UnsafeMutableBufferPointer<Scalar>, batch: Int,
                        parameters: UnsafeBufferPointer<Scalar>, pass: Pass) {
        checkBuffers(batch: batch, input: input.count, output: output.count, parameters: parameters.count)
        let scale = 1 / Scalar(sites)
        for plane in 0..<(batch * channels) {
            var sum: Scalar = 0
            let base = plane * sites
            for s in 0..<sites { sum += input[base + s] }
            output[plane] = sum * scale
        }
    }

    /// Spreads each channel's ∂L/∂output, divided by the number of sites, evenly over its sites, if asked.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(input: UnsafeBufferPointer<Scalar>, output: UnsafeBufferPointer<Scalar>,
                         outputGradient: UnsafeBufferPointer<Scalar>, inputGradient: UnsafeMutableBufferPointer<Scalar>?,
                         batch: Int, parameters: UnsafeBufferPointer<Scalar>,
                         parameterGradient: UnsafeMutableBufferPointer<Scalar>, pass: Pass) {
        checkBuffers(batch: batch, input: input.count, output: outputGradient.count, parameters: parameterGradient.count,
                     inputGradient: inputGradient?.count)
        guard let inputGradient else { return }
        let scale = 1 / Scalar(sites)
        for plane in 0..<(batch * channels) {
            let g = outputGradient[plane] * scale
            let base = plane * sites
            for s in 0..<sites { inputGradient[base + s] = g }
        }
    }
}
