import Foundation
import Numerics
import XCTest

/// The FFT against a naive O(N²) DFT, in one and several dimensions, and its inverse.
final class FourierTransformTests: XCTestCase {
    /// Reproducible values in (−1, 1).
    private func values(_ n: Int, seed: UInt64) -> [Double] {
        var stream = RandomStream(seed: seed, purpose: .demo, replica: 0, step: n)
        return (0..<n).map { _ in 2 * stream.uniform() - 1 }
    }

    /// The multi-dimensional DFT by its definition, with all extents in row-major order.
    private func naive(_ re: [Double], _ im: [Double], extents: [Int], sign: Double) -> ([Double], [Double]) {
        let volume = re.count
        func coordinates(_ index: Int) -> [Int] {
            var rest = index
            return extents.reversed().map { l in
                defer { rest /= l }
                return rest % l
            }.reversed()
        }
        let coords = (0..<volume).map(coordinates)
        var outRe = [Double](repeating: 0, count: volume), outIm = outRe
        for k in 0..<volume {
            for j in 0..<volume {
                var phase = 0.0
                for axis in extents.indices {
                    // Reduced modulo the extent, so the angle is exact enough for the comparison.
                    phase += Double((coords[k][axis] * coords[j][axis]) % extents[axis]) / Double(extents[axis])
                }
                let angle = sign * 2 * Double.pi * phase
                outRe[k] += re[j] * cos(angle) - im[j] * sin(angle)
                outIm[k] += re[j] * sin(angle) + im[j] * cos(angle)
            }
        }
        return (outRe, outIm)
    }

    private func check(extents: [Int], file: StaticString = #filePath, line: UInt = #line) {
        let volume = extents.reduce(1, *)
        let re = values(volume, seed: 1), im = values(volume, seed: 2)
        let (expectedRe, expectedIm) = naive(re, im, extents: extents, sign: -1)
        let transform = FourierTransform(extents: extents)
        var outRe = re, outIm = im
        outRe.withUnsafeMutableBufferPointer { r in
            outIm.withUnsafeMutableBufferPointer { i in transform.forward(re: r, im: i) }
        }
        let tolerance = 1e-12 * Double(volume)
        var worst = 0.0
        for k in 0..<volume { worst = max(worst, abs(outRe[k] - expectedRe[k]), abs(outIm[k] - expectedIm[k])) }
        XCTAssertLessThan(worst, tolerance, "forward \(extents)", file: file, line: line)
        outRe.withUnsafeMutableBufferPointer { r in
            outIm.withUnsafeMutableBufferPointer { i in transform.inverse(re: r, im: i) }
        }
        worst = 0
        for k in 0..<volume { worst = max(worst, abs(outRe[k] - re[k]), abs(outIm[k] - im[k])) }
        XCTAssertLessThan(worst, 1e-13 * Double(max(volume, 8)), "inverse ∘ forward \(extents)", file: file, line: line)
    }

    func testEveryLengthUpTo40AndSomeLargerOnes() {
        for n in Array(1...40) + [64, 96, 100, 127, 256] { check(extents: [n]) }
    }

    func testMultiDimensional() {
        for extents in [[4, 4], [3, 5], [8, 6], [1, 7], [6, 1], [2, 3, 4], [5, 4, 3], [4, 4, 4], [2, 3, 2, 5]] {
            check(extents: extents)
        }
    }

    func testInverseUndoesForwardOnALargeArray() {
        let extents = [24, 17, 16], volume = extents.reduce(1, *)
        let re = values(volume, seed: 3), im = values(volume, seed: 4)
        let transform = FourierTransform(extents: extents)
        var r = re, i = im
        r.withUnsafeMutableBufferPointer { rb in
            i.withUnsafeMutableBufferPointer { ib in
                transform.forward(re: rb, im: ib)
                transform.inverse(re: rb, im: ib)
            }
        }
        let worst = zip(r + i, re + im).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(worst, 1e-13)
    }

    /// Parseval: Σ|X|² = N Σ|x|² for a Bluestein length.
    func testParseval() {
        let n = 1000
        let re = values(n, seed: 5), im = values(n, seed: 6)
        let plan = FourierPlan(count: n)
        var r = re, i = im
        r.withUnsafeMutableBufferPointer { rb in
            i.withUnsafeMutableBufferPointer { ib in plan.forward(re: rb.baseAddress!, im: ib.baseAddress!) }
        }
        let before = zip(re, im).map { $0 * $0 + $1 * $1 }.reduce(0, +)
        let after = zip(r, i).map { $0 * $0 + $1 * $1 }.reduce(0, +)
        XCTAssertEqual(after, Double(n) * before, accuracy: 1e-10 * after)
    }
}
