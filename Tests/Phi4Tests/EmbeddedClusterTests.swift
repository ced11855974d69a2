import Numerics
import Phi4
import XCTest

/// Embedded Ising clusters keep e^{−S} (free-field check) and make large λ sampleable.
final class EmbeddedClusterTests: XCTestCase {
    func testFreeFieldStaysExactWithClusters() throws {
        let free = FreeField(extents: [8, 8], kappa: 0.2)
        var chain = try Chain(extents: [8, 8], kappa: 0.2, lambda: 0, seed: 41)
        try chain.runWithClusters(8_000, thermalization: 100, steps: 3)
        let m = chain.measurements
        try assertWithinFourSigma(m.map(\.actionDensity), 0.5, "⟨S⟩/V")
        try assertWithinFourSigma(m.map(\.phi2), free.propagator([0, 0]), "⟨φ²⟩")
        try assertWithinFourSigma(m.map { $0.magnetizationSquared * 64 }, 1 / (2 * (1 - 4 * 0.2)), "⟨M²⟩·V")
    }
}

/// For large λ the field's magnitude freezes at the minima φ² = 1 − 1/(2λ) → 1 and the model
/// becomes the Ising model with β = 2κ, so the transition moves towards κ_c = K_c/2 = 0.2203.
/// The Binder cumulants of L = 8 and 16 cross at the transition: U₄(16) − U₄(8) changes sign there.
/// Each sign is asserted at 4σ, so the crossing lies between the two κ of each pair.
final class LargeLambdaTests: XCTestCase {
    private func binderDifference(kappa: Double, lambda: Double, steps: Int, trajectories: Int = 3000) throws -> (value: Double, error: Double) {
        var u: [GammaAnalysis] = []
        for l in [8, 16] {
            var chain = try Chain(extents: [l, l], kappa: kappa, lambda: lambda, seed: UInt64(7 + l))
            try chain.runWithClusters(trajectories, thermalization: 200, steps: steps)
            let m2 = chain.measurements.map(\.magnetizationSquared)
            u.append(try GammaAnalysis.binderCumulant(m2: m2, m4: m2.map { $0 * $0 }))
        }
        return (u[1].value - u[0].value, (u[0].error * u[0].error + u[1].error * u[1].error).squareRoot())
    }

    func testTransitionMovesTowardsTheIsingValue() throws {
        // λ = 20: the crossing lies in (0.215, 0.245), within −2.4% … +11% of 0.2203 (the finite-λ
        // shift κ_c ≈ 0.2203/(1 − 1/2λ) is +2.6%).
        // 16 Omelyan steps: the λ = 20 force is stiff (V'' ≈ 2 + 4λ(3φ² − 1)), and at 12 steps a
        // rare large |φ| takes ε·ω past the integrator's stability limit; a chain then stalls with
        // ⟨ΔH⟩ ≈ 3 and acceptance 0.7 (seen with seed 23 at L = 16), which says nothing about λ.
        // Above the crossing U₄(16) − U₄(8) ≈ 0.011: 6000 trajectories put it at 6–9σ over seeds.
        let below = try binderDifference(kappa: 0.215, lambda: 20, steps: 16, trajectories: 6000)
        let above = try binderDifference(kappa: 0.245, lambda: 20, steps: 16, trajectories: 6000)
        XCTAssertLessThan(below.value, -4 * below.error, "λ = 20, κ = 0.215: U₄(16) − U₄(8) = \(below.value) ± \(below.error)")
        XCTAssertGreaterThan(above.value, 4 * above.error, "λ = 20, κ = 0.245: U₄(16) − U₄(8) = \(above.value) ± \(above.error)")
        // λ = 1: still symmetric at κ = 0.31, far above the Ising value.
        let small = try binderDifference(kappa: 0.31, lambda: 1, steps: 4)
        XCTAssertLessThan(small.value, -4 * small.error, "λ = 1, κ = 0.31: U₄(16) − U₄(8) = \(small.value) ± \(small.error)")
    }
}
