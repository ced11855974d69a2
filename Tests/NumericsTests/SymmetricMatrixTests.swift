import Foundation
import Numerics
import XCTest

/// Cholesky inverse and Jacobi eigenvalues against a symmetric circulant matrix, whose spectrum is
/// known: c_ij = f((j − i) mod n) with f(k) = f(n − k) has eigenvalues Σ_k f(k) cos(2πmk/n).
final class SymmetricMatrixTests: XCTestCase {
    static func circulant(_ f: [Double]) -> SymmetricMatrix {
        let n = f.count
        return SymmetricMatrix(order: n, entries: (0..<(n * n)).map { f[((($0 % n) - ($0 / n)) % n + n) % n] })
    }

    /// f(0) = a, f(±1) = −b, f(±2) = c: symmetric, diagonally dominant for a > 2(b + c).
    static func band(_ n: Int, _ a: Double, _ b: Double, _ c: Double) -> [Double] {
        var f = [Double](repeating: 0, count: n)
        f[0] = a
        f[1] -= b; f[n - 1] -= b
        f[2] += c; f[n - 2] += c
        return f
    }

    func testEigenvaluesOfCirculantMatrices() {
        for n in [5, 8, 13, 32] {
            let f = Self.band(n, 3, 0.7, 0.2)
            let exact = (0..<n).map { m in (0..<n).reduce(0.0) { $0 + f[$1] * cos(2 * .pi * Double(m * $1) / Double(n)) } }.sorted()
            for (c, e) in zip(Self.circulant(f).eigenvalues(), exact) { XCTAssertEqual(c, e, accuracy: 1e-12, "n = \(n)") }
        }
    }

    func testInverseOfAPositiveDefiniteMatrixAndRefusalOfAnIndefiniteOne() throws {
        let a = Self.circulant(Self.band(12, 3, 0.9, 0.3)), n = a.order
        let inverse = try XCTUnwrap(a.inversePositiveDefinite())
        for i in 0..<n {
            for j in 0..<n {
                let product = (0..<n).reduce(0) { $0 + a[i, $1] * inverse[$1, j] }
                XCTAssertEqual(product, i == j ? 1 : 0, accuracy: 1e-12)
            }
        }
        // f(0) = 1, f(±1) = −1: eigenvalue 1 − 2cos(0) = −1 < 0, so no Cholesky factor and no inverse.
        XCTAssertNil(Self.circulant(Self.band(12, 1, 1, 0)).inversePositiveDefinite())
    }
}
