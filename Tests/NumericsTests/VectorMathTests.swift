// VectorMath against libm, and RandomStream.fillNormals against the scalar normalPair.

import Foundation
import Numerics
import XCTest

final class VectorMathTests: XCTestCase {
    /// |a − b| in units of the last place of b.
    private func ulps(_ a: Double, _ b: Double) -> Double { abs(a - b) / b.ulp }

    /// Uniforms as HMC feeds them, plus the ends of (0, 1), powers of two and the √2 boundaries
    /// of the mantissa reduction.
    private func samples(_ count: Int) -> [Double] {
        var random = RandomStream(seed: 21, purpose: .demo)
        var values = (0..<count).map { _ in random.uniform() }
        values += [0x1p-54, 0x1.fffffffffffffp-1, 0.5, 0.25, 0x1p-30, 1e-300, 0.7071067811865475, 0.7071067811865476,
                   1.4142135623730951 / 2, 1.4142135623730951 / 4, 0.9999999, 1e-5]
        return values
    }

    private func map(_ values: [Double], _ f: (SIMD8<Double>) -> SIMD8<Double>) -> [Double] {
        var out: [Double] = []
        var i = 0
        while i < values.count {
            var v = SIMD8<Double>(repeating: 0.5)
            for lane in 0..<8 where i + lane < values.count { v[lane] = values[i + lane] }
            let r = f(v)
            for lane in 0..<8 where i + lane < values.count { out.append(r[lane]) }
            i += 8
        }
        return out
    }

    func testLogAgreesWithLibmToOneULP() {
        let x = samples(200_000)
        let ours = map(x) { VectorMath.log($0) }
        var worst = 0.0
        for (value, result) in zip(x, ours) { worst = max(worst, ulps(result, Foundation.log(value))) }
        XCTAssertLessThanOrEqual(worst, 1.0, "worst log error \(worst) ulp")
    }

    /// √x over the radii Box–Muller takes (−2 ln u for u in (0, 1)) and beyond.
    func testSquareRootAgreesWithLibmToOneULP() {
        let x: [Double] = samples(200_000).flatMap { (u: Double) -> [Double] in [-2 * Foundation.log(u), u, 1 / u, u * 1e300] } + [1, 4, 2, 0x1p-1022, 1.7976931348623157e308]
        let ours = map(x) { VectorMath.squareRoot($0) }
        var worst = 0.0
        for (value, result) in zip(x, ours) { worst = max(worst, ulps(result, value.squareRoot())) }
        XCTAssertLessThanOrEqual(worst, 1.0, "worst square-root error \(worst) ulp")
    }

    /// sin and cos of 2πt against the same in 80-bit extended precision (libm's double sin(2π·t)
    /// would carry the rounding of 2π·t, up to 7e-16, which is larger than the error tested):
    /// within 2⁻⁵² absolutely (the values lie in [−1, 1]).
    func testSinCosTurnsAgreeWithExtendedPrecision() throws {
        #if arch(x86_64) && os(Linux)
        var t = samples(200_000)
        t += [0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1, 0.1249999999, 0.1250000001, 0.9999999999]
        let sines = map(t) { VectorMath.sinCosTurns($0).sin }, cosines = map(t) { VectorMath.sinCosTurns($0).cos }
        var worst = 0.0
        for i in t.indices {
            let angle = 2 * Self.pi80 * Float80(t[i])
            worst = max(worst, abs(sines[i] - Double(sinl(angle))), abs(cosines[i] - Double(cosl(angle))))
        }
        XCTAssertLessThanOrEqual(worst, 0x1p-52, "worst sin/cos error \(worst)")
        // The quadrants land exactly.
        XCTAssertEqual(map([0.25]) { VectorMath.sinCosTurns($0).sin }[0], 1)
        XCTAssertEqual(map([0.5]) { VectorMath.sinCosTurns($0).cos }[0], -1)
        XCTAssertEqual(map([0.75]) { VectorMath.sinCosTurns($0).sin }[0], -1)
        #else
        throw XCTSkip("needs Float80")
        #endif
    }

    #if arch(x86_64) && os(Linux)
    static let pi80: Float80 = 3.14159265358979323846264338327950288
    #endif

    /// fillNormals is normalPair of each site's pair block, to a few ulp; and the value of a site
    /// does not depend on where the buffer starts or ends (odd starts, partial groups).
    func testFillNormalsMatchesNormalPairAndIsPositionIndependent() {
        let seed: UInt64 = 5, replica = 3, step = 11
        func normals(first: Int, count: Int) -> [Double] {
            var out = [Double](repeating: .nan, count: count)
            var scratch = [UInt32](repeating: 0, count: RandomStream.scratchWords(sites: count, firstSite: first))
            out.withUnsafeMutableBufferPointer { o in
                scratch.withUnsafeMutableBufferPointer { s in
                    RandomStream.fillNormals(seed: seed, purpose: .momenta, replica: replica, step: step, firstSite: first, into: o, scratch: s)
                }
            }
            return out
        }
        let all = normals(first: 0, count: 1000)
        var worst = 0.0, worstLibm = 0.0
        for site in 0..<1000 {
            let block = RandomStream(seed: seed, purpose: .momenta, replica: replica, step: step, site: site / 2).block(0)
            let pair = RandomStream.normalPair(block)
            let expected = site % 2 == 0 ? pair.0 : pair.1
            worstLibm = max(worstLibm, abs(all[site] - expected) / max(1, abs(expected)))
            #if arch(x86_64) && os(Linux)
            // Box–Muller in extended precision; the error allowed is the radius times about 3 ulp.
            let u1 = Float80(RandomStream.uniform(high: block[0], low: block[1])), u2 = Float80(RandomStream.uniform(high: block[2], low: block[3]))
            let r = (-2 * logl(u1)).squareRoot(), angle = 2 * Self.pi80 * u2
            let exact = Double(site % 2 == 0 ? r * cosl(angle) : r * sinl(angle))
            worst = max(worst, abs(all[site] - exact) / Double(r))
            #endif
        }
        XCTAssertLessThanOrEqual(worst, 6e-16, "worst normal error \(worst) per unit radius")
        // libm's normalPair has its own rounding of 2π·u; the two agree to a few ulp.
        XCTAssertLessThanOrEqual(worstLibm, 2e-15, "worst difference from normalPair \(worstLibm)")
        for (first, count) in [(1, 1), (1, 2), (3, 17), (16, 16), (17, 300), (998, 2), (0, 1), (5, 0), (301, 699)] {
            let part = normals(first: first, count: count)
            XCTAssertEqual(part, Array(all[first..<(first + count)]), "sites \(first)..<\(first + count)")
        }
        // Normal to the eye of a test: mean 0 and variance 1 of many sites at 4σ.
        let many = normals(first: 7, count: 200_000)
        let mean = many.reduce(0, +) / Double(many.count)
        let variance = many.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(many.count - 1)
        XCTAssertLessThan(abs(mean), 4 / Double(many.count).squareRoot())
        XCTAssertLessThan(abs(variance - 1), 4 * (2 / Double(many.count)).squareRoot())
    }

    /// The rational tanh over a dense grid of [−10, 10] and special values, against double tanh.
    func testRationalTanhIsWithinFourTenMillionthsAndSaturates() {
        var worst = 0.0
        for i in -2_000_000...2_000_000 {
            let x = Float(i) * 5e-6
            worst = max(worst, abs(Double(rationalTanh(x)) - tanh(Double(x))))
            XCTAssertEqual(rationalTanh(-x), -rationalTanh(x))
        }
        XCTAssertLessThan(worst, 4e-7)
        XCTAssertEqual(rationalTanh(20), 1)
        XCTAssertEqual(rationalTanh(-.infinity), -1)
        XCTAssertEqual(rationalTanh(1e-5), 1e-5)
        XCTAssertTrue(rationalTanh(.nan).isNaN)
    }
}
