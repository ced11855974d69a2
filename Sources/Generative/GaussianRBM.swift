import Foundation
import Numerics

/// The scalar-field restricted Boltzmann machine (Aarts, Lucini, Park, arXiv 2309.15002): a
/// continuous visible field φ (N_v sites) and hidden field h (N_h), with
/// S(φ, h) = Σᵢ ½μ²φᵢ² + Σₐ (hₐ − ηₐ)²/(2σ²) − Σᵢₐ φᵢ Wᵢₐ hₐ. Integrating h out leaves a Gaussian
/// p(φ) ∝ exp(−½φᵀKφ + Jᵀφ) with K = μ²𝟙 − σ²WWᵀ and J = Wη; W, η and μ² are learned, σ is fixed.
/// With N_h < N_v, K keeps N_v − N_h eigenvalues at μ²: the RBM learns the infrared modes and
/// cuts the rest off at μ².
public struct GaussianRBM: Sendable, Equatable {
    /// N_v.
    public let visible: Int
    /// N_h.
    public let hidden: Int
    /// σ of the hidden field, fixed.
    public let sigma: Double
    /// The couplings W, `visible × hidden`, row-major.
    public var weights: [Double]
    /// The hidden field's centres η.
    public var hiddenCentres: [Double]
    /// μ², the visible field's mass term.
    public var massSquared: Double

    /// A machine with small random couplings from `seed`, η = 0 and μ² = `massSquared`.
    public init(visible: Int, hidden: Int, sigma: Double = 1, massSquared: Double, seed: UInt64) {
        self.visible = visible
        self.hidden = hidden
        self.sigma = sigma
        var random = RandomStream(seed: seed, purpose: .rbmInitialization)
        // Small enough that K = μ² − σ²WWᵀ stays positive definite.
        let scale = 0.1 * massSquared.squareRoot() / (sigma * Double(max(visible, hidden)).squareRoot())
        weights = (0..<(visible * hidden)).map { _ in scale * random.normal() }
        hiddenCentres = [Double](repeating: 0, count: hidden)
        self.massSquared = massSquared
    }

    /// The parameters in one vector: W, then η, then μ² (the layout of gradients and checkpoints).
    public var parameters: [Double] {
        get { weights + hiddenCentres + [massSquared] }
        set {
            precondition(newValue.count == weights.count + hidden + 1, "GaussianRBM: \(newValue.count) parameters")
            weights = Array(newValue[0..<weights.count])
            hiddenCentres = Array(newValue[weights.count..<(weights.count + hidden)])
            massSquared = newValue[newValue.count - 1]
        }
    }

    /// K = μ²𝟙 − σ²WWᵀ, the kernel of p(φ).
    public var kernel: SymmetricMatrix {
        var k = SymmetricMatrix(order: visible, entries: [Double](repeating: 0, count: visible * visible))
        let s2 = sigma * sigma
        for i in 0..<visible {
            for j in 0...i {
                var dot = 0.0
                for a in 0..<hidden { dot += weights[i * hidden + a] * weights[j * hidden + a] }
                let value = (i == j ? massSquared : 0) - s2 * dot
                k[i, j] = value
                k[j, i] = value
            }
        }
        return k
    }

    /// J = Wη, the source of p(φ).
    public var source: [Double] {
        (0..<visible).map { i in (0..<hidden).reduce(0) { $0 + weights[i * hidden + $1] * hiddenCentres[$1] } }
    }

    /// E[h | φ] = η + σ²Wᵀφ.
    public func hiddenMean(given phi: ArraySlice<Double>) -> [Double] {
        let s2 = sigma * sigma, base = phi.startIndex
        return (0..<hidden).map { a in
            var sum = 0.0
            for i in 0..<visible { sum += weights[i * hidden + a] * phi[base + i] }
            return hiddenCentres[a] + s2 * sum
        }
    }

    /// One block-Gibbs sweep of a chain (φ, h): h from p(h | φ) = N(η + σ²Wᵀφ, σ²), then φ from
    /// p(φ | h) = N(Wh/μ², 1/μ²), with the normals of `random`.
    public func gibbsSweep(_ phi: inout [Double], _ h: inout [Double], random: inout RandomStream) {
        let mean = hiddenMean(given: phi[...])
        for a in 0..<hidden { h[a] = mean[a] + sigma * random.normal() }
        let width = 1 / massSquared.squareRoot()
        for i in 0..<visible {
            var sum = 0.0
            for a in 0..<hidden { sum += weights[i * hidden + a] * h[a] }
            phi[i] = sum / massSquared + width * random.normal()
        }
    }
}

extension RandomStream.Purpose {
    /// The RBM's initial couplings.
    public static let rbmInitialization = RandomStream.Purpose(rawValue: 163)
    /// The persistent chains' Gibbs sweeps: replica = chain, step = training step.
    public static let rbmGibbs = RandomStream.Purpose(rawValue: 164)
}
