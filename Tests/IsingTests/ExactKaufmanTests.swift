import Foundation
import Ising
import XCTest

/// Kaufman's finite-lattice formula against REFERENCE.md, exhaustive enumeration, its own
/// symmetries and finite differences (where enumeration cannot reach).
final class ExactKaufmanTests: XCTestCase {
    private let temperatures = [1.0, 2.0, ExactIsing2D.criticalTemperature, 2.5, 5.0]

    func testReferenceValuesForL4AtCriticalPoint() {
        for beta in [ExactIsing2D.criticalCoupling, 1 / ExactIsing2D.criticalTemperature] {
            let k = ExactIsing2D.kaufman(rows: 4, columns: 4, beta: beta)
            XCTAssertEqual(k.logPartitionFunction, 15.521915458755, accuracy: 1e-10)
            XCTAssertEqual(k.energyPerSite, -1.565623787638, accuracy: 1e-10)
            XCTAssertEqual(k.specificHeatPerSite, 0.783266825929, accuracy: 1e-10)
        }
    }

    /// The enumeration bonds a pair twice along a side of length 2; Kaufman's transfer matrix
    /// describes the same lattice, so 2 × m lattices must agree too. T = 5 and T = 2.5 are above
    /// T_c, where γ₀ < 0: a formula with |γ₀| fails there (and is right below T_c).
    func testAgreesWithEnumerationOnSquareAndRectangularLattices() {
        // 5 × 5 (2²⁵ states) is compared in ExactEnumerationTests.testLargestEnumerationIsFast.
        let shapes = [(2, 2), (3, 3), (4, 4), (2, 3), (3, 2), (2, 5), (5, 2), (3, 4), (4, 3),
                      (2, 7), (3, 5), (5, 3), (4, 5), (5, 4), (3, 7), (2, 8)]
        for (rows, columns) in shapes {
            let enumeration = Enumeration(rows: rows, columns: columns)
            for t in temperatures {
                let exact = enumeration.averages(beta: 1 / t)
                let k = ExactIsing2D.kaufman(rows: rows, columns: columns, beta: 1 / t)
                let label = "\(rows) × \(columns) at T = \(t)"
                XCTAssertEqual(k.logPartitionFunction, exact.logPartitionFunction, accuracy: 1e-10, label)
                XCTAssertEqual(k.energyPerSite, exact.energyPerSite, accuracy: 1e-10, label)
                XCTAssertEqual(k.specificHeatPerSite, exact.specificHeatPerSite, accuracy: 1e-10, label)
            }
        }
    }

    /// The n × m and m × n tori are the same graph, but the formula treats its two sides
    /// differently (product over one, exponent in the other): they must still agree.
    func testIsSymmetricUnderExchangeOfRowsAndColumns() {
        for (rows, columns) in [(2, 64), (5, 17), (3, 1000), (7, 256)] {
            for t in temperatures + [1.5, 2.2, 2.4, 20] {
                let a = ExactIsing2D.kaufman(rows: rows, columns: columns, beta: 1 / t)
                let b = ExactIsing2D.kaufman(rows: columns, columns: rows, beta: 1 / t)
                let label = "\(rows) × \(columns) at T = \(t)"
                XCTAssertEqual(a.logPartitionFunction, b.logPartitionFunction,
                               accuracy: 1e-13 * abs(a.logPartitionFunction), label)
                XCTAssertEqual(a.energyPerSite, b.energyPerSite, accuracy: 1e-12, label)
                XCTAssertEqual(a.specificHeatPerSite, b.specificHeatPerSite, accuracy: 1e-11, label)
            }
        }
    }

    /// The analytic derivatives against central differences of ln Z itself, on lattices far too
    /// large to enumerate, including T_c where γ₀ = 0 and Y₄ vanishes.
    func testDerivativesMatchFiniteDifferencesOnLargeLattices() {
        for (rows, columns) in [(64, 64), (256, 256), (31, 200)] {
            for t in [1.5, 2.0, ExactIsing2D.criticalTemperature, 3.0] {
                let beta = 1 / t
                let step = 1e-4
                let lnZ = { ExactIsing2D.kaufman(rows: rows, columns: columns, beta: $0).logPartitionFunction }
                let k = ExactIsing2D.kaufman(rows: rows, columns: columns, beta: beta)
                // Fourth-order stencils: truncation ~h⁴, rounding ~ε ln Z / h.
                let first = (lnZ(beta - 2 * step) - 8 * lnZ(beta - step) + 8 * lnZ(beta + step) - lnZ(beta + 2 * step))
                    / (12 * step)
                let second = (-lnZ(beta - 2 * step) + 16 * lnZ(beta - step) - 30 * k.logPartitionFunction
                    + 16 * lnZ(beta + step) - lnZ(beta + 2 * step)) / (12 * step * step)
                let label = "\(rows) × \(columns) at T = \(t)"
                XCTAssertEqual(k.logPartitionFunctionDerivative, first,
                               accuracy: 1e-7 * abs(first), label)
                XCTAssertEqual(k.logPartitionFunctionSecondDerivative, second,
                               accuracy: 1e-3 * abs(second), label)
            }
        }
    }

    /// Values from an independent 60-digit evaluation of the same formula (mpmath, derivatives
    /// by mpmath.diff), where enumeration is impossible.
    func testLargeLatticeValuesFromHighPrecisionEvaluation() {
        let cases: [(rows: Int, columns: Int, beta: Double, lnZ: Double, e: Double, c: Double)] = [
            (256, 256, ExactIsing2D.criticalCoupling, 60929.157538903391, -1.4166449541968323, 2.8797862552024996),
            (256, 256, 1 / 1.5, 87750.914880492161, -1.9511165730783768, 0.19727454017699167),
            (256, 256, 1 / 3.0, 53469.690715027623, -0.81730959250242002, 0.40137957589592573),
            (2, 64, 0.5, 139.93566919932503, -1.5546696568217713, 0.5289435488900046),
            (3, 1000, 0.3, 2407.6771884056982, -0.83392478286378542, 0.36101016346890124),
            (17, 5, 0.44, 79.917731114543105, -1.4350782870506601, 1.0842096747898097),
            (64, 64, 0.01, 2839.5404857097827, -0.020003333760134961, 0.00020010002134278142),
            (50, 50, 0.24, 1884.1738432459584, -0.53023073479403179, 0.15380174923245315),
            (50, 50, 0.26, 1912.0434189888464, -0.58502957767923618, 0.1901877657472146),
            (1000, 1000, 0.4406867935097715, 929696.03825363868, -1.4148360016271922, 3.5541301303039797),
        ]
        for x in cases {
            let k = ExactIsing2D.kaufman(rows: x.rows, columns: x.columns, beta: x.beta)
            let label = "\(x.rows) × \(x.columns) at β = \(x.beta)"
            XCTAssertEqual(k.logPartitionFunction, x.lnZ, accuracy: 1e-13 * x.lnZ, label)
            XCTAssertEqual(k.energyPerSite, x.e, accuracy: 1e-12 * abs(x.e), label)
            XCTAssertEqual(k.specificHeatPerSite, x.c, accuracy: 1e-11 * x.c, label)
        }
    }

    /// Far above T_c, e ≈ −2K and c ≈ 2K² (−4K and 4K² on 2 × 2, where each pair is bonded twice)
    /// are small differences of O(1) terms; 60-digit values as above, relative tolerance ~ε/K.
    func testHighTemperatureValuesFromHighPrecisionEvaluation() {
        let cases: [(rows: Int, columns: Int, beta: Double, lnZ: Double, e: Double, c: Double)] = [
            (64, 64, 1e-3, 2839.1349475769493, -0.0020000033333376, 2.0000100000213334e-6),
            (3, 5, 1e-4, 10.397207858404181, -0.0002000100033342667, 2.000200100037335e-8),
            (4, 4, 1e-6, 11.090354888975125, -2.0000000000053333e-6, 2.000000000016e-12),
            (2, 2, 1e-6, 2.7725887222477812, -4.0000000000106667e-6, 4.000000000032e-12),
            (5, 7, 1e-30, 24.260151319598086, -2.0e-30, 2.0e-60),
        ]
        for x in cases {
            let k = ExactIsing2D.kaufman(rows: x.rows, columns: x.columns, beta: x.beta)
            let label = "\(x.rows) × \(x.columns) at β = \(x.beta)"
            let tolerance = max(1e-8, 1e-15 / x.beta)
            XCTAssertEqual(k.logPartitionFunction, x.lnZ, accuracy: 1e-14 * x.lnZ, label)
            XCTAssertEqual(k.energyPerSite, x.e, accuracy: tolerance * abs(x.e), label)
            XCTAssertEqual(k.specificHeatPerSite, x.c, accuracy: tolerance * x.c, label)
        }
    }

    /// At T_c the energy approaches −√2 and the specific heat grows like (8/π)K_c² ln L (Ferdinand &
    /// Fisher 1969), with corrections ~ln L/L (3 % in c(16) − c(8), under 1 % from L = 64 on); the
    /// formula must stay finite there on every size.
    func testFiniteSizeBehaviourAtCriticalPoint() {
        for l in [2, 3, 8, 9, 33] {
            let k = ExactIsing2D.kaufman(rows: l, columns: l, beta: ExactIsing2D.criticalCoupling)
            XCTAssertTrue(k.logPartitionFunction.isFinite && k.energyPerSite.isFinite && k.specificHeatPerSite.isFinite)
        }
        var previous = 0.0
        for l in [64, 128, 256, 512, 1024] {
            let k = ExactIsing2D.kaufman(rows: l, columns: l, beta: ExactIsing2D.criticalCoupling)
            XCTAssertTrue(k.logPartitionFunction.isFinite && k.energyPerSite.isFinite && k.specificHeatPerSite.isFinite)
            XCTAssertEqual(k.energyPerSite, -2.0.squareRoot(), accuracy: 2.0 / Double(l), "L = \(l)")
            if previous > 0 {
                let slope = 8 / Double.pi * pow(ExactIsing2D.criticalCoupling, 2) * log(2.0)
                XCTAssertEqual(k.specificHeatPerSite - previous, slope, accuracy: 0.01 * slope, "L = \(l)")
            }
            previous = k.specificHeatPerSite
        }
    }

    func testLowAndHighTemperatureLimits() {
        // Deep in the ordered phase: two ground states, every excitation costs ΔE ≥ 8.
        for beta in [10.0, 49.9, 50.1, 300] {
            let k = ExactIsing2D.kaufman(rows: 6, columns: 9, beta: beta)
            XCTAssertEqual(k.energyPerSite, -2, accuracy: 1e-12)
            XCTAssertEqual(k.specificHeatPerSite, 0, accuracy: 1e-12)
            XCTAssertEqual(k.logPartitionFunction, 2 * 54 * beta + log(2.0), accuracy: 1e-12 * 108 * beta)
        }
        // High temperature: ln Z = N ln 2 + 2N ln cosh K + O(N tanh⁴ K) from the plaquettes.
        let beta = 1e-3
        let k = ExactIsing2D.kaufman(rows: 6, columns: 9, beta: beta)
        XCTAssertEqual(k.logPartitionFunction, 54 * (log(2.0) + 2 * log(cosh(beta))), accuracy: 54 * 2e-12)
        XCTAssertEqual(k.energyPerSite, -2 * tanh(beta), accuracy: 1e-8)
    }
}
