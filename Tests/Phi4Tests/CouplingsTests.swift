import Phi4
import XCTest

final class CouplingsTests: XCTestCase {
    func testHoppingToStandardExample() {
        // The example: d = 2, κ = 0.25, λ = 0.5 is m₀² = −4, g = 48.
        let standard = Phi4Couplings(kappa: 0.25, lambda: 0.5).standard(dimension: 2)
        XCTAssertEqual(standard.massSquared, -4, accuracy: 1e-14)
        XCTAssertEqual(standard.quartic, 48, accuracy: 1e-12)
    }

    func testRoundTripInEveryDimension() throws {
        for d in 2...4 {
            for (kappa, lambda) in [(0.1, 0.0), (0.2, 0.022), (0.3, 1.5), (0.05, 10.0)] {
                let hopping = Phi4Couplings(kappa: kappa, lambda: lambda)
                let back = try XCTUnwrap(Phi4Couplings(standard: hopping.standard(dimension: d), dimension: d))
                XCTAssertEqual(back.kappa, kappa, accuracy: 1e-13 * kappa, "d=\(d)")
                XCTAssertEqual(back.lambda, lambda, accuracy: 1e-12 * max(1, lambda), "d=\(d)")
            }
        }
    }

    func testStandardFormWithoutPositiveKappaIsRejected() {
        XCTAssertNil(Phi4Couplings(standard: StandardCouplings(massSquared: -4, quartic: 0), dimension: 2))
        XCTAssertNil(Phi4Couplings(standard: StandardCouplings(massSquared: 1, quartic: -1), dimension: 2))
        XCTAssertNil(Phi4Couplings(standard: StandardCouplings(massSquared: .nan, quartic: 1), dimension: 2))
    }
}
