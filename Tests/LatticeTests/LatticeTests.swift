import Cluster
import Lattice
import XCTest

final class GeometryTests: XCTestCase {
    func testRowMajorIndexingAndPeriodicNeighbours() {
        let g = Geometry(extents: [3, 4, 6])
        XCTAssertEqual(g.volume, 72)
        XCTAssertEqual(g.strides, [24, 6, 1])
        XCTAssertEqual(g.planeVolume, 24)
        for site in 0..<g.volume {
            XCTAssertEqual(g.site(at: g.coordinates(of: site)), site)
            for axis in 0..<3 {
                let forward = g.neighbour(of: site, axis: axis, forward: true)
                XCTAssertEqual(g.neighbour(of: forward, axis: axis, forward: false), site)
                var c = g.coordinates(of: site)
                c[axis] += 1
                XCTAssertEqual(forward, g.site(at: c), "wraps periodically")
            }
        }
        XCTAssertEqual(g.site(at: [-1, 0, 0]), g.site(at: [2, 0, 0]))
        XCTAssertFalse(g.hasCheckerboard, "an odd extent has no checkerboard")
        XCTAssertTrue(Geometry(extents: [4, 6]).hasCheckerboard)
    }

    func testCheckerboardNeighboursHaveTheOtherColourAndPairsSplitColours() {
        let g = Geometry(extents: [4, 6, 8])
        for site in 0..<g.volume {
            for axis in 0..<3 {
                XCTAssertNotEqual(g.colour(of: site), g.colour(of: g.neighbour(of: site, axis: axis, forward: true)))
            }
        }
        // The colour index k = site/2 used by the updates' random words is a bijection per colour.
        for pair in 0..<(g.volume / 2) {
            XCTAssertNotEqual(g.colour(of: 2 * pair), g.colour(of: 2 * pair + 1))
        }
    }

    func testNeighbourTable() {
        let g = Geometry(extents: [4, 4])
        let table = g.neighbourTable()
        XCTAssertEqual(table.count, 16 * 4)
        XCTAssertEqual(table[4 * 5 + 0], Int32(9))  // (1,1) forward on axis 0 → (2,1)
        XCTAssertEqual(table[4 * 0 + 3], Int32(3))  // (0,0) backward on axis 1 → (0,3)
    }
}

final class SlabDecompositionTests: XCTestCase {
    func testSlabsCoverThePlanesInRankOrder() throws {
        let g = Geometry(extents: [10, 4])
        for parts in 1...10 {
            let d = try XCTUnwrap(SlabDecomposition(geometry: g, parts: parts))
            let slabs = (0..<parts).map(d.planes(of:))
            XCTAssertEqual(slabs.first?.lowerBound, 0)
            XCTAssertEqual(slabs.last?.upperBound, 10)
            for i in 1..<parts { XCTAssertEqual(slabs[i].lowerBound, slabs[i - 1].upperBound) }
            XCTAssertLessThanOrEqual(slabs.map(\.count).max()! - slabs.map(\.count).min()!, 1)
            XCTAssertEqual(d.sites(of: parts - 1).upperBound, 40)
        }
        XCTAssertNil(SlabDecomposition(geometry: g, parts: 11), "more parts than planes")
    }

    func testSingleSlabHalosWrapAround() throws {
        let g = Geometry(extents: [3, 2])
        let field = HaloField<Int8>(decomposition: SlabDecomposition(geometry: g, parts: 1)!, part: 0, initial: 0)
        for i in 0..<6 { field.owned[i] = Int8(i + 1) }
        try field.exchangeHalos(try Communicator.world())
        XCTAssertEqual(Array(field.storage), [5, 6, 1, 2, 3, 4, 5, 6, 1, 2])
        XCTAssertEqual(field.localIndex(ofGlobal: 0), 2)
    }
}
