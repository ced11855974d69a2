import Foundation
import Numerics
import Phi4
import XCTest

/// Fourier-accelerated HMC against the exact free field, the exact mode-by-mode ⟨ΔH⟩ with the
/// modified kinetic term, reversibility, and a real gain in autocorrelation time.
final class FourierAccelerationTests: XCTestCase {
    func testFreeFieldIsSampledExactly() throws {
        let free = FreeField(extents: [8, 8], kappa: 0.2)
        var chain = try Chain(extents: [8, 8], kappa: 0.2, lambda: 0, seed: 31, fourierMass: 1)
        try chain.run(20_000, thermalization: 100, steps: 5)
        let m = chain.measurements, volume = Double(free.volume)
        try assertWithinFourSigma(m.map(\.actionDensity), 0.5, "⟨S⟩/V")
        try assertWithinFourSigma(m.map(\.phi2), free.propagator([0, 0]), "⟨φ²⟩")
        try assertWithinFourSigma(m.map { $0.magnetizationSquared * volume }, 1 / (2 * (1 - 4 * free.kappa)), "⟨M²⟩·V")
        try assertWithinFourSigma(chain.deltaH.map { exp(-$0) }, 1, "⟨e^−ΔH⟩")
    }

    /// ⟨ΔH⟩ against the exact sum over oscillators H = ½(π²/M_p + ω_p² q²); m² = 0.2 ≠ m₀² = 1, so
    /// the modes have different frequencies and the kernel's shape matters, not only its scale.
    func testMeanDeltaHMatchesExactModeSum() throws {
        let free = FreeField(extents: [8, 8], kappa: 0.2)
        for (integrator, steps) in [(Integrator.leapfrog, 5), (.omelyan, 2)] {
            let exact = free.meanDeltaH(steps: steps, stepSize: 1 / Double(steps), omelyan: integrator == .omelyan, fourierMass: 0.2)
            let plain = free.meanDeltaH(steps: steps, stepSize: 1 / Double(steps), omelyan: integrator == .omelyan)
            var chain = try Chain(extents: [8, 8], kappa: 0.2, lambda: 0, seed: 23, fourierMass: 0.2)
            try chain.run(20_000, thermalization: 100, integrator: integrator, steps: steps)
            let measured = try GammaAnalysis(chain.deltaH)
            XCTAssertGreaterThan(abs(exact - plain), 8 * measured.error, "\(integrator): the test tells the kinetic terms apart")
            try assertWithinFourSigma(chain.deltaH, exact, "\(integrator) ⟨ΔH⟩ (exact \(exact), plain HMC \(plain))")
            try assertWithinFourSigma(chain.deltaH.map { exp(-$0) }, 1, "\(integrator) ⟨e^−ΔH⟩")
        }
    }

    /// Forward, momenta negated, back: φ returns to 1e-12 of max|φ|, with interactions.
    func testReversibility() throws {
        try assertReversible([([16, 16], 0.022), ([8, 6, 5], 1.0), ([4, 3, 4, 6], 0.5)], fourierMass: 0.7)
    }

    /// Near κ_c = 1/(2d) the zero mode of plain HMC turns by only ω₀τ ≈ 0.28 rad per trajectory;
    /// with m² = m₀² = 1/κ − 2d every mode has ω² /M = 2κ(4d + m₀²), so M² decorrelates at once.
    func testAccelerationShortensTheAutocorrelationOfMSquared() throws {
        let kappa = 0.24, extents = [16, 16]
        var tau: [Double] = [], errors: [Double] = []
        for mass in [nil, 1 / kappa - 4] as [Double?] {
            var chain = try Chain(extents: extents, kappa: kappa, lambda: 0, seed: 41, fourierMass: mass)
            try chain.run(20_000, thermalization: 500, steps: 10)
            let m2 = try GammaAnalysis(chain.measurements.map(\.magnetizationSquared))
            // Both chains sample the same ⟨M²⟩·V = 1/(2(1 − 2dκ)).
            try assertWithinFourSigma(chain.measurements.map { $0.magnetizationSquared * 256 }, 1 / (2 * (1 - 4 * kappa)),
                                      "⟨M²⟩·V, m² = \(String(describing: mass))")
            tau.append(m2.tauInt)
            errors.append(m2.tauIntError)
            print("τ_int(M²) at κ = \(kappa), L = 16, \(mass.map { "FA m² = \($0)" } ?? "plain HMC"): \(m2.tauInt) ± \(m2.tauIntError)")
        }
        let gap = tau[0] - tau[1], error = (errors[0] * errors[0] + errors[1] * errors[1]).squareRoot()
        XCTAssertGreaterThan(gap, 4 * error, "τ_int plain \(tau[0]) ± \(errors[0]) vs accelerated \(tau[1]) ± \(errors[1])")
        XCTAssertGreaterThan(tau[0], 4 * tau[1], "at least four times faster")
    }
}
