import Foundation
import Numerics

/// The couplings of lattice φ⁴ theory in the hopping form
/// S = Σₓ [ −2κ Σ_μ φₓ φₓ₊μ̂ + φₓ² + λ(φₓ² − 1)² ].
public struct Phi4Couplings: Sendable, Equatable, Hashable {
    /// The hopping parameter κ ≥ 0.
    public let kappa: Double
    /// The quartic coupling λ ≥ 0.
    public let lambda: Double

    /// The hopping-form couplings κ and λ.
    public init(kappa: Double, lambda: Double) {
        self.kappa = kappa
        self.lambda = lambda
    }

    /// The hopping-form couplings of the standard action
    /// S = Σₓ [ ½ Σ_μ (φₓ₊μ̂ − φₓ)² + ½ m₀² φₓ² + (g/4!) φₓ⁴ ] in `dimension` dimensions.
    ///
    /// Inverts m₀² = (1 − 2λ)/κ − 2d, g = 6λ/κ²: with a = m₀² + 2d, κ solves (g/3)κ² + aκ − 1 = 0,
    /// whose positive root is written as 2/(a + √(a² + 4g/3)) so that g = 0 needs no special case.
    /// Nil when no κ > 0 exists (g = 0 and m₀² ≤ −2d) or the values are not finite.
    public init?(standard: StandardCouplings, dimension: Int) {
        let a = standard.massSquared + 2 * Double(dimension), g = standard.quartic
        let denominator = a + (a * a + 4 * g / 3).squareRoot()
        guard g >= 0, a.isFinite, g.isFinite, denominator > 0 else { return nil }
        let kappa = 2 / denominator
        self.init(kappa: kappa, lambda: g * kappa * kappa / 6)
    }

    /// The same theory in the standard form, with φ_std = √(2κ) φ.
    public func standard(dimension: Int) -> StandardCouplings {
        StandardCouplings(massSquared: (1 - 2 * lambda) / kappa - 2 * Double(dimension), quartic: 6 * lambda / (kappa * kappa))
    }
}

/// The couplings of the standard form S = Σₓ [ ½ Σ_μ (∂_μ φ)² + ½ m₀² φ² + (g/4!) φ⁴ ].
public struct StandardCouplings: Sendable, Equatable {
    /// The bare mass squared m₀² (negative in the broken phase's usual range).
    public let massSquared: Double
    /// The quartic coupling g ≥ 0.
    public let quartic: Double

    /// The standard-form couplings m₀² and g.
    public init(massSquared: Double, quartic: Double) {
        self.massSquared = massSquared
        self.quartic = quartic
    }
}

extension RandomStream.Purpose {
    /// HMC momenta: one Philox block per pair of sites (Box–Muller gives the pair's two normals).
    public static let phi4Momenta = RandomStream.Purpose(rawValue: 64)
    /// The accept/reject uniform of each trajectory.
    public static let phi4Accept = RandomStream.Purpose(rawValue: 65)
    /// Initial configurations.
    public static let phi4Start = RandomStream.Purpose(rawValue: 66)
    /// Embedded-cluster bond activations.
    public static let phi4Cluster = RandomStream.Purpose(rawValue: 67)
    /// Embedded-cluster flip decisions.
    public static let phi4ClusterFlip = RandomStream.Purpose(rawValue: 68)
}
