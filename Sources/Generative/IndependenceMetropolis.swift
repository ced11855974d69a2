import Foundation
import Numerics

/// The accept/reject chain of independence Metropolis–Hastings with flow proposals: proposal φ′
/// replaces the current φ with probability min(1, w(φ′)/w(φ)), w = e^{−S}/q. The chain depends on
/// the proposals' log weights and indices alone, so proposals may be made on any number of ranks
/// and the chain is the same; its samples are exact draws of e^{−S} however poor the flow.
public struct IndependenceMetropolis: Codable, Sendable, Equatable {
    /// The seed of the acceptance draws.
    public let seed: UInt64
    /// The proposal index the chain stands at (nil before the first proposal).
    public private(set) var current: Int?
    /// log w of the current state.
    public private(set) var currentLogWeight: Double = -.infinity
    /// Proposals offered so far.
    public private(set) var proposed = 0
    /// Proposals the chain moved to (the first one starts the chain and counts as accepted).
    public private(set) var accepted = 0

    /// A chain whose uniforms come from `seed`.
    public init(seed: UInt64) {
        self.seed = seed
    }

    /// A chain resumed where a checkpoint left it.
    public init(seed: UInt64, current: Int?, currentLogWeight: Double, proposed: Int, accepted: Int) {
        self.seed = seed
        self.current = current
        self.currentLogWeight = currentLogWeight
        self.proposed = proposed
        self.accepted = accepted
    }

    /// Offers proposal `index` with log weight `logWeight`; returns whether the chain moved to it.
    /// Proposals must be offered in increasing index order.
    @discardableResult
    public mutating func offer(index: Int, logWeight: Double) -> Bool {
        precondition(current.map { index > $0 } ?? true, "IndependenceMetropolis: proposal \(index) after \(current!)")
        proposed += 1
        let move: Bool
        if current == nil {
            move = true
        } else if !logWeight.isFinite {
            move = false
        } else {
            let ratio = logWeight - currentLogWeight
            if ratio >= 0 {
                move = true
            } else {
                var random = RandomStream(seed: seed, purpose: .flowAcceptance, site: index)
                move = random.uniform() < exp(ratio)
            }
        }
        if move {
            current = index
            currentLogWeight = logWeight
            accepted += 1
        }
        return move
    }

    /// ±1 for proposal `index`, at random: the sign a proposal is given when the target is even
    /// under φ → −φ. The chain on (sign, φ) with target ½p(sign·φ) and proposal ½q(φ) has the same
    /// weights w(φ) = p(φ)/q(φ), so accepting is unchanged and sign·φ is an exact draw of p, even
    /// from a flow that learned only one of the broken phase's two peaks. (The mixture ½q(φ) + ½q(−φ)
    /// costs an inverse pass more and gained nothing on the trained flows tried: q(−φ)/q(φ) < e⁻³⁰.)
    public static func symmetrySign(seed: UInt64, index: Int) -> Double {
        var random = RandomStream(seed: seed, purpose: .flowSymmetrySign, site: index)
        return random.uniform() < 0.5 ? -1 : 1
    }

    /// accepted / proposed.
    public var acceptance: Double { proposed == 0 ? 0 : Double(accepted) / Double(proposed) }
}
