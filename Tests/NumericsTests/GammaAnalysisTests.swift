// Wolff's Γ-method against the AR(1) oracle of REFERENCE.md, the jackknife, and its edge cases.

import Numerics
import XCTest

final class GammaAnalysisTests: XCTestCase {
    func testAR1WithRho09MatchesExactTauAndError() throws {
        let n = 1_000_000
        let x = TestSeries.ar1(rho: 0.9, count: n, seed: 21)
        let r = try GammaAnalysis(x)
        XCTAssertEqual(r.count, n)
        XCTAssertGreaterThan(r.window, 10)
        XCTAssertLessThan(r.window, 500)
        XCTAssertEqual(r.tauInt, 9.5, accuracy: 4 * r.tauIntError)
        XCTAssertEqual(r.tauIntError, 2 * 9.5 * ((Double(r.window) - 9.5 + 0.5) / Double(n)).squareRoot(),
                       accuracy: 0.1 * r.tauIntError)
        XCTAssertEqual(r.error, 4.359e-3, accuracy: 0.1 * 4.359e-3)
        XCTAssertEqual(r.value, 0, accuracy: 4 * r.error)
        XCTAssertEqual(r.value, try Statistics.mean(x), accuracy: 1e-15)
    }

    func testUncorrelatedSeriesHasTauOneHalf() throws {
        let n = 100_000
        let x = TestSeries.ar1(rho: 0, count: n, seed: 22)
        let r = try GammaAnalysis(x)
        XCTAssertEqual(r.tauInt, 0.5, accuracy: max(4 * r.tauIntError, 0.02))
        XCTAssertLessThan(r.window, 5)
        XCTAssertEqual(r.error, (1 / Double(n)).squareRoot(), accuracy: 0.05 / Double(n).squareRoot())
    }

    func testConstantSeriesHasZeroErrorAndNoNaN() throws {
        let r = try GammaAnalysis(repeatElement(3.5, count: 1000))
        XCTAssertEqual(r, GammaAnalysis(value: 3.5, error: 0, tauInt: 0.5, tauIntError: 0,
                                        window: 0, count: 1000))
        let binder = try GammaAnalysis.binderCumulant(m2: [4, 4, 4], m4: [16, 16, 16])
        XCTAssertEqual(binder.value, 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(binder.error, 0)
        XCTAssertEqual(binder.tauInt, 0.5)
    }

    func testTooFewSamplesAndBadInputThrow() throws {
        XCTAssertThrowsError(try GammaAnalysis([1.0])) {
            XCTAssertEqual($0 as? StatisticsError, .tooFewSamples(count: 1, required: 2))
        }
        XCTAssertThrowsError(try GammaAnalysis([Double]())) {
            XCTAssertEqual($0 as? StatisticsError, .tooFewSamples(count: 0, required: 2))
        }
        XCTAssertThrowsError(try GammaAnalysis([1, .infinity, 2])) {
            XCTAssertEqual($0 as? StatisticsError, .nonFinite(series: 0, index: 1))
        }
        XCTAssertThrowsError(try GammaAnalysis([[1, 2], [1]]) { $0[0] }) {
            XCTAssertEqual($0 as? StatisticsError, .lengthMismatch(series: 1, count: 1, expected: 2))
        }
        // Two samples are always anticorrelated at lag 1 (Γ(1) = −Γ(0)); three can be analysed.
        XCTAssertThrowsError(try GammaAnalysis([1.0, 2.0]))
        let three = try GammaAnalysis([1.0, 2.0, 4.0])
        XCTAssertEqual(three.value, 7.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(three.window, 1)
        XCTAssertTrue(three.error.isFinite && three.error > 0 && three.tauInt.isFinite)
    }

    func testAlternatingSeriesIsReportedAsPathological() {
        let x = (0..<1000).map { $0 % 2 == 0 ? 1.0 : -1.0 }
        XCTAssertThrowsError(try GammaAnalysis(x)) {
            guard case .nonPositiveIntegratedAutocorrelation = $0 as? StatisticsError else {
                return XCTFail("unexpected \($0)")
            }
        }
    }

    func testWindowStaysWithinHalfTheSeries() throws {
        // A ramp looks strongly correlated at every lag a short series can show; g(W) < 0 is
        // still reached by ⌊N/2⌋, as it must be for any data.
        for n in [10, 50, 51] {
            let r = try GammaAnalysis((0..<n).map { Double($0) })
            XCTAssertLessThanOrEqual(r.window, n / 2)
            XCTAssertGreaterThan(r.tauInt, 1)
            XCTAssertTrue(r.error.isFinite && r.error > 0)
        }
        let ar = TestSeries.ar1(rho: 0.99, count: 300, seed: 26)
        XCTAssertLessThanOrEqual(try GammaAnalysis(ar).window, 150)
    }

    func testIdentityFunctionReproducesPrimaryAnalysis() throws {
        let x = TestSeries.ar1(rho: 0.5, count: 100_000, seed: 23)
        let primary = try GammaAnalysis(x)
        let derived = try GammaAnalysis([x]) { $0[0] }
        XCTAssertEqual(derived.value, primary.value, accuracy: 1e-15)
        XCTAssertEqual(derived.error, primary.error, accuracy: 1e-9 * primary.error)
        XCTAssertEqual(derived.tauInt, primary.tauInt, accuracy: 1e-9)
        XCTAssertEqual(derived.window, primary.window)
        // A linear function scales the error exactly; the constant offset only shifts the value.
        let scaled = try GammaAnalysis([x]) { 3 * $0[0] + 1 }
        XCTAssertEqual(scaled.error, 3 * primary.error, accuracy: 1e-9 * primary.error)
        XCTAssertEqual(scaled.value, 3 * primary.value + 1, accuracy: 1e-12)
    }

    func testRatioOfMeansAgreesWithBinnedJackknife() throws {
        let n = 1_000_000
        let a = TestSeries.ar1(rho: 0.8, count: n, seed: 24, replica: 0)
        let b = TestSeries.ar1(rho: 0.5, count: n, seed: 24, replica: 1)
        let x = a.map { 2 + $0 }
        let y = (0..<n).map { 3 + 0.6 * a[$0] + 0.8 * b[$0] }
        let ratio: ([Double]) -> Double = { $0[0] / $0[1] }
        let gamma = try GammaAnalysis([x, y], function: ratio)
        let jackknife = try JackknifeAnalysis([x, y], binSize: 1000, function: ratio)
        XCTAssertEqual(gamma.value, 2.0 / 3, accuracy: 4 * gamma.error)
        XCTAssertEqual(gamma.error, jackknife.error, accuracy: 0.15 * jackknife.error)
        XCTAssertEqual(gamma.value, jackknife.value, accuracy: 1e-12)
    }

    func testBinderCumulantOfGaussianMagnetisation() throws {
        // For Gaussian m, ⟨m⁴⟩ = 3⟨m²⟩², so U₄ = 0 exactly.
        let n = 1_000_000
        let m = TestSeries.ar1(rho: 0.7, count: n, seed: 25)
        let m2 = m.map { $0 * $0 }
        let m4 = m2.map { $0 * $0 }
        let binder = try GammaAnalysis.binderCumulant(m2: m2, m4: m4)
        XCTAssertEqual(binder.value, 0, accuracy: 4 * binder.error)
        let jackknife = try JackknifeAnalysis([m2, m4], binSize: 1000) { 1 - $0[1] / (3 * $0[0] * $0[0]) }
        XCTAssertEqual(binder.error, jackknife.error, accuracy: 0.15 * jackknife.error)
        // Exact oracle: the gradient at the Gaussian means is (2, −1/3), and by Isserlis' theorem
        // the projected series δ = 2(m²−1) − (m⁴−3)/3 has autocovariance (8/3)·ρ^(4t). So
        // τ_int = ½(1+ρ⁴)/(1−ρ⁴) and σ(U₄) = √(2τ_int · 8/3 / N).
        let rho4 = pow(0.7, 4.0)
        let tau = 0.5 * (1 + rho4) / (1 - rho4)
        XCTAssertEqual(binder.tauInt, tau, accuracy: 4 * binder.tauIntError)
        XCTAssertEqual(binder.error, (2 * tau * 8 / 3 / Double(n)).squareRoot(),
                       accuracy: 0.1 * binder.error)
    }
}
