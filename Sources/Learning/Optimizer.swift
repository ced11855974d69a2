// Optimisers over the network's flat parameter vector, following torch.optim's formulas step for
// step so that runs can be compared with PyTorch. Arithmetic is per element in Double with a fixed
// order of operations, so the same inputs give bit-identical parameters on every rank.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which update rule, with its hyperparameters.
public enum OptimizerKind: Sendable, Equatable {
    /// Stochastic gradient descent with heavy-ball (or Nesterov) momentum, as torch.optim.SGD
    /// with dampening 0; momentum 0 is plain SGD.
    case sgd(momentum: Double, nesterov: Bool)
    /// Adam with bias correction, as torch.optim.Adam; with weight decay, decoupled as torch.optim.AdamW.
    case adam(beta1: Double, beta2: Double, epsilon: Double)
}

/// An optimiser's rule and its state (momentum or moment estimates), updating parameters in place.
public struct Optimizer<Scalar: NetworkScalar>: Sendable {
    /// The update rule.
    public let kind: OptimizerKind
    /// SGD: λ added to the gradient as λ·θ (L2). Adam: decoupled decay θ ← θ − lr·λ·θ (AdamW).
    public let weightDecay: Double
    /// SGD with momentum: the momentum buffer (P values); plain SGD: empty; Adam: the first
    /// moments m (P values) then the second moments v (P values). Restore it to resume exactly.
    public var state: [Scalar]
    /// Updates made so far; Adam's bias correction uses it, SGD's first step copies the gradient.
    public var stepsTaken: Int

    /// A fresh optimiser (zero state, no steps) for `parameterCount` parameters.
    public init(kind: OptimizerKind, weightDecay: Double = 0, parameterCount: Int) {
        self.kind = kind
        self.weightDecay = weightDecay
        self.state = Array(repeating: 0, count: Self.stateCount(kind: kind, parameterCount: parameterCount))
        self.stepsTaken = 0
    }

    /// How many values `state` holds for `parameterCount` parameters (what a checkpoint must match).
    public static func stateCount(kind: OptimizerKind, parameterCount: Int) -> Int {
        switch kind {
        case let .sgd(momentum, _): return momentum == 0 ? 0 : parameterCount
        case .adam: return 2 * parameterCount
        }
    }

    /// One step: θ ← θ − (rule applied to `gradients`) at `learningRate`, updating the state.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func update(parameters: UnsafeMutableBufferPointer<Scalar>, gradients: UnsafeBufferPointer<Scalar>,
                                learningRate: Double) {
        let count = parameters.count
        precondition(gradients.count == count && state.count == Self.stateCount(kind: kind, parameterCount: count),
                     "Optimizer: \(count) parameters, \(gradients.count) gradients, \(state.count) state values")
        let lr = learningRate, decay = weightDecay, first = stepsTaken == 0
        stepsTaken += 1
        switch kind {
        case let .sgd(momentum, nesterov):
            guard momentum != 0 else {
                for i in 0..<count {
                    let p = Double(parameters[i])
                    parameters[i] = Scalar(p - lr * (Double(gradients[i]) + decay * p))
                }
                return
            }
            state.withUnsafeMutableBufferPointer { buffer in
                for i in 0..<count {
                    let p = Double(parameters[i])
                    let g = Double(gradients[i]) + decay * p
                    let b = first ? g : momentum * Double(buffer[i]) + g
                    buffer[i] = Scalar(b)
                    let direction = nesterov ? g + momentum * Double(Scalar(b)) : Double(Scalar(b))
                    parameters[i] = Scalar(p - lr * direction)
                }
            }
        case let .adam(beta1, beta2, epsilon):
            let t = Double(stepsTaken)
            let stepSize = lr / (1 - pow(beta1, t))
            let correction2 = (1 - pow(beta2, t)).squareRoot()
            let shrink = 1 - lr * decay
            state.withUnsafeMutableBufferPointer { buffer in
                let m = buffer.baseAddress!, v = m + count
                for i in 0..<count {
                    let g = Double(gradients[i])
                    let p = Double(parameters[i]) * shrink
                    let mi = Double(m[i]) + (1 - beta1) * (g - Double(m[i]))
                    let vi = beta2 * Double(v[i]) + (1 - beta2) * g * g
                    m[i] = Scalar(mi)
                    v[i] = Scalar(vi)
                    let denominator = Double(v[i]).squareRoot() / correction2 + epsilon
                    parameters[i] = Scalar(p - stepSize * Double(m[i]) / denominator)
                }
            }
        }
    }
}
