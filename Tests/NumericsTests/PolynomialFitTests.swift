import Numerics
import XCTest

/// Weighted polynomial fits: exact on polynomials, weighted as asked, and roots by bisection.
final class PolynomialFitTests: XCTestCase {
    func testAQuadraticIsReproducedExactlyAndItsRootFound() throws {
        let x = [2.20, 2.235, 2.27, 2.305, 2.34], f = { (t: Double) in 0.3 - 1.7 * (t - 2.26) + 0.9 * (t - 2.26) * (t - 2.26) }
        let fit = try XCTUnwrap(PolynomialFit(x: x, y: x.map(f), sigma: [0.01, 0.02, 0.01, 0.03, 0.01], degree: 2))
        for t in stride(from: 2.2, through: 2.34, by: 0.01) { XCTAssertEqual(fit(t), f(t), accuracy: 1e-12) }
        let root = try XCTUnwrap(fit.root(between: 2.2, and: 2.5))
        XCTAssertEqual(f(root), 0, accuracy: 1e-12)
        XCTAssertNil(fit.root(between: 2.2, and: 2.3), "no sign change there")
    }

    func testWeightsPullTheLineTowardsPreciseValues() throws {
        let fit = try XCTUnwrap(PolynomialFit(x: [0, 1, 2], y: [0, 1, 0], sigma: [1, 1e-3, 1], degree: 0))
        XCTAssertEqual(fit(5), 1, accuracy: 1e-5)
        XCTAssertNil(PolynomialFit(x: [1, 1], y: [0, 1], sigma: [1, 1], degree: 1), "repeated x fixes no slope")
        XCTAssertNil(PolynomialFit(x: [0, 1], y: [0, .nan], sigma: [1, 1], degree: 1))
    }

    func testBlockMeansAverageAndResample() {
        let blocks = BlockMeans(components: [Array(0..<100).map(Double.init), Array(repeating: 2, count: 100)], count: 4)
        XCTAssertEqual(blocks.blocks.count, 4)
        XCTAssertEqual(blocks.blocks[1], [37, 2])
        XCTAssertEqual(blocks.mean, [49.5, 2])
        var random = RandomStream(seed: 3, purpose: .demo)
        let replica = blocks.resampledMean(&random)
        XCTAssertEqual(replica[1], 2)
        // A mean of four blocks drawn from {12, 37, 62, 87}: 12 + 6.25 k with k in 0...12.
        let k = (replica[0] - 12) / 6.25
        XCTAssertEqual(k, k.rounded(), accuracy: 1e-12)
        XCTAssertTrue((0...12).contains(Int(k.rounded())))
    }
}
