import Cluster
import Foundation
import Lattice
import Numerics
import Phi4
import XCTest

/// The molecular dynamics against the exact free-field energy violation, and reversibility.
final class IntegratorTests: XCTestCase {
    /// ⟨ΔH⟩ of leapfrog and Omelyan at L = 8, κ = 0.2 against the exact mode sum.
    func testMeanDeltaHMatchesExactModeSum() throws {
        let free = FreeField(extents: [8, 8], kappa: 0.2)
        for (integrator, steps) in [(Integrator.leapfrog, 4), (.omelyan, 2)] {
            let exact = free.meanDeltaH(steps: steps, stepSize: 1 / Double(steps), omelyan: integrator == .omelyan)
            var chain = try Chain(extents: [8, 8], kappa: 0.2, lambda: 0, seed: 21)
            try chain.run(20_000, thermalization: 100, integrator: integrator, steps: steps)
            try assertWithinFourSigma(chain.deltaH, exact, "\(integrator) ⟨ΔH⟩ (exact \(exact))")
            try assertWithinFourSigma(chain.deltaH.map { exp(-$0) }, 1, "\(integrator) ⟨e^−ΔH⟩")
        }
    }

    /// Halving the leapfrog step divides ⟨ΔH⟩ by ≈ 16 (ΔH = O(ε²) per trajectory, ⟨ΔH⟩ = O(ε⁴)).
    func testLeapfrogDeltaHFallsBySixteenWhenTheStepHalves() throws {
        let free = FreeField(extents: [8, 8], kappa: 0.2)
        let exactRatio = free.meanDeltaH(steps: 4, stepSize: 0.25, omelyan: false) / free.meanDeltaH(steps: 8, stepSize: 0.125, omelyan: false)
        XCTAssertEqual(exactRatio, 16, accuracy: 2, "the exact ratio itself")
        var coarse = try Chain(extents: [8, 8], kappa: 0.2, lambda: 0, seed: 3)
        try coarse.run(20_000, thermalization: 100, steps: 4)
        var fine = try Chain(extents: [8, 8], kappa: 0.2, lambda: 0, seed: 4)
        try fine.run(20_000, thermalization: 100, steps: 8)
        let a = try GammaAnalysis(coarse.deltaH), b = try GammaAnalysis(fine.deltaH)
        let ratio = a.value / b.value
        let error = ratio * ((a.error / a.value) * (a.error / a.value) + (b.error / b.value) * (b.error / b.value)).squareRoot()
        XCTAssertLessThanOrEqual(abs(ratio - exactRatio), 4 * error, "measured ratio \(ratio) ± \(error) vs exact \(exactRatio)")
    }

    /// For a large volume ΔH is Gaussian with variance 2⟨ΔH⟩, so acceptance → erfc(½√⟨ΔH⟩)
    /// (Gupta, Kilcup, Sharpe 1988). At V = 32² the approach is within ~0.01, which is allowed
    /// on top of 4σ.
    func testAcceptanceFollowsErfc() throws {
        var chain = try Chain(extents: [32, 32], kappa: 0.2, lambda: 0, seed: 17)
        try chain.run(6_000, thermalization: 100, steps: 5)
        let deltaH = try GammaAnalysis(chain.deltaH), acceptance = try GammaAnalysis(chain.accepted)
        let predicted = erfc(0.5 * deltaH.value.squareRoot())
        XCTAssertGreaterThan(deltaH.value, 0.2, "ΔH large enough for the test to mean something")
        XCTAssertLessThanOrEqual(abs(acceptance.value - predicted), 4 * acceptance.error + 0.01,
                                 "acceptance \(acceptance.value) ± \(acceptance.error) vs erfc(½√⟨ΔH⟩) = \(predicted), ⟨ΔH⟩ = \(deltaH.value)")
    }

    /// Forward, momenta negated, back: φ returns to 1e-12 of max|φ| in double precision.
    func testReversibility() throws {
        try assertReversible([([16, 16], 0.022), ([8, 6, 4], 1.0), ([4, 4, 4, 6], 0.5)], fourierMass: nil)
    }
}

/// Integrates forward, negates the momenta and integrates back on each (extents, λ), with both
/// integrators, and asserts φ returns to 1e-12 of max|φ| after having moved.
func assertReversible(_ cases: [([Int], Double)], fourierMass: Double?, file: StaticString = #filePath, line: UInt = #line) throws {
    for (extents, lambda) in cases {
        for integrator in Integrator.allCases {
            let chain = try Chain(extents: extents, kappa: 0.15, lambda: lambda, seed: 2, fourierMass: fourierMass)
            let hmc = chain.hmc
            for t in 0..<20 { _ = try hmc.trajectory(t, integrator: integrator, steps: 10, stepSize: 0.1) }
            let start = Array(hmc.field.owned)
            hmc.drawMomenta(trajectory: 99)
            try hmc.integrate(integrator, steps: 20, stepSize: 0.05)
            let moved = zip(start, hmc.field.owned).map { abs($0 - $1) }.max()!
            XCTAssertGreaterThan(moved, 0.01, "the forward trajectory moved the field", file: file, line: line)
            hmc.reverseMomenta()
            try hmc.integrate(integrator, steps: 20, stepSize: 0.05)
            let scale = start.map(abs).max()!
            let worst = zip(start, hmc.field.owned).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(worst, 1e-12 * scale, "\(extents) \(integrator): max|Δφ| = \(worst), max|φ| = \(scale)", file: file, line: line)
        }
    }
}
