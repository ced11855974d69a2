import Foundation
import Numerics
import XCTest

/// Cholesky inverse and Jacobi eigenvalues against the free-field kernel, whose spectrum is known:
/// A = 2(𝟙 − κ Σ_{±μ} shift) on an L₀ × L₁ torus has eigenvalues 2(1 − 2κ Σ_μ cos p_μ).
final class SymmetricMatrixTests: XCTestCase {
    static func freeFieldKernel(_ l0: Int, _ l1: Int, kappa: Double) -> SymmetricMatrix {
        let v = l0 * l1
        var a = SymmetricMatrix(order: v, entries: [Double](repeating: 0, count: v * v))
        for x in 0..<l0 {
            for y in 0..<l1 {
                let i = x * l1 + y
                a[i, i] += 2
                for j in [((x + 1) % l0) * l1 + y, ((x + l0 - 1) % l0) * l1 + y, x * l1 + (y + 1) % l1, x * l1 + (y + l1 - 1) % l1] {
                    a[i, j] -= 2 * kappa
                }
            }
        }
        return a
    }

    func testEigenvaluesOfTheFreeFieldKernel() {
        for (l0, l1) in [(4, 4), (4, 6), (6, 6)] {
            let kappa = 0.2, a = Self.freeFieldKernel(l0, l1, kappa: kappa)
            var exact: [Double] = []
            for n0 in 0..<l0 {
                for n1 in 0..<l1 {
                    exact.append(2 * (1 - 2 * kappa * (cos(2 * .pi * Double(n0) / Double(l0)) + cos(2 * .pi * Double(n1) / Double(l1)))))
                }
            }
            exact.sort()
            let computed = a.eigenvalues()
            for (c, e) in zip(computed, exact) { XCTAssertEqual(c, e, accuracy: 1e-12, "\(l0)×\(l1)") }
        }
    }

    func testInverseOfAPositiveDefiniteMatrixAndRefusalOfAnIndefiniteOne() throws {
        let a = Self.freeFieldKernel(4, 6, kappa: 0.23), n = a.order
        let inverse = try XCTUnwrap(a.inversePositiveDefinite())
        for i in 0..<n {
            for j in 0..<n {
                let product = (0..<n).reduce(0) { $0 + a[i, $1] * inverse[$1, j] }
                XCTAssertEqual(product, i == j ? 1 : 0, accuracy: 1e-12)
            }
        }
        // κ > 1/4 makes the zero mode negative: no Cholesky factor, no inverse.
        XCTAssertNil(Self.freeFieldKernel(4, 4, kappa: 0.3).inversePositiveDefinite())
    }
}
