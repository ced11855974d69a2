import Cluster
import Lattice

/// One measurement of a φ⁴ configuration (hopping-form field).
public struct Phi4Measurement: Sendable, Equatable {
    /// V⁻¹ Σₓ φₓ².
    public let phi2: Double
    /// M = V⁻¹ Σₓ φₓ.
    public let magnetization: Double
    /// S/V.
    public let actionDensity: Double
    /// The zero-momentum two-point function along axis 0, G(t) = V⁻¹ Σ_τ Φ(τ) Φ(τ + t) with
    /// Φ(τ) = Σ_{x in plane τ} φₓ, for t = 0 … L₀ − 1 (so Σ_t G(t) = V·M²).
    public let correlator: [Double]

    /// |M|.
    public var absoluteMagnetization: Double { abs(magnetization) }
    /// M².
    public var magnetizationSquared: Double { magnetization * magnetization }
    /// M⁴.
    public var magnetizationFourth: Double { magnetizationSquared * magnetizationSquared }

    /// The measurement from per-plane sums along axis 0, in plane order: Φ(τ) = Σ φ, Σ φ² and the
    /// plane's action S_τ (as `Phi4Action.planeActions` gives it); the planes are added in order.
    public init(planeSums: [Double], squareSums: [Double], planeActions: [Double], volume: Double) {
        let all = planeSums.count
        var total = 0.0, total2 = 0.0, totalAction = 0.0
        for p in 0..<all {
            total += planeSums[p]
            total2 += squareSums[p]
            totalAction += planeActions[p]
        }
        phi2 = total2 / volume
        magnetization = total / volume
        actionDensity = totalAction / volume
        correlator = (0..<all).map { t in
            var g = 0.0
            for tau in 0..<all { g += planeSums[tau] * planeSums[(tau + t) % all] }
            return g / volume
        }
    }
}

extension HybridMonteCarlo {
    /// Measures the current configuration. Collective over the decomposition's ranks; every sum
    /// is taken per plane and the planes are added in order, so the result is the same on any
    /// number of ranks.
    public func measure() throws(MPIError) -> Phi4Measurement {
        try field.exchangeHalos(communicator)
        let geometry = action.geometry, all = geometry.extents[0], planes = field.planes.count, first = field.planes.lowerBound
        let v = field.planeVolume, phi = field.storage.baseAddress!
        // Three rows of per-plane sums: Φ(τ), Σφ², S_τ, each non-zero only at this rank's planes.
        var sums = [Double](repeating: 0, count: 3 * all)
        let actions = UnsafeMutableBufferPointer<Double>.allocate(capacity: planes)
        defer { actions.deallocate() }
        action.planeActions(field, into: actions)
        for p in 0..<planes {
            var s = 0.0, s2 = 0.0
            let here = phi + (p + 1) * v
            for i in 0..<v {
                s += here[i]
                s2 += here[i] * here[i]
            }
            sums[first + p] = s
            sums[all + first + p] = s2
            sums[2 * all + first + p] = actions[p]
        }
        if field.decomposition.parts > 1 { try communicator.allreduce(&sums, .sum) }
        return Phi4Measurement(planeSums: Array(sums[0..<all]), squareSums: Array(sums[all..<(2 * all)]),
                               planeActions: Array(sums[(2 * all)...]), volume: Double(geometry.volume))
    }
}
