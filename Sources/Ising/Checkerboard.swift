import Cluster
import Lattice
import Numerics

/// Checkerboard Metropolis and heat bath on a (possibly decomposed) lattice.
///
/// The random word of a decision depends only on (seed, replica, sweep, colour, site): in a
/// half-sweep, active site g (global row-major index) has colour index k = g/2 — each pair
/// (2m, 2m+1) along the even last axis holds one site of each colour — and takes word k mod 4 of
/// the Philox block (purpose isingLocal, replica, step 2·sweep + colour, site k/4). So any
/// decomposition, and any number of ranks, produces the same configuration bit for bit.
public struct CheckerboardUpdate {
    public let model: IsingModel
    public let seed: UInt64
    private let rowLength: Int
    private let rowsPerPlane: Int
    private var words: UnsafeMutableBufferPointer<UInt32>

    public init(model: IsingModel, seed: UInt64) {
        precondition(model.geometry.hasCheckerboard, "a checkerboard needs even extents")
        precondition(model.geometry.dimension >= 2, "at least two dimensions")
        self.model = model
        self.seed = seed
        self.rowLength = model.geometry.extents.last!
        self.rowsPerPlane = model.geometry.planeVolume / rowLength
        self.words = .allocate(capacity: model.geometry.planeVolume / 2 + 8)
    }

    /// Releases the scratch words; call once when done.
    public func release() { words.deallocate() }

    /// One sweep (both colours) of `field` at inverse temperature `beta`. Collective over the
    /// decomposition's ranks: halos are exchanged before each half-sweep, overlapped with the
    /// update of the interior planes.
    public func sweep(_ field: HaloField<Int8>, algorithm: UpdateAlgorithm, thresholds: Thresholds, replica: Int, sweep: Int,
                      communicator: Communicator) throws(MPIError) {
        precondition(algorithm.isLocal)
        let table = algorithm == .metropolis ? thresholds.metropolis : thresholds.heatBath
        try table.withUnsafeBufferPointer { (t) throws(MPIError) in
            for colour in 0..<2 {
                let exchange = try field.startExchange(communicator)
                let p = field.planes.count
                // Interior planes need no halo; the two boundary planes wait for it.
                if p > 2 { update(field, planes: 2..<p, colour: colour, table: t, heatBath: algorithm == .heatBath, replica: replica, sweep: sweep) }
                try exchange.finish()
                update(field, planes: 1..<2, colour: colour, table: t, heatBath: algorithm == .heatBath, replica: replica, sweep: sweep)
                if p > 1 { update(field, planes: p..<(p + 1), colour: colour, table: t, heatBath: algorithm == .heatBath, replica: replica, sweep: sweep) }
            }
        }
    }

    /// Updates the sites of `colour` in local planes `planes` (1…P are owned).
    func update(_ field: HaloField<Int8>, planes: Range<Int>, colour: Int, table: UnsafeBufferPointer<UInt64>,
                heatBath: Bool, replica: Int, sweep: Int) {
        let geometry = model.geometry, d = geometry.dimension, v = field.planeVolume, l = rowLength
        let spins = field.storage.baseAddress!
        let w = words.baseAddress!
        let sumOffset = 2 * d, spinOffset = 2 * d + 1
        for plane in planes {
            let globalPlane = field.planes.lowerBound + plane - 1
            // This plane's active sites have colour indices k0 ..< k0 + v/2.
            let k0 = globalPlane * v / 2, firstBlock = k0 / 4, skip = k0 % 4
            RandomStream.fillWords(seed: seed, purpose: .isingLocal, replica: replica, step: 2 * sweep + colour,
                                   firstBlock: firstBlock, into: UnsafeMutableBufferPointer(start: w, count: skip + v / 2))
            var word = w + skip
            for row in 0..<rowsPerPlane {
                let base = plane * v + row * l
                let here = spins + base
                let up = spins + base - v, down = spins + base + v
                // Neighbouring rows inside the plane (3D and up): axes 1 … d−2.
                var other: (UnsafeMutablePointer<Int8>, UnsafeMutablePointer<Int8>) = (here, here)
                var parity = globalPlane
                if d == 3 {
                    let l1 = geometry.extents[1]
                    other = (spins + plane * v + ((row + 1) % l1) * l, spins + plane * v + ((row + l1 - 1) % l1) * l)
                    parity += row
                } else if d > 3 {
                    preconditionFailure("checkerboard updates are written for 2 and 3 dimensions")
                }
                let x0 = (colour - parity) & 1
                let extra: (UnsafePointer<Int8>, UnsafePointer<Int8>)? = d == 3 ? (UnsafePointer(other.0), UnsafePointer(other.1)) : nil
                updateRow(here, up: up, down: down, extra: extra, length: l, x0: x0, words: word, table: table.baseAddress!,
                          offset: sumOffset, spinOffset: spinOffset, heatBath: heatBath)
                word += l / 2
            }
        }
    }
}

/// The active sites of one row: x = x0, x0 + 2, … with word i for the i-th of them. Written with
/// wrapping arithmetic and no branches in the body so that the loop stays in registers; the two
/// ends, where the row wraps around, go through the same code with explicit neighbours.
@inline(__always)
private func updateRow(_ here: UnsafeMutablePointer<Int8>, up: UnsafeMutablePointer<Int8>, down: UnsafeMutablePointer<Int8>,
                       extra: (UnsafePointer<Int8>, UnsafePointer<Int8>)?, length l: Int, x0: Int,
                       words: UnsafeMutablePointer<UInt32>, table: UnsafePointer<UInt64>, offset: Int, spinOffset: Int, heatBath: Bool) {
    @inline(__always)
    func site(_ x: Int, _ left: Int, _ right: Int, _ w: UInt32) {
        var sum = Int(here[left]) &+ Int(here[right]) &+ Int(up[x]) &+ Int(down[x])
        if let extra { sum = sum &+ Int(extra.0[x]) &+ Int(extra.1[x]) }
        let s = here[x]
        if heatBath {
            let plus = UInt64(w) < table[(sum &+ offset) >> 1]
            here[x] = plus ? 1 : -1
        } else {
            let index = (sum &+ offset) >> 1 &+ (Int(s &+ 1) >> 1) &* spinOffset
            let flip = Int8(UInt64(w) < table[index] ? 1 : 0)
            here[x] = s &* (1 &- 2 &* flip)
        }
    }
    let half = l / 2
    site(x0, x0 == 0 ? l - 1 : x0 - 1, x0 + 1 == l ? 0 : x0 + 1, words[0])
    var m = 1
    while m < half - 1 {
        let x = x0 &+ 2 &* m
        site(x, x &- 1, x &+ 1, words[m])
        m &+= 1
    }
    if half > 1 {
        let x = x0 + l - 2
        site(x, x - 1, x == l - 1 ? 0 : x + 1, words[half - 1])
    }
}
