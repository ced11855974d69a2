// Moments, jackknife and binning, against exact identities and AR(1) series with known errors.

import Numerics
import XCTest

final class StatisticsTests: XCTestCase {
    func testMeanVarianceStandardError() throws {
        XCTAssertEqual(try Statistics.mean([1, 2, 3, 4]), 2.5)
        XCTAssertEqual(try Statistics.variance([1, 2, 3, 4]), 5.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(try Statistics.standardError([1, 2, 3, 4]), (5.0 / 12).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(try Statistics.variance(repeatElement(7.25, count: 10)), 0)
        XCTAssertEqual(try Statistics.mean(ContiguousArray<Double>([1e300, -1e300, 3])), 1)
    }

    func testInvalidInputThrowsNamedErrors() {
        XCTAssertThrowsError(try Statistics.mean([])) {
            XCTAssertEqual($0 as? StatisticsError, .tooFewSamples(count: 0, required: 1))
        }
        XCTAssertThrowsError(try Statistics.variance([1])) {
            XCTAssertEqual($0 as? StatisticsError, .tooFewSamples(count: 1, required: 2))
        }
        XCTAssertThrowsError(try Statistics.mean([1, .nan])) {
            XCTAssertEqual($0 as? StatisticsError, .nonFinite(series: 0, index: 1))
        }
        XCTAssertThrowsError(try JackknifeAnalysis([[1, 2, 3], [1, 2]]) { $0[0] }) {
            XCTAssertEqual($0 as? StatisticsError, .lengthMismatch(series: 1, count: 2, expected: 3))
        }
        XCTAssertThrowsError(try JackknifeAnalysis([], binSize: 1) { _ in 0 }) {
            XCTAssertEqual($0 as? StatisticsError, .noSeries)
        }
        XCTAssertThrowsError(try JackknifeAnalysis([1, 2, 3], binSize: 2)) {
            XCTAssertEqual($0 as? StatisticsError, .invalidBinSize(binSize: 2, count: 3))
        }
        XCTAssertThrowsError(try JackknifeAnalysis([[1, 2, 3, 4], [0, 0, 0, 0]]) { $0[0] / $0[1] }) {
            XCTAssertEqual($0 as? StatisticsError, .nonFiniteFunctionValue)
        }
        XCTAssertThrowsError(try BinningAnalysis([1, 2, 3], minimumBins: 4)) {
            XCTAssertEqual($0 as? StatisticsError, .tooFewSamples(count: 3, required: 4))
        }
        XCTAssertFalse(StatisticsError.noSeries.description.isEmpty)
    }

    func testJackknifeOfMeanEqualsNaiveStandardErrorForIIDData() throws {
        let x = TestSeries.ar1(rho: 0, count: 10_000, seed: 11)
        let jk = try JackknifeAnalysis(x)
        XCTAssertEqual(jk.value, try Statistics.mean(x), accuracy: 1e-15)
        XCTAssertEqual(jk.error, try Statistics.standardError(x), accuracy: 1e-12 * jk.error)
        XCTAssertEqual(jk.biasCorrectedValue, jk.value, accuracy: 1e-12)
        XCTAssertEqual(jk.binCount, 10_000)
    }

    func testBinnedJackknifeRecoversAR1Error() throws {
        let rho = 0.9, n = 1_000_000
        let x = TestSeries.ar1(rho: rho, count: n, seed: 12)
        let exact = (2 * TestSeries.ar1TauInt(rho: rho) / Double(n)).squareRoot()   // 4.359e-3
        let jk = try JackknifeAnalysis(x, binSize: 1000)
        XCTAssertEqual(jk.binCount, 1000)
        XCTAssertEqual(jk.error, exact, accuracy: 0.1 * exact)
        // Unbinned, the jackknife misses the autocorrelation by √(2τ_int) ≈ 4.4.
        let naive = try JackknifeAnalysis(x)
        XCTAssertEqual(naive.error * (2 * TestSeries.ar1TauInt(rho: rho)).squareRoot(), exact,
                       accuracy: 0.1 * exact)
    }

    func testJackknifeBiasCorrectionRemovesOneOverNBias() throws {
        // f = x̄²: E[x̄²] = μ² + σ²/N; the jackknife removes the σ²/N term exactly.
        let x: [Double] = [1, 4, 2, 8, 5, 7]
        let jk = try JackknifeAnalysis([x], binSize: 1) { $0[0] * $0[0] }
        let mean = try Statistics.mean(x)
        let variance = try Statistics.variance(x)
        XCTAssertEqual(jk.value, mean * mean, accuracy: 1e-12)
        XCTAssertEqual(jk.biasCorrectedValue, mean * mean - variance / Double(x.count), accuracy: 1e-12)
    }

    func testBinningPlateausAtTheAR1Error() throws {
        let rho = 0.9, n = 1_000_000
        let x = TestSeries.ar1(rho: rho, count: n, seed: 13)
        let exact = (2 * TestSeries.ar1TauInt(rho: rho) / Double(n)).squareRoot()
        let binning = try BinningAnalysis(x)
        XCTAssertEqual(binning.levels.first?.binSize, 1)
        XCTAssertEqual(binning.levels.first?.error ?? 0, try Statistics.standardError(x),
                       accuracy: 1e-12)
        XCTAssertEqual(binning.levels.map(\.binSize), (0..<binning.levels.count).map { 1 << $0 })
        XCTAssertGreaterThanOrEqual(binning.levels.last?.binCount ?? 0, 32)
        let plateau = try XCTUnwrap(binning.levels.first { $0.binSize == 1024 })
        XCTAssertEqual(plateau.error, exact, accuracy: 0.1 * exact)
        XCTAssertEqual(plateau.tauInt, 9.5, accuracy: 1)
        XCTAssertEqual(binning.mean, try Statistics.mean(x), accuracy: 1e-12)
    }

    func testBinningOfConstantSeries() throws {
        let binning = try BinningAnalysis(repeatElement(2.0, count: 100), minimumBins: 10)
        XCTAssertEqual(binning.levels.count, 4)      // bin sizes 1, 2, 4, 8 leave ≥ 10 bins
        XCTAssertTrue(binning.levels.allSatisfy { $0.error == 0 && $0.tauInt == 0.5 })
    }
}
