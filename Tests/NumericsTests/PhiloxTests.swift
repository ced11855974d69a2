// Philox4x32-10 against the published known-answer vectors (REFERENCE.md, Random123's kat_vectors).

import Numerics
import XCTest

final class PhiloxTests: XCTestCase {
    func testKnownAnswerZero() {
        XCTAssertEqual(Philox4x32.block(counter: .zero, key: .zero),
                       SIMD4(0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8))
    }

    func testKnownAnswerAllOnes() {
        XCTAssertEqual(Philox4x32.block(counter: SIMD4(repeating: 0xFFFF_FFFF),
                                        key: SIMD2(repeating: 0xFFFF_FFFF)),
                       SIMD4(0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD))
    }

    func testKnownAnswerPi() {
        XCTAssertEqual(Philox4x32.block(counter: SIMD4(0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344),
                                        key: SIMD2(0xA409_3822, 0x299F_31D0)),
                       SIMD4(0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1))
    }

    func testFlippingOneCounterBitChangesAboutHalfTheOutputBits() {
        let key = SIMD2<UInt32>(0x1234_5678, 0x9ABC_DEF0)
        var total = 0
        for bit in 0..<128 {
            var c = SIMD4<UInt32>(1, 2, 3, 4)
            let base = Philox4x32.block(counter: c, key: key)
            c[bit / 32] ^= 1 << UInt32(bit % 32)
            let diff = base ^ Philox4x32.block(counter: c, key: key)
            total += (0..<4).reduce(0) { $0 + diff[$1].nonzeroBitCount }
        }
        // 128 flips × 128 bits, expected half: 8192 ± 45 (1σ).
        XCTAssertEqual(Double(total), 8192, accuracy: 5 * 45)
    }
}
