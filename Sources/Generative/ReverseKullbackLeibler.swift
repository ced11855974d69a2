import Foundation
import Learning

/// Self-training of a flow toward p(φ) ∝ e^{−S(φ)} without any samples of p: fields are drawn from
/// the flow itself and the loss is log q(φ) + S(φ), whose mean is KL(q‖p) − log Z, so its gradient
/// is that of the reverse Kullback–Leibler divergence (the gradient runs through the flow and S).
public struct ReverseKullbackLeibler<Scalar: NetworkScalar> {
    /// The target's action.
    public let action: any LatticeAction

    /// A reverse-KL objective for `action`.
    public init(action: any LatticeAction) {
        self.action = action
    }

    /// Pushes the prior draws `prior` (`batch × sites`) through `flow`, and returns Σ (log q + S)
    /// over the batch with each field's log weight log w = −S − log q; writes ∂Σ/∂parameters into
    /// `gradient` (laid out as `flow.parameters`).
    public func evaluate(_ flow: CouplingFlow<Scalar>, prior: [Scalar], batch: Int,
                         gradient: UnsafeMutableBufferPointer<Scalar>) -> (lossSum: Double, logWeights: [Double]) {
        let sites = flow.sites
        precondition(action.extents == flow.extents, "ReverseKullbackLeibler: the action's lattice \(action.extents) is not the flow's \(flow.extents)")
        var fields = prior
        let logQ = fields.withUnsafeMutableBufferPointer { flow.forward($0, batch: batch) }
        var actionGradient = [Double](repeating: 0, count: batch * sites)
        let s = fields.map(Double.init).withUnsafeBufferPointer { phi in
            actionGradient.withUnsafeMutableBufferPointer { action.evaluate(phi, batch: batch, gradient: $0) }
        }
        var fieldGradient = actionGradient.map { Scalar($0) }
        fieldGradient.withUnsafeMutableBufferPointer { g in
            flow.backward(g, logDensityGradient: [Scalar](repeating: 1, count: batch), parameterGradient: gradient)
        }
        var lossSum = 0.0
        for b in 0..<batch { lossSum += logQ[b] + s[b] }
        return (lossSum, (0..<batch).map { -s[$0] - logQ[$0] })
    }
}

/// The effective sample size per proposal of importance weights given as logarithms,
/// (Σw)²/(N Σw²) ∈ (0, 1]: 1 when the flow is the target exactly.
public func effectiveSampleSizeFraction(logWeights: [Double]) -> Double {
    guard let top = logWeights.max(), top.isFinite else { return 0 }
    var sum = 0.0, squares = 0.0
    for l in logWeights {
        let w = exp(l - top)
        sum += w
        squares += w * w
    }
    return sum * sum / (Double(logWeights.count) * squares)
}
