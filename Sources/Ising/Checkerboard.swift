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
                var x = x0
                while x < l {
                    let left = x == 0 ? l - 1 : x - 1, right = x == l - 1 ? 0 : x + 1
                    var sum = Int(here[left]) + Int(here[right]) + Int(up[x]) + Int(down[x])
                    if d == 3 { sum += Int(other.0[x]) + Int(other.1[x]) }
                    let s = here[x]
                    if heatBath {
                        here[x] = UInt64(word.pointee) < table[(sum + sumOffset) >> 1] ? 1 : -1
                    } else {
                        let index = (sum + sumOffset) >> 1 + (s > 0 ? spinOffset : 0)
                        if UInt64(word.pointee) < table[index] { here[x] = -s }
                    }
                    word += 1
                    x += 2
                }
            }
        }
    }
}
