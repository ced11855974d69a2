import Cluster
import Ising
import Lattice
import Numerics
import XCTest

/// The multi-spin-coded kernel against a plain site-by-site implementation of the same definition
/// (RandomPlanes' counters, DecisionTable's classes), bit for bit.
final class PackedKernelTests: XCTestCase {
    /// Site `coordinates`' uniform u in half-sweep `step`, straight from the definition of the planes.
    static func uniform(seed: UInt64, replica: Int, step: Int, coordinates c: [Int], geometry g: Geometry) -> UInt32 {
        let words = (g.extents.last! / 2 + 63) / 64, rows = g.dimension == 2 ? 1 : g.extents[1]
        let row = g.dimension == 2 ? 0 : c[1], lane = c.last! / 2
        var u: UInt32 = 0
        let latticeWords = g.extents[0] * rows * words, index = (c[0] * rows + row) * words + lane / 64
        for j in 0..<32 {
            let block: SIMD4<UInt32>, plane: UInt64
            if j < 8 {
                let q = j * latticeWords + index
                block = RandomStream(seed: seed, purpose: .isingLocal, replica: replica, step: step, site: q / 2).block(0)
                plane = UInt64(block[2 * (q % 2)]) | UInt64(block[2 * (q % 2) + 1]) << 32
            } else {
                let h = (j - 8) % 2, site = (4 + (j - 8) / 2) * latticeWords + index
                block = RandomStream(seed: seed, purpose: .isingLocal, replica: replica, step: step, site: site).block(0)
                plane = UInt64(block[2 * h]) | UInt64(block[2 * h + 1]) << 32
            }
            u |= UInt32(1 - (plane >> UInt64(lane % 64)) & 1) << UInt32(31 - j)   // the plane holds the complement
        }
        return u
    }

    /// One sweep the plain way: every site of colour 0, then of colour 1, accepted when u < t.
    static func referenceSweep(_ spins: inout [Int8], geometry g: Geometry, table: DecisionTable, seed: UInt64, replica: Int, sweep: Int) {
        for colour in 0..<2 {
            for site in 0..<g.volume where g.colour(of: site) == colour {
                let s = spins[site]
                var n = 0
                for axis in 0..<g.dimension {
                    for forward in [true, false] {
                        let neighbour = spins[g.neighbour(of: site, axis: axis, forward: forward)]
                        n += table.heatBath ? (neighbour == 1 ? 1 : 0) : (neighbour != s ? 1 : 0)
                    }
                }
                let u = uniform(seed: seed, replica: replica, step: 2 * sweep + colour, coordinates: g.coordinates(of: site), geometry: g)
                let accept = UInt64(u) < table.threshold(up: s == 1, count: n)
                spins[site] = table.heatBath ? (accept ? 1 : -1) : (accept ? -s : s)
            }
        }
    }

    func checkAgainstReference(extents: [Int], algorithm: UpdateAlgorithm, coupling: Double, field: Double, beta: Double,
                               batchPlanes: Int, sweeps: Int = 3) throws {
        let g = Geometry(extents: extents), seed: UInt64 = 77, replica = 3
        let model = IsingModel(geometry: g, coupling: coupling, field: field)
        let slabs = SlabDecomposition(geometry: g, parts: 1)!
        let bytes = HaloField<Int8>(decomposition: slabs, part: 0, initial: 1)
        var start = RandomStream(seed: 5, purpose: .demo)
        for i in bytes.owned.indices { bytes.owned[i] = start.nextUInt32() & 1 == 0 ? 1 : -1 }
        var expected = Array(bytes.owned)
        let initial = expected
        let packed = PackedSpinField(decomposition: slabs, part: 0)
        packed.pack(from: bytes)
        let table = DecisionTable(Thresholds(model: model, beta: beta), algorithm: algorithm, dimension: g.dimension)
        let kernel = PackedCheckerboard(model: model, seed: seed, batchPlanes: batchPlanes)
        let world = try Communicator.world()
        for sweep in 0..<sweeps {
            try kernel.sweep(packed, table: table, replica: replica, sweep: sweep, communicator: world)
            Self.referenceSweep(&expected, geometry: g, table: table, seed: seed, replica: replica, sweep: sweep)
        }
        packed.unpack(into: bytes)
        let differences = zip(Array(bytes.owned), expected).filter { $0 != $1 }.count
        XCTAssertEqual(differences, 0, "\(g) \(algorithm) J=\(coupling) h=\(field) β=\(beta) K=\(batchPlanes)")
        XCTAssertNotEqual(expected, initial, "\(g): the sweeps changed nothing")
    }

    /// 2D and 3D shapes with one and two words per row, a partial last word and rows of one lane.
    static let shapes = [[8, 8], [6, 10], [4, 130], [2, 6], [2, 2], [4, 6, 10], [2, 4, 130], [4, 2, 8]]

    func testMetropolisMatchesReference() throws {
        for extents in Self.shapes {
            for (j, h) in [(1.0, 0.0), (1.0, 0.3), (-1.0, 0.0), (-0.7, -0.4)] {
                try checkAgainstReference(extents: extents, algorithm: .metropolis, coupling: j, field: h, beta: 0.44, batchPlanes: 8)
            }
        }
    }

    /// Lattices of several chunks (PackedCheckerboard.targetChunkWords), chunks whose word count
    /// leaves a remainder below the vector width, 3D planes of many rows, and rows of five words
    /// with a partial last one.
    func testSeveralChunksMatchReference() throws {
        for extents in [[300, 4], [6, 70, 4], [18, 520]] {
            for algorithm in [UpdateAlgorithm.metropolis, .heatBath] {
                try checkAgainstReference(extents: extents, algorithm: algorithm, coupling: 1, field: 0.3, beta: 0.44, batchPlanes: 8, sweeps: 2)
            }
        }
    }

    func testHeatBathMatchesReference() throws {
        for extents in Self.shapes {
            for (j, h) in [(1.0, 0.0), (1.0, 0.3), (-1.0, 0.0), (-0.7, -0.4)] {
                try checkAgainstReference(extents: extents, algorithm: .heatBath, coupling: j, field: h, beta: 0.44, batchPlanes: 8)
            }
        }
    }

    /// Few batch planes send most words through the further planes; a large β gives classes that
    /// never accept (thresholds rounded to 0) and tiny ones.
    func testFewBatchPlanesAndExtremeThresholdsMatchReference() throws {
        for extents in [[6, 10], [4, 130], [4, 6, 10]] {
            for algorithm in [UpdateAlgorithm.metropolis, .heatBath] {
                for k in [0, 1, 3] {
                    try checkAgainstReference(extents: extents, algorithm: algorithm, coupling: 1, field: 0.2, beta: 0.3, batchPlanes: k)
                }
                try checkAgainstReference(extents: extents, algorithm: algorithm, coupling: 1, field: 0.1, beta: 4, batchPlanes: 8)
                try checkAgainstReference(extents: extents, algorithm: algorithm, coupling: -1, field: 0, beta: 0.05, batchPlanes: 32)
            }
        }
    }

    /// The bit-sliced count of set bits per lane equals a plain count.
    func testBitSlicedCounts() {
        var random = RandomStream(seed: 9, purpose: .demo)
        for _ in 0..<200 {
            let n = (0..<6).map { _ in random.nextUInt64() }
            for threeD in [false, true] {
                let (b0, b1, b2) = BitSliced.count(n[0], n[1], n[2], n[3], n[4], n[5], threeD: threeD)
                for lane in 0..<64 {
                    let plain = n.prefix(threeD ? 6 : 4).reduce(0) { $0 + Int(($1 >> UInt64(lane)) & 1) }
                    let sliced = Int((b0 >> UInt64(lane)) & 1) + 2 * Int((b1 >> UInt64(lane)) & 1) + 4 * Int((b2 >> UInt64(lane)) & 1)
                    XCTAssertEqual(sliced, plain)
                }
            }
        }
    }

    /// The comparison, one bit at a time and stopped after any number of bits, against u < t,
    /// with ties and near-ties.
    func testBitSlicedComparison() {
        var random = RandomStream(seed: 10, purpose: .demo)
        for round in 0..<100 {
            let u = (0..<64).map { _ in random.nextUInt32() }
            let t: [UInt32] = u.enumerated().map { lane, value in
                switch (lane + round) % 4 {
                case 0: return value                    // tie: not below
                case 1: return value &+ 1
                case 2: return value ^ (1 << UInt32(lane % 32))
                default: return random.nextUInt32()
                }
            }
            var undecided = ~UInt64(0), accepted: UInt64 = 0
            for j in 0..<32 {
                var r: UInt64 = 0, p: UInt64 = 0
                for lane in 0..<64 {
                    r |= UInt64(1 - (u[lane] >> UInt32(31 - j)) & 1) << UInt64(lane)
                    p |= UInt64((t[lane] >> UInt32(31 - j)) & 1) << UInt64(lane)
                }
                BitSliced.compare(random: r, threshold: p, undecided: &undecided, accepted: &accepted)
                for lane in 0..<64 {
                    // After j + 1 bits a lane is decided iff the top j + 1 bits differ.
                    let shift = UInt32(31 - j)
                    XCTAssertEqual((undecided >> UInt64(lane)) & 1 == 1, u[lane] >> shift == t[lane] >> shift)
                    if u[lane] >> shift != t[lane] >> shift {
                        XCTAssertEqual((accepted >> UInt64(lane)) & 1 == 1, u[lane] < t[lane])
                    }
                }
            }
            for lane in 0..<64 { XCTAssertEqual((accepted >> UInt64(lane)) & 1 == 1, u[lane] < t[lane]) }
        }
    }
}
