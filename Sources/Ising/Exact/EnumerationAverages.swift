import Foundation

/// Exact thermal averages of a small periodic lattice at one (β, h), summed over its density of
/// states g(E, M) (see `Enumeration`). Per-site quantities use e = E/N and m = M/N, N = sites,
/// where E = −Σ⟨ij⟩ sᵢsⱼ is the bond energy alone: the Boltzmann weight is e^{−β(E − hM)}, and
/// the full energy per site at h ≠ 0 is e − h m.
public struct Averages: Sendable, Equatable {
    /// Inverse temperature β (J = 1).
    public let beta: Double
    /// Magnetic field h in H = −Σ⟨ij⟩ sᵢsⱼ − h Σ sᵢ.
    public let field: Double
    /// ln Z = ln Σ_{E,M} g(E, M) e^{−βE + βhM}.
    public let logPartitionFunction: Double
    /// ⟨e⟩, the bond energy per site.
    public let energyPerSite: Double
    /// c = β² N (⟨e²⟩ − ⟨e⟩²) of the bond energy (the specific heat at h = 0).
    public let specificHeatPerSite: Double
    /// ⟨m⟩ (zero at h = 0 by symmetry).
    public let magnetization: Double
    /// ⟨|m|⟩.
    public let absoluteMagnetization: Double
    /// ⟨m²⟩.
    public let magnetizationSquared: Double
    /// ⟨m⁴⟩.
    public let magnetizationFourth: Double
    /// χ = β N (⟨m²⟩ − ⟨|m|⟩²): the usual finite-lattice estimator with |m|, which a simulation
    /// that flips the whole lattice freely can measure; it is not ∂⟨m⟩/∂h.
    public let susceptibility: Double
    /// χ_c = β N (⟨m²⟩ − ⟨m⟩²) = ∂⟨m⟩/∂h, the linear response (at h = 0 it is β N ⟨m²⟩).
    public let connectedSusceptibility: Double

    /// Binder's cumulant U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²) (Binder 1981).
    public var binderCumulant: Double { 1 - magnetizationFourth / (3 * magnetizationSquared * magnetizationSquared) }
}

/// A probability distribution over integer values (total E or total M), by increasing value.
public struct Distribution: Sendable, Equatable {
    /// The values that occur, increasing.
    public let values: [Int]
    /// P(value), summing to 1.
    public let probabilities: [Double]

    /// P(value), 0 for a value that never occurs.
    public func probability(of value: Int) -> Double {
        guard let index = values.firstIndex(of: value) else { return 0 }
        return probabilities[index]
    }
}

extension Enumeration {
    /// Exact ⟨e⟩, c, ⟨m⟩, ⟨|m|⟩, ⟨m²⟩, ⟨m⁴⟩, χ and ln Z at inverse temperature β and field h.
    ///
    /// - Precondition: β ≥ 0 and h finite.
    public func averages(beta: Double, field: Double = 0) -> Averages {
        let p = probabilities(beta: beta, field: field)
        let n = Double(sites)
        var energy = 0.0, magnetization = 0.0, absolute = 0.0, second = 0.0, fourth = 0.0
        for (level, weight) in zip(levels, p.weights) {
            let m = Double(level.magnetization) / n
            energy += weight * Double(level.energy)
            magnetization += weight * m
            absolute += weight * abs(m)
            second += weight * m * m
            fourth += weight * m * m * m * m
        }
        // Variances summed centred, so that c and χ do not come from differences of large sums.
        var energyVariance = 0.0, absoluteVariance = 0.0, variance = 0.0
        for (level, weight) in zip(levels, p.weights) {
            let m = Double(level.magnetization) / n
            let de = Double(level.energy) - energy
            energyVariance += weight * de * de
            absoluteVariance += weight * (abs(m) - absolute) * (abs(m) - absolute)
            variance += weight * (m - magnetization) * (m - magnetization)
        }
        return Averages(beta: beta, field: field,
                        logPartitionFunction: p.logPartitionFunction,
                        energyPerSite: energy / n,
                        specificHeatPerSite: beta * beta * energyVariance / n,
                        magnetization: magnetization,
                        absoluteMagnetization: absolute,
                        magnetizationSquared: second,
                        magnetizationFourth: fourth,
                        susceptibility: beta * n * absoluteVariance,
                        connectedSusceptibility: beta * n * variance)
    }

    /// P(E) of the total energy at (β, h), for χ² tests of samplers.
    public func energyDistribution(beta: Double, field: Double = 0) -> Distribution {
        marginal(probabilities(beta: beta, field: field).weights) { $0.energy }
    }

    /// P(M) of the total magnetisation at (β, h), for χ² tests of samplers.
    public func magnetizationDistribution(beta: Double, field: Double = 0) -> Distribution {
        marginal(probabilities(beta: beta, field: field).weights) { $0.magnetization }
    }

    /// The Boltzmann probability of each level, weighted in logs so that no e^{−βE} overflows.
    private func probabilities(beta: Double, field: Double) -> (weights: [Double], logPartitionFunction: Double) {
        precondition(beta >= 0 && beta.isFinite, "β must be finite and ≥ 0 (got \(beta))")
        precondition(field.isFinite, "h must be finite (got \(field))")
        let logWeights = levels.map {
            log(Double($0.count)) - beta * Double($0.energy) + beta * field * Double($0.magnetization)
        }
        let top = logWeights.max()!
        var weights = logWeights.map { exp($0 - top) }
        let total = weights.reduce(0, +)
        for i in weights.indices { weights[i] /= total }
        return (weights, top + log(total))
    }

    private func marginal(_ weights: [Double], by key: (Level) -> Int) -> Distribution {
        var sums = [Int: Double]()
        for (level, weight) in zip(levels, weights) { sums[key(level), default: 0] += weight }
        let values = sums.keys.sorted()
        return Distribution(values: values, probabilities: values.map { sums[$0]! })
    }
}
