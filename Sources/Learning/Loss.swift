// Losses take the network's raw outputs (logits for the classifiers) and fold the softmax or sigmoid
// in, which is both cheaper and stable where a separate probability layer would overflow or lose
// the gradient. Per-sample work is small, so it runs in Double and only the gradient is Scalar.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The summed loss of a batch and how many predictions were right.
public struct LossValue: Sendable, Equatable {
    /// The sum over the batch of the per-sample losses.
    public var sum: Double
    /// Softmax: samples whose largest logit is their class. Binary: outputs (batch × width of them)
    /// whose sign agrees with the target (logit > 0 ⇔ target 1). Mean squared error: 0.
    public var correct: Int

    /// A value with the given sum and count.
    public init(sum: Double, correct: Int) {
        self.sum = sum
        self.correct = correct
    }
}

/// The objective training minimises, on the network's raw outputs.
public enum Loss: String, Sendable, CaseIterable {
    /// Classes: −log softmax(z)[class]; the target is the class index stored as a number.
    case softmaxCrossEntropy = "softmax_cross_entropy"
    /// Independent yes/no outputs: Σⱼ −t log σ(z) − (1 − t) log(1 − σ(z)), targets in [0, 1].
    case binaryCrossEntropy = "binary_cross_entropy"
    /// Regression: (1/width)·Σⱼ (z − t)², the mean over a sample's outputs.
    case meanSquaredError = "mean_squared_error"

    /// Targets per sample for a network with `outputWidth` outputs.
    public func targetWidth(outputWidth: Int) -> Int {
        self == .softmaxCrossEntropy ? 1 : outputWidth
    }

    /// Nil if every target suits this loss on `width` outputs, else what is wrong with the first bad one.
    public func validate<Scalar: NetworkScalar>(targets: UnsafeBufferPointer<Scalar>, width: Int) -> String? {
        let perSample = targetWidth(outputWidth: width)
        guard width > 0 else { return "\(rawValue): the network has no outputs" }
        guard targets.count % perSample == 0 else {
            return "\(rawValue): \(targets.count) targets is not a whole number of samples of \(perSample)"
        }
        if self == .softmaxCrossEntropy && width < 2 {
            return "\(rawValue) needs at least 2 outputs (one per class), the network has \(width)"
        }
        for (i, t) in targets.enumerated() {
            let where_ = "target \(t) of sample \(i / perSample)"
            switch self {
            case .softmaxCrossEntropy:
                guard t.isFinite, t == t.rounded(), t >= 0, t < Scalar(width) else {
                    return "\(where_) is not a class index in 0..<\(width)"
                }
            case .binaryCrossEntropy:
                guard t >= 0, t <= 1 else { return "\(where_) (output \(i % perSample)) is not in [0, 1]" }
            case .meanSquaredError:
                guard t.isFinite else { return "\(where_) (output \(i % perSample)) is not finite" }
            }
        }
        return nil
    }

    /// The summed loss of `batch` samples of `width` outputs; overwrites `gradient` (batch × width)
    /// with ∂sum/∂outputs. Targets must pass `validate` (checked only by preconditions here).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func evaluate<Scalar: NetworkScalar>(outputs: UnsafeBufferPointer<Scalar>, targets: UnsafeBufferPointer<Scalar>,
                                                batch: Int, width: Int,
                                                gradient: UnsafeMutableBufferPointer<Scalar>) -> LossValue {
        let perSample = targetWidth(outputWidth: width)
        precondition(outputs.count == batch * width && gradient.count == batch * width && targets.count == batch * perSample,
                     "\(rawValue): \(outputs.count) outputs, \(targets.count) targets, \(gradient.count) gradients for batch \(batch) × \(width)")
        var total = 0.0
        var correct = 0
        for sample in 0..<batch {
            let z = outputs.baseAddress! + sample * width, g = gradient.baseAddress! + sample * width
            let t = targets.baseAddress! + sample * perSample
            switch self {
            case .softmaxCrossEntropy:
                let label = Int(t[0])
                precondition(label >= 0 && label < width, "\(rawValue): class \(t[0]) outside 0..<\(width)")
                var best = 0
                for j in 1..<width where z[j] > z[best] { best = j }
                let top = Double(z[best])
                var partition = 0.0
                for j in 0..<width { partition += exp(Double(z[j]) - top) }
                total += top + log(partition) - Double(z[label])
                for j in 0..<width { g[j] = Scalar(exp(Double(z[j]) - top) / partition - (j == label ? 1 : 0)) }
                if best == label { correct += 1 }
            case .binaryCrossEntropy:
                for j in 0..<width {
                    let x = Double(z[j]), y = Double(t[j])
                    // max(x, 0) − x·y + log(1 + e^(−|x|)): the same value, with no overflow for large |x|.
                    total += Swift.max(x, 0) - x * y + log1p(exp(-Swift.abs(x)))
                    g[j] = Scalar(Double.logistic(x) - y)
                    if (x > 0) == (y > 0.5) { correct += 1 }
                }
            case .meanSquaredError:
                let scale = 1 / Double(width)
                for j in 0..<width {
                    let d = Double(z[j]) - Double(t[j])
                    total += d * d * scale
                    g[j] = Scalar(2 * d * scale)
                }
            }
        }
        return LossValue(sum: total, correct: correct)
    }

    /// What the outputs predict, batch × width into `into`: class probabilities (softmax),
    /// per-output probabilities (sigmoid), or the outputs themselves (mean squared error).
    public func prediction<Scalar: NetworkScalar>(outputs: UnsafeBufferPointer<Scalar>, batch: Int, width: Int,
                                                  into probabilities: UnsafeMutableBufferPointer<Double>) {
        precondition(outputs.count == batch * width && probabilities.count == batch * width,
                     "\(rawValue): \(outputs.count) outputs and \(probabilities.count) predictions for batch \(batch) × \(width)")
        switch self {
        case .softmaxCrossEntropy:
            for sample in 0..<batch {
                let z = outputs.baseAddress! + sample * width, p = probabilities.baseAddress! + sample * width
                var top = Double(z[0])
                for j in 1..<width { top = Swift.max(top, Double(z[j])) }
                var partition = 0.0
                for j in 0..<width {
                    p[j] = exp(Double(z[j]) - top)
                    partition += p[j]
                }
                for j in 0..<width { p[j] /= partition }
            }
        case .binaryCrossEntropy:
            for i in 0..<(batch * width) { probabilities[i] = Double.logistic(Double(outputs[i])) }
        case .meanSquaredError:
            for i in 0..<(batch * width) { probabilities[i] = Double(outputs[i]) }
        }
    }
}
