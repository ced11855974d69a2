import Foundation
import Ising
import XCTest

/// Onsager's energy and Yang's magnetisation against independent evaluations, the critical point,
/// and Kaufman's formula on a large lattice.
final class ExactInfiniteVolumeTests: XCTestCase {
    func testCriticalConstants() {
        XCTAssertEqual(ExactIsing2D.criticalCoupling, 0.5 * log(1 + 2.0.squareRoot()), accuracy: 1e-16)
        XCTAssertEqual(ExactIsing2D.criticalTemperature, 1 / ExactIsing2D.criticalCoupling, accuracy: 1e-15)
        XCTAssertEqual(sinh(2 * ExactIsing2D.criticalCoupling), 1, accuracy: 1e-15)
        XCTAssertEqual(Ising3DReference.criticalCoupling, 0.2216546)
        XCTAssertEqual(Ising3DReference.criticalTemperature, 4.5115, accuracy: 1e-4)
    }

    func testOnsagerEnergyIsMinusRootTwoAtCriticalPoint() {
        XCTAssertEqual(ExactIsing2D.onsagerEnergy(beta: ExactIsing2D.criticalCoupling), -2.0.squareRoot())
        XCTAssertEqual(ExactIsing2D.onsagerEnergy(beta: 1 / ExactIsing2D.criticalTemperature), -2.0.squareRoot(),
                       accuracy: 1e-14)
        // Continuous through T_c: the corrections are O(t ln|t|).
        for relative in [1e-15, 1e-12, 1e-9, -1e-15, -1e-12, -1e-9] {
            let u = ExactIsing2D.onsagerEnergy(beta: ExactIsing2D.criticalCoupling * (1 + relative))
            XCTAssertFalse(u.isNaN)
            XCTAssertEqual(u, -2.0.squareRoot(), accuracy: 50 * abs(relative) + 1e-14, "relative offset \(relative)")
        }
    }

    /// 𝐊(k) by the periodic trapezoid rule of ∫₀^{π/2} dθ/√(1 − k² sin²θ), exponentially accurate
    /// for k < 1 and independent of the AGM; the 17-digit values come from mpmath.ellipk.
    func testOnsagerEnergyMatchesQuadratureAndHighPrecisionValues() {
        let known: [Double: Double] = [1.0: -1.9971602041122511, 1.5: -1.9511165730783768, 2.0: -1.745564575312554,
                                        3.0: -0.81730959250242014, 5.0: -0.42822883324034806]
        for (t, value) in known {
            let k2 = 2 / t
            let modulus = 2 * sinh(k2) / pow(cosh(k2), 2)
            let points = 4000
            var integral = 0.0
            for i in 0...points {
                let theta = Double.pi / 2 * Double(i) / Double(points)
                let w = (i == 0 || i == points) ? 0.5 : 1.0
                integral += w / (1 - pow(modulus * sin(theta), 2)).squareRoot()
            }
            integral *= Double.pi / 2 / Double(points)
            let u = -1 / tanh(k2) * (1 + 2 / Double.pi * (2 * pow(tanh(k2), 2) - 1) * integral)
            XCTAssertEqual(ExactIsing2D.onsagerEnergy(beta: 1 / t), u, accuracy: 1e-13, "T = \(t)")
            XCTAssertEqual(ExactIsing2D.onsagerEnergy(beta: 1 / t), value, accuracy: 1e-14, "T = \(t)")
        }
    }

    /// Away from T_c finite-size corrections fall like e^{−L/ξ}: at L = 256 Kaufman and Onsager
    /// agree to rounding (the brief asks 1e-3; they agree to better than 1e-10).
    func testOnsagerMatchesKaufmanOnLargeLattice() {
        for t in [1.5, 3.0] {
            let k = ExactIsing2D.kaufman(rows: 256, columns: 256, beta: 1 / t)
            let u = ExactIsing2D.onsagerEnergy(beta: 1 / t)
            XCTAssertEqual(k.energyPerSite, u, accuracy: 1e-3, "T = \(t)")
            XCTAssertEqual(k.energyPerSite, u, accuracy: 1e-10, "T = \(t)")
        }
        // Far above T_c too, where both formulas are small differences of O(1) terms.
        for t in [10.0, 1e3, 1e5] {
            let k = ExactIsing2D.kaufman(rows: 256, columns: 256, beta: 1 / t)
            let u = ExactIsing2D.onsagerEnergy(beta: 1 / t)
            XCTAssertEqual(k.energyPerSite, u, accuracy: 1e-15 * t * abs(u), "T = \(t)")
        }
    }

    func testOnsagerEnergyLimits() {
        XCTAssertEqual(ExactIsing2D.onsagerEnergy(beta: 60), -2)
        XCTAssertEqual(ExactIsing2D.onsagerEnergy(beta: 10), -2, accuracy: 1e-15)
        // High temperature: u = −2 tanh K − 4 tanh³ K + O(K⁵) from the plaquettes, to full relative
        // precision although the bracket is a difference of O(K²) terms.
        for beta in [1e-2, 1e-3, 1e-6, 1e-7, 1e-9, 1e-30, 1e-300] {
            let t = tanh(beta)
            XCTAssertEqual(ExactIsing2D.onsagerEnergy(beta: beta), -2 * t - 4 * t * t * t, accuracy: 1e-13 * t + 12 * pow(t, 5),
                           "β = \(beta)")
        }
        var previous = -2.0
        for t in stride(from: 0.5, through: 10, by: 0.25) {
            let u = ExactIsing2D.onsagerEnergy(beta: 1 / t)
            XCTAssertGreaterThan(u, previous, "u(T) increases with T (T = \(t))")
            previous = u
        }
    }

    /// Yang's m₀ against the equivalent form in z = e^{−2K},
    /// m₀ = (1 + z²)^{1/4} (1 − 6z² + z⁴)^{1/8} / (1 − z²)^{1/2} (e.g. McCoy & Wu, The Two-Dimensional Ising Model).
    func testYangMagnetisation() {
        XCTAssertEqual(ExactIsing2D.spontaneousMagnetization(beta: 0.5), 0.91131937787749598, accuracy: 1e-15)
        for t in [0.5, 1.0, 1.5, 2.0, 2.2, 2.26] {
            let z = exp(-2 / t)
            let expected = pow(1 + z * z, 0.25) * pow(1 - 6 * z * z + z * z * z * z, 0.125) / (1 - z * z).squareRoot()
            XCTAssertEqual(ExactIsing2D.spontaneousMagnetization(beta: 1 / t), expected, accuracy: 1e-13, "T = \(t)")
        }
        for t in [ExactIsing2D.criticalTemperature, 2.27, 3.0, 100] {
            XCTAssertEqual(ExactIsing2D.spontaneousMagnetization(beta: 1 / t), 0, "T = \(t)")
        }
        XCTAssertEqual(ExactIsing2D.spontaneousMagnetization(beta: 60), 1)
        // Near T_c, m₀ ∝ (T_c − T)^{1/8}: halving T_c − T scales m₀ by 2^{−1/8}.
        let a = ExactIsing2D.spontaneousMagnetization(beta: 1 / (ExactIsing2D.criticalTemperature * (1 - 1e-8)))
        let b = ExactIsing2D.spontaneousMagnetization(beta: 1 / (ExactIsing2D.criticalTemperature * (1 - 5e-9)))
        XCTAssertEqual(b / a, pow(2, -0.125), accuracy: 1e-6)
    }
}
