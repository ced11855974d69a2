import Cluster
import Lattice
import Numerics
import XCTest

/// Packed spins: the documented bit layout, and pack → unpack round trips for any lane count.
final class PackedSpinFieldTests: XCTestCase {
    static let shapes = [[4, 6], [2, 10], [4, 34], [2, 130], [4, 128], [2, 2], [2, 4, 6], [2, 2, 10], [4, 4, 34], [2, 2, 130]]

    func randomBytes(_ field: HaloField<Int8>, seed: UInt64) {
        var random = RandomStream(seed: seed, purpose: .demo)
        for i in field.owned.indices { field.owned[i] = random.nextUInt32() & 1 == 0 ? 1 : -1 }
    }

    func testRoundTripForOddLaneCountsAndSlabs() {
        for extents in Self.shapes {
            let g = Geometry(extents: extents)
            for parts in [1, 2] where parts <= extents[0] {
                let slabs = SlabDecomposition(geometry: g, parts: parts)!
                for part in 0..<parts {
                    let bytes = HaloField<Int8>(decomposition: slabs, part: part, initial: 1)
                    randomBytes(bytes, seed: UInt64(extents.reduce(0, +) * 10 + part))
                    let packed = PackedSpinField(decomposition: slabs, part: part)
                    packed.pack(from: bytes)
                    let back = HaloField<Int8>(decomposition: slabs, part: part, initial: 0)
                    packed.unpack(into: back)
                    XCTAssertEqual(Array(back.owned), Array(bytes.owned), "\(g) part \(part) of \(parts)")
                    XCTAssertEqual(packed.wordsPerRow, (extents.last! / 2 + 63) / 64)
                }
            }
        }
    }

    /// Lane m of colour c in a row of parity π is site 2m + (c + π) mod 2, unused lanes stay 0.
    func testBitLayout() {
        for extents in [[4, 130], [2, 4, 6], [2, 2, 130]] {
            let g = Geometry(extents: extents)
            let slabs = SlabDecomposition(geometry: g, parts: 1)!
            let bytes = HaloField<Int8>(decomposition: slabs, part: 0, initial: 1)
            randomBytes(bytes, seed: 3)
            let packed = PackedSpinField(decomposition: slabs, part: 0)
            packed.pack(from: bytes)
            let rows = packed.rowsPerPlane
            for site in 0..<g.volume {
                let c = g.coordinates(of: site), row = g.dimension == 2 ? 0 : c[1], x = c.last!
                let colour = g.colour(of: site), parity = packed.parity(globalPlane: c[0], row: row)
                XCTAssertEqual((x - (colour + parity) % 2) % 2, 0)
                let word = packed.words(colour: colour).storage[packed.offset(plane: c[0] + 1, row: row) + x / 128]
                XCTAssertEqual((word >> UInt64((x / 2) % 64)) & 1 == 1, bytes.owned[site] == 1, "\(g) site \(c)")
            }
            for plane in 1...g.extents[0] {
                for row in 0..<rows {
                    for colour in 0..<2 {
                        let last = packed.words(colour: colour).storage[packed.offset(plane: plane, row: row) + packed.wordsPerRow - 1]
                        XCTAssertEqual(last & ~packed.lastWordMask, 0, "unused lanes are 0")
                    }
                }
            }
        }
    }
}
