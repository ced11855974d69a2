// RandomStream: counter layout, conversions, moments, determinism and random access.

import Numerics
import XCTest

final class RandomStreamTests: XCTestCase {
    let seed: UInt64 = 0x0123_4567_89AB_CDEF

    // MARK: Layout and known answers

    func testCounterLayoutAndKeyMatchDocumentation() {
        let s = RandomStream(seed: seed, purpose: .update, replica: 3, step: 7, site: 11)
        XCTAssertEqual(s.counter(block: 0), SIMD4(11, 7, 3, 2 << 24))
        XCTAssertEqual(s.counter(block: 5), SIMD4(11, 7, 3, 2 << 24 | 5))
        XCTAssertEqual(s.block(1), Philox4x32.block(counter: SIMD4(11, 7, 3, 2 << 24 | 1),
                                                   key: SIMD2(0x89AB_CDEF, 0x0123_4567)))
        XCTAssertEqual([s.replica, s.step, s.site, s.blockIndex], [3, 7, 11, 0])
    }

    /// Values from an independent Python implementation of Philox and of the documented mapping.
    func testKnownAnswersFromIndependentImplementation() {
        var s = RandomStream(seed: seed, purpose: .update, replica: 3, step: 7, site: 11)
        XCTAssertEqual(s.block(0), SIMD4(0x8737_A788, 0xFEF8_2284, 0x0E68_1345, 0xC194_1B55))
        XCTAssertEqual(s.block(1), SIMD4(0x00E6_6609, 0x0FD3_1B09, 0x0C4B_B381, 0x952C_BE88))
        XCTAssertEqual(s.uniform(), 0x1.0e6f4f11fdf04p-1)
        XCTAssertEqual(s.uniform(), 0x1.cd0268b832838p-5)
        XCTAssertEqual(s.uniform(), 0x1.cccc121fa6380p-9)
        XCTAssertEqual(s.uniform(), 0x1.89767032a5978p-5)
    }

    // MARK: Conversions

    func testUniformExtremesStayInsideOpenInterval() {
        let zero = RandomStream.uniform(high: 0, low: 0)
        let ones = RandomStream.uniform(high: .max, low: .max)
        XCTAssertEqual(zero, 0x1p-54)
        XCTAssertGreaterThan(zero, 0)
        XCTAssertEqual(ones, 1.0.nextDown)
        XCTAssertLessThan(ones, 1)
        // Everything just below the top and just above the bottom is inside too.
        for low: UInt32 in [0, 0x7FF, 0x800, 0xFFFF_F000, 0xFFFF_F7FF, 0xFFFF_F800, .max] {
            for high: UInt32 in [0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, .max] {
                let u = RandomStream.uniform(high: high, low: low)
                XCTAssertTrue(u > 0 && u < 1, "uniform(\(high), \(low)) = \(u)")
            }
        }
        // Low bits below the 53 used do not matter; bit 11 of the low word does.
        XCTAssertEqual(RandomStream.uniform(high: 5, low: 0x7FF), RandomStream.uniform(high: 5, low: 0))
        XCTAssertNotEqual(RandomStream.uniform(high: 0, low: 0x800), zero)
    }

    func testNormalPairIsFiniteAtExtremeBlocks() {
        let m = UInt32.max
        for b: SIMD4<UInt32> in [.zero, SIMD4(repeating: m), SIMD4(0, 0, m, m), SIMD4(m, m, 0, 0)] {
            let (z0, z1) = RandomStream.normalPair(b)
            XCTAssertTrue(z0.isFinite && z1.isFinite)
            XCTAssertLessThan(abs(z0), 9)
        }
    }

    func testDrawsNeverLeaveTheirRange() {
        var s = RandomStream(seed: 1, purpose: .demo)
        for _ in 0..<100_000 {
            let u = s.uniform()
            XCTAssertTrue(u > 0 && u < 1)
            let e = s.exponential()
            XCTAssertTrue(e > 0 && e.isFinite)
        }
    }

    // MARK: Moments (10⁶ draws, 5σ)

    private func moments(_ n: Int, _ draw: (inout RandomStream) -> Double) -> (Double, Double, Double) {
        var s = RandomStream(seed: 2024, purpose: .demo, replica: 1)
        var m1 = 0.0, m2 = 0.0, m4 = 0.0
        for _ in 0..<n {
            let x = draw(&s)
            m1 += x; m2 += x * x; m4 += x * x * x * x
        }
        return (m1 / Double(n), m2 / Double(n), m4 / Double(n))
    }

    func testUniformMoments() {
        let n = 1_000_000
        let (m1, m2, _) = moments(n) { $0.uniform() }
        XCTAssertEqual(m1, 0.5, accuracy: 5 * (1.0 / 12 / Double(n)).squareRoot())
        XCTAssertEqual(m2, 1.0 / 3, accuracy: 5 * (4.0 / 45 / Double(n)).squareRoot())
    }

    func testNormalMoments() {
        let n = 1_000_000
        let (m1, m2, m4) = moments(n) { $0.normal() }
        XCTAssertEqual(m1, 0, accuracy: 5 * (1 / Double(n)).squareRoot())
        XCTAssertEqual(m2, 1, accuracy: 5 * (2 / Double(n)).squareRoot())
        XCTAssertEqual(m4, 3, accuracy: 5 * (96 / Double(n)).squareRoot())
    }

    func testExponentialMoments() {
        let n = 1_000_000
        let (m1, m2, _) = moments(n) { $0.exponential() }
        XCTAssertEqual(m1, 1, accuracy: 5 * (1 / Double(n)).squareRoot())
        XCTAssertEqual(m2, 2, accuracy: 5 * (20 / Double(n)).squareRoot())
    }

    func testIntegerBelowIsUniform() {
        var s = RandomStream(seed: 9, purpose: .sampling)
        let bound = 7, n = 700_000
        var counts = [Int](repeating: 0, count: bound)
        for _ in 0..<n { counts[s.integer(below: bound)] += 1 }
        let expected = Double(n) / Double(bound)
        let chi2 = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        XCTAssertLessThan(chi2, 30, "χ² with 6 degrees of freedom: \(counts)")
        var t = RandomStream(seed: 9, purpose: .sampling)
        for _ in 0..<1000 { XCTAssertEqual(t.integer(below: 1), 0) }
        XCTAssertLessThan(t.integer(below: 1 << 32), 1 << 32)
    }

    // MARK: Determinism

    private func firstUniforms(_ s: RandomStream, _ n: Int = 8) -> [Double] {
        var s = s
        return (0..<n).map { _ in s.uniform() }
    }

    func testSameIndicesGiveSameNumbers() {
        let a = RandomStream(seed: seed, purpose: .momenta, replica: 2, step: 100, site: 5)
        let b = RandomStream(seed: seed, purpose: .momenta, replica: 2, step: 100, site: 5)
        XCTAssertEqual(firstUniforms(a), firstUniforms(b))
    }

    func testEveryIndexSeparatesStreams() {
        let base = RandomStream(seed: seed, purpose: .update, replica: 1, step: 1, site: 1)
        let variants = [
            RandomStream(seed: seed + 1, purpose: .update, replica: 1, step: 1, site: 1),
            RandomStream(seed: seed ^ (1 << 40), purpose: .update, replica: 1, step: 1, site: 1),
            RandomStream(seed: seed, purpose: .acceptReject, replica: 1, step: 1, site: 1),
            base.substream(replica: 0), base.substream(step: 2), base.substream(site: 2),
        ]
        var seen = Set([firstUniforms(base)])
        for v in variants { XCTAssertTrue(seen.insert(firstUniforms(v)).inserted) }
        // Swapping index values between words must not collide either.
        let swapped = RandomStream(seed: seed, purpose: .update, replica: 2, step: 3, site: 4)
        let other = RandomStream(seed: seed, purpose: .update, replica: 4, step: 3, site: 2)
        XCTAssertNotEqual(firstUniforms(swapped), firstUniforms(other))
    }

    func testPurposeDescriptionAndRawValues() {
        let builtIn: [RandomStream.Purpose] = [.demo, .initialization, .update, .momenta,
                                               .acceptReject, .exchange, .sampling]
        XCTAssertEqual(Set(builtIn.map(\.rawValue)).count, builtIn.count)
        XCTAssertEqual(RandomStream.Purpose.exchange.description, "exchange")
        XCTAssertEqual(RandomStream.Purpose(rawValue: 200).description, "purpose(200)")
    }

    // MARK: Random access equals sequential

    func testSequentialWordsEqualDirectBlocks() {
        var s = RandomStream(seed: seed, purpose: .demo, step: 3)
        let direct = (0..<5).flatMap { b in (0..<4).map { s.block(b)[$0] } }
        let sequential = (0..<20).map { _ in s.nextUInt32() }
        XCTAssertEqual(sequential, direct)
        XCTAssertEqual(s.blockIndex, 5)
        s.seek(toBlock: 3)
        XCTAssertEqual(s.nextUInt64(), UInt64(direct[12]) << 32 | UInt64(direct[13]))
    }

    func testSeekMatchesSkippingDraws() {
        var a = RandomStream(seed: seed, purpose: .initialization, replica: 7)
        for _ in 0..<2000 { _ = a.uniform() }     // two per block: now at block 1000
        var b = RandomStream(seed: seed, purpose: .initialization, replica: 7)
        b.seek(toBlock: 1000)
        XCTAssertEqual(firstUniforms(a, 10), firstUniforms(b, 10))
    }

    func testNormalsComeInPairsFromOneBlock() {
        var s = RandomStream(seed: seed, purpose: .momenta)
        let pair0 = RandomStream.normalPair(s.block(0))
        let pair1 = RandomStream.normalPair(s.block(1))
        XCTAssertEqual(s.normal(), pair0.0)
        XCTAssertEqual(s.normal(), pair0.1)
        _ = s.uniform()                              // half of block 1 …
        XCTAssertEqual(s.normal(), RandomStream.normalPair(s.block(2)).0)   // … is abandoned
        XCTAssertNotEqual(pair1.0, pair0.0)
    }

    func testSequentialFillsEqualSingleDraws() {
        for offset in 0..<3 {
            for n in [0, 1, 2, 7, 1000, 1001] {
                var single = RandomStream(seed: seed, purpose: .demo, site: 9)
                for _ in 0..<offset { _ = single.uniform() }
                var bulk = single
                let expected = (0..<n).map { _ in single.uniform() }
                var got = [Double](repeating: 0, count: n)
                got.withUnsafeMutableBufferPointer { bulk.fillUniforms($0) }
                XCTAssertEqual(got, expected, "uniforms, offset \(offset), n \(n)")
                XCTAssertEqual(bulk.uniform(), single.uniform())

                var singleN = RandomStream(seed: seed, purpose: .momenta, site: 9)
                for _ in 0..<offset { _ = singleN.normal() }   // odd offsets leave a cached normal
                var bulkN = singleN
                let expectedN = (0..<n).map { _ in singleN.normal() }
                var gotN = [Double](repeating: 0, count: n)
                gotN.withUnsafeMutableBufferPointer { bulkN.fillNormals($0) }
                XCTAssertEqual(gotN, expectedN, "normals, offset \(offset), n \(n)")
                XCTAssertEqual(bulkN.normal(), singleN.normal())
            }
        }
    }

    func testSiteFillsEqualPerSiteStreamsUnderAnyDecomposition() {
        let field = RandomStream(seed: seed, purpose: .initialization, replica: 1, step: 4, site: 0)
        let n = 1000
        var whole = [Double](repeating: 0, count: n)
        var wholeN = [Double](repeating: 0, count: n)
        whole.withUnsafeMutableBufferPointer { field.fillSiteUniforms($0) }
        wholeN.withUnsafeMutableBufferPointer { field.fillSiteNormals($0) }
        for site in [0, 1, 499, 999] {
            var s = field.substream(site: site)
            XCTAssertEqual(whole[site], s.uniform())
            var t = field.substream(site: site)
            XCTAssertEqual(wholeN[site], t.normal())
        }
        // Two "ranks" owning sites 0..<300 and 300..<1000 get the same numbers.
        var parts = [Double](repeating: 0, count: n)
        parts.withUnsafeMutableBufferPointer { p in
            field.fillSiteUniforms(UnsafeMutableBufferPointer(rebasing: p[0..<300]))
            field.substream(site: 300).fillSiteUniforms(UnsafeMutableBufferPointer(rebasing: p[300...]))
        }
        XCTAssertEqual(parts, whole)
    }

    func testLargestIndicesAreAccepted() {
        let top = RandomStream.indexLimit - 1
        var s = RandomStream(seed: .max, purpose: RandomStream.Purpose(rawValue: 255),
                             replica: top, step: top, site: top)
        XCTAssertEqual(s.counter(block: Int(RandomStream.blocksPerSubstream) - 1),
                       SIMD4(repeating: .max))
        s.seek(toBlock: Int(RandomStream.blocksPerSubstream) - 1)
        XCTAssertEqual(s.nextBlockWords(), SIMD4(0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD))
    }
}
