// RandomStream.fillWords (PhiloxBatch.swift): bit-identical to block 0 of the scalar streams for
// every count, offset and index range, writes nothing outside its buffer, and is faster.

import Foundation
import Numerics
import XCTest

final class PhiloxBatchTests: XCTestCase {
    /// What fillWords must produce: word k is word k & 3 of block 0 of site firstBlock + k >> 2.
    private func scalarWords(seed: UInt64, purpose: RandomStream.Purpose, replica: Int, step: Int,
                             firstBlock: Int, count: Int) -> [UInt32] {
        (0..<count).map { k in
            RandomStream(seed: seed, purpose: purpose, replica: replica, step: step,
                         site: firstBlock + (k >> 2)).block(0)[k & 3]
        }
    }

    /// fillWords into the middle of a larger buffer of sentinels; checks the guard words survive.
    private func batchWords(seed: UInt64, purpose: RandomStream.Purpose, replica: Int, step: Int,
                            firstBlock: Int, count: Int, offset: Int = 0,
                            file: StaticString = #filePath, line: UInt = #line) -> [UInt32] {
        let guardWords = 40
        let sentinel: UInt32 = 0xDEAD_BEEF
        var storage = [UInt32](repeating: sentinel, count: offset + count + guardWords)
        storage.withUnsafeMutableBufferPointer { all in
            let slice = UnsafeMutableBufferPointer(rebasing: all[offset..<(offset + count)])
            RandomStream.fillWords(seed: seed, purpose: purpose, replica: replica, step: step,
                                   firstBlock: firstBlock, into: slice)
        }
        XCTAssertTrue(storage[..<offset].allSatisfy { $0 == sentinel }, "wrote before the buffer",
                      file: file, line: line)
        XCTAssertTrue(storage[(offset + count)...].allSatisfy { $0 == sentinel }, "wrote past the buffer",
                      file: file, line: line)
        return Array(storage[offset..<(offset + count)])
    }

    private func assertMatchesScalar(seed: UInt64, purpose: RandomStream.Purpose, replica: Int, step: Int,
                                     firstBlock: Int, count: Int, offset: Int = 0,
                                     file: StaticString = #filePath, line: UInt = #line) {
        let got = batchWords(seed: seed, purpose: purpose, replica: replica, step: step,
                             firstBlock: firstBlock, count: count, offset: offset, file: file, line: line)
        let want = scalarWords(seed: seed, purpose: purpose, replica: replica, step: step,
                               firstBlock: firstBlock, count: count)
        if let k = (0..<count).first(where: { got[$0] != want[$0] }) {
            XCTFail("seed \(seed) purpose \(purpose) replica \(replica) step \(step) firstBlock \(firstBlock) "
                    + "count \(count): word \(k) is \(String(got[k], radix: 16)), "
                    + "block(0) gives \(String(want[k], radix: 16))", file: file, line: line)
        }
    }

    // MARK: Known answers

    /// REFERENCE.md's first vector is block 0 of site 0 with seed 0, purpose 0, replica 0, step 0
    /// (counter 0,0,0,0; key 0,0). The other two have a nonzero block index in counter word 3, so
    /// no call of fillWords (always block 0) reaches them.
    func testKnownAnswerZeroCounterAndKey() {
        let words = batchWords(seed: 0, purpose: .demo, replica: 0, step: 0, firstBlock: 0, count: 4)
        XCTAssertEqual(words, [0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8])
    }

    /// The independent-implementation values of RandomStreamTests (seed 0x0123456789ABCDEF, update,
    /// replica 3, step 7, site 11, block 0), reached at every position of a SIMD group.
    func testKnownAnswerFromIndependentImplementation() {
        let want: [UInt32] = [0x8737_A788, 0xFEF8_2284, 0x0E68_1345, 0xC194_1B55]
        for lead in 0..<9 {
            let words = batchWords(seed: 0x0123_4567_89AB_CDEF, purpose: .update, replica: 3, step: 7,
                                   firstBlock: 11 - lead, count: 4 * lead + 4)
            XCTAssertEqual(Array(words[(4 * lead)...]), want, "site 11 at lane \(lead)")
        }
    }

    // MARK: Agreement with RandomStream.block

    func testCountsAndOffsetsMatchScalarBlocks() {
        let counts = [0, 1, 2, 3, 4, 5, 7, 8, 31, 32, 33, 35, 63, 64, 65, 127, 128, 129, 1000, 4097]
        let firstBlocks = [0, 1, 3, 5, 7, 8, 9, 13, 1_000_003]
        for count in counts {
            for firstBlock in firstBlocks {
                assertMatchesScalar(seed: 0x0123_4567_89AB_CDEF, purpose: .update, replica: 3, step: 7,
                                    firstBlock: firstBlock, count: count)
            }
        }
    }

    func testUnalignedDestinationsMatchScalarBlocks() {
        // The words pointer is only 4-byte aligned in general; the kernel stores 8-byte lanes.
        for offset in 0..<5 {
            for count in [1, 4, 33, 100] {
                assertMatchesScalar(seed: 42, purpose: .update, replica: 1, step: 2,
                                    firstBlock: 5, count: count, offset: offset)
            }
        }
    }

    func testManyKeysAndIndicesMatchScalarBlocks() {
        let limit = RandomStream.indexLimit
        let seeds: [UInt64] = [0, 1, 0xFFFF_FFFF, 0x1_0000_0000, 0x0123_4567_89AB_CDEF, .max]
        let purposes: [RandomStream.Purpose] = [.demo, .update, .momenta,
                                               RandomStream.Purpose(rawValue: 32),
                                               RandomStream.Purpose(rawValue: 255)]
        let indices = [0, 1, 2, 7, 12_345, 1 << 31, limit - 2, limit - 1]
        var generator = SystemRandomNumberGenerator()
        for seed in seeds {
            for purpose in purposes {
                for (n, replica) in indices.enumerated() {
                    let step = indices[(n * 3 + 1) % indices.count]
                    let firstBlock = Int.random(in: 0..<(1 << 31), using: &generator)
                    let count = Int.random(in: 0...200, using: &generator)
                    assertMatchesScalar(seed: seed, purpose: purpose, replica: replica, step: step,
                                        firstBlock: firstBlock, count: count)
                }
            }
        }
    }

    func testRandomArgumentsMatchScalarBlocks() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let purpose = RandomStream.Purpose(rawValue: UInt32.random(in: 0..<256, using: &generator))
            assertMatchesScalar(seed: UInt64.random(in: .min ... .max, using: &generator), purpose: purpose,
                                replica: Int.random(in: 0..<RandomStream.indexLimit, using: &generator),
                                step: Int.random(in: 0..<RandomStream.indexLimit, using: &generator),
                                firstBlock: Int.random(in: 0..<RandomStream.indexLimit - 100, using: &generator),
                                count: Int.random(in: 0...400, using: &generator))
        }
    }

    /// Site indices up to the documented limit 2^32 − 1; the lanes past the last block wrap
    /// internally but must not change the stored words.
    func testSitesUpToTheIndexLimit() {
        let limit = RandomStream.indexLimit
        for count in [1, 3, 4, 5, 31, 32, 33, 63, 64, 65, 1000, 4097] {
            let blocks = (count + 3) / 4
            assertMatchesScalar(seed: 0xFEDC_BA98_7654_3210, purpose: .update,
                                replica: limit - 1, step: limit - 1,
                                firstBlock: limit - blocks, count: count)
            assertMatchesScalar(seed: 7, purpose: .initialization, replica: 0, step: 0,
                                firstBlock: limit - blocks - 3, count: count)
        }
        // The very last site alone.
        assertMatchesScalar(seed: .max, purpose: RandomStream.Purpose(rawValue: 255),
                            replica: limit - 1, step: limit - 1, firstBlock: limit - 1, count: 4)
    }

    /// Consecutive calls over adjacent ranges give the same words as one call over the union, so an
    /// engine may fill a half-sweep in chunks of any size.
    func testChunkedFillsEqualOneFill() {
        let total = 4 * 777
        let whole = batchWords(seed: 99, purpose: .update, replica: 2, step: 5, firstBlock: 40, count: total)
        var pieces: [UInt32] = []
        var block = 40
        for chunkBlocks in [1, 7, 8, 9, 64, 100, 3, 585] {
            pieces += batchWords(seed: 99, purpose: .update, replica: 2, step: 5,
                                 firstBlock: block, count: 4 * chunkBlocks)
            block += chunkBlocks
        }
        XCTAssertEqual(pieces.count, total)
        XCTAssertEqual(pieces, whole)
    }

    func testEmptyBufferIsAccepted() {
        RandomStream.fillWords(seed: 1, purpose: .update, replica: 0, step: 0, firstBlock: 0,
                               into: UnsafeMutableBufferPointer(start: nil, count: 0))
        RandomStream.fillWords(seed: 1, purpose: .update, replica: 0, step: 0,
                               firstBlock: RandomStream.indexLimit - 1,
                               into: UnsafeMutableBufferPointer(start: nil, count: 0))
    }

    /// fillBlocks: scattered sites in any order, any count (partial last group), equal to scalar blocks.
    func testScatteredSitesMatchScalarBlocks() {
        var random = RandomStream(seed: 12, purpose: .demo)
        for count in [0, 1, 7, 8, 9, 16, 23, 100] {
            let sites = (0..<count).map { i in i % 5 == 0 ? UInt32.max - UInt32(i) : random.nextUInt32() }
            var words = [UInt32](repeating: 0xDEAD_BEEF, count: 4 * count)
            sites.withUnsafeBufferPointer { s in
                words.withUnsafeMutableBufferPointer { w in
                    RandomStream.fillBlocks(seed: 0xFEED, purpose: .update, replica: 4, step: 9, sites: s, into: w)
                }
            }
            for (i, site) in sites.enumerated() {
                let block = RandomStream(seed: 0xFEED, purpose: .update, replica: 4, step: 9, site: Int(site)).block(0)
                XCTAssertEqual(Array(words[(4 * i)..<(4 * i + 4)]), [block[0], block[1], block[2], block[3]], "count \(count), site \(i)")
            }
        }
    }

    // MARK: Speed

    /// Reports ns per block for the scalar path (RandomStream.block per site, as an engine without
    /// the batch path would do) and for fillWords, on 10^7 blocks in chunks that stay in cache.
    /// Checks that both produced the same words (XOR checksum). Timings are printed, not asserted,
    /// except that in release builds the batch path must be at least twice as fast. (Debug builds
    /// run 10^5 blocks only: there the SIMD types are not specialised and the batch path is slow.)
    func testSpeedAgainstScalarBlocks() {
        let chunkBlocks = 4096
        #if DEBUG
        let chunks = 25     // unoptimised SIMD code is ~1000× slower; just check agreement
        #else
        let chunks = 2442   // ≈ 10^7 blocks
        #endif
        let buffer = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 4 * chunkBlocks)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 0)
        let seed: UInt64 = 0x0123_4567_89AB_CDEF

        func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
        func checksum() -> SIMD4<UInt32> {
            var x = SIMD4<UInt32>()
            for i in 0..<chunkBlocks {
                x ^= SIMD4(buffer[4 * i], buffer[4 * i + 1], buffer[4 * i + 2], buffer[4 * i + 3])
            }
            return x
        }

        var scalarTotal: UInt64 = 0, scalarBest = UInt64.max, scalarSum = SIMD4<UInt32>()
        var batchTotal: UInt64 = 0, batchBest = UInt64.max, batchSum = SIMD4<UInt32>()
        for chunk in 0..<chunks {
            let first = chunk * chunkBlocks
            let t0 = now()
            let base = buffer.baseAddress!
            for i in 0..<chunkBlocks {
                let b = RandomStream(seed: seed, purpose: .update, replica: 1, step: 2, site: first + i).block(0)
                (base + 4 * i).withMemoryRebound(to: SIMD4<UInt32>.self, capacity: 1) { $0.pointee = b }
            }
            let t1 = now()
            scalarSum ^= checksum()
            let t2 = now()
            RandomStream.fillWords(seed: seed, purpose: .update, replica: 1, step: 2, firstBlock: first,
                                   into: buffer)
            let t3 = now()
            batchSum ^= checksum()
            scalarTotal += t1 - t0
            scalarBest = min(scalarBest, t1 - t0)
            batchTotal += t3 - t2
            batchBest = min(batchBest, t3 - t2)
        }
        XCTAssertEqual(scalarSum, batchSum, "scalar and batch words differ")

        let blocks = Double(chunks * chunkBlocks)
        func perBlock(_ ns: UInt64, _ n: Double) -> String { String(format: "%.2f", Double(ns) / n) }
        print("PhiloxBatch: \(chunks * chunkBlocks) blocks; ns/block mean (best chunk): "
              + "scalar \(perBlock(scalarTotal, blocks)) (\(perBlock(scalarBest, Double(chunkBlocks)))), "
              + "batch \(perBlock(batchTotal, blocks)) (\(perBlock(batchBest, Double(chunkBlocks)))); "
              + String(format: "speed-up %.1f× mean, %.1f× best",
                       Double(scalarTotal) / Double(batchTotal), Double(scalarBest) / Double(batchBest)))
        #if !DEBUG
        // Best chunks are robust against other processes sharing the core.
        XCTAssertGreaterThanOrEqual(Double(scalarBest) / Double(batchBest), 2,
                                    "fillWords should be at least twice as fast as RandomStream.block")
        #endif
    }
}
