// Dropout whose mask is a pure function of (seed, layer, step, sample id): each sample draws from its
// own random substream, so a sample is masked the same way whichever rank holds it and however the
// batch is split, and a resumed run masks exactly as the uninterrupted one would have.

import Numerics

/// While training, keeps each element with probability 1 − rate, scaled by 1/(1 − rate); identity otherwise.
public final class Dropout<Scalar: NetworkScalar>: Layer {
    /// The job-file form, `dropout rate=…`.
    public var specification: LayerSpecification { .dropout(rate: rate) }
    /// The shape of one sample, any rank.
    public let inputShape: [Int]
    /// The input's shape: dropout acts elementwise.
    public var outputShape: [Int] { inputShape }
    /// Zero: dropout has no parameters.
    public var parameterCount: Int { 0 }
    /// The probability of zeroing an element while training.
    public let rate: Double
    private let size: Int
    /// The mask of the last training forward pass (0 or 1/(1 − rate) per element), for backward.
    private let mask = Workspace<Scalar>()
    private let uniforms = Workspace<Double>()
    private var maskBatch = 0

    /// Dropout with probability `rate` (0 ≤ rate < 1) on samples of `inputShape`.
    public init(inputShape: [Int], rate: Double) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1), got \(rate)")
        self.inputShape = inputShape
        self.rate = rate
        self.size = inputShape.reduce(1, *)
    }

    /// Does nothing: there are no parameters.
    public func initialize(_ parameters: UnsafeMutableBufferPointer<Scalar>, random: RandomStream) {}

    /// Training: masks each sample from a stream keyed by (seed, layer, step, sample id), keeping the mask. Otherwise a copy.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ input: UnsafeBufferPointer<Scalar>, output: UnsafeMutableBufferPointer<Scalar>, batch: Int,
                        parameters: UnsafeBufferPointer<Scalar>, pass: Pass) {
        checkBuffers(batch: batch, input: input.count, output: output.count, parameters: parameters.count)
        let n = batch * size
        guard pass.training else {
            _ = output.update(fromContentsOf: input)
            return
        }
        precondition(pass.sampleIDs.count == batch, "dropout: \(pass.sampleIDs.count) sample ids for a batch of \(batch)")
        let keep = 1 - rate
        let scale = Scalar(1 / keep)
        let mask = self.mask.reserve(n), u = uniforms.reserve(size)
        for sample in 0..<batch {
            var random = RandomStream(seed: pass.seed, purpose: .learningDropout, replica: pass.layer,
                                      step: pass.step, site: pass.sampleIDs[sample])
            random.fillUniforms(u)
            let base = sample * size
            for j in 0..<size {
                let m: Scalar = u[j] < keep ? scale : 0
                mask[base + j] = m
                output[base + j] = input[base + j] * m
            }
        }
        maskBatch = batch
    }

    /// ∂L/∂input = ∂L/∂output × the last training forward's mask (a plain copy outside training), if asked.
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
        guard pass.training else {
            _ = inputGradient.update(fromContentsOf: outputGradient)
            return
        }
        precondition(maskBatch == batch, "dropout: backward for batch \(batch) after a training forward of \(maskBatch)")
        let mask = self.mask.buffer
        for i in 0..<n { inputGradient[i] = outputGradient[i] * mask[i] }
    }
}
