import Numerics

/// The random bit-planes behind the packed checkerboard decisions: bit j (most significant first)
/// of every active site's 32-bit uniform u, 64 sites to a word.
///
/// Definition. In a half-sweep of colour c of sweep n of replica ρ, plane j (0 ≤ j < 32) of packed
/// word w (0 ≤ w < W, W = `PackedSpinField.wordsPerRow`) of row r (0 ≤ r < R, R rows per plane) of
/// global plane P has the counter
///
///     q = ((P · 32 + j) · R + r) · W + w
///
/// and is the 64-bit word whose low half is word 2·(q mod 2) and high half word 2·(q mod 2) + 1 of
/// `RandomStream(seed:, purpose: .isingLocal, replica: ρ, step: 2n + c, site: q / 2).block(0)`.
/// Its bit b is the complement of bit 31 − j of the uniform u of lane 64w + b of that row and
/// colour (the complement saves the comparison a NOT per plane; u is uniform either way). So every
/// site's u is a pure function of (seed, replica, sweep, colour, global site), whatever the
/// decomposition or the number of ranks; and the first k planes of all rows of a lattice plane
/// are the consecutive counters P·32·R·W ..< (P·32 + k)·R·W, which `RandomStream.fillWords`
/// produces in one call (P·32·R·W is even, so they start on a block boundary).
struct RandomPlanes {
    /// The most planes a decision reads: the thresholds' precision.
    static let depth = 32

    let seed: UInt64
    let rowsPerPlane: Int
    let wordsPerRow: Int

    init(seed: UInt64, rowsPerPlane: Int, wordsPerRow: Int, planes: Int) {
        precondition((planes * Self.depth * rowsPerPlane * wordsPerRow) / 2 <= RandomStream.indexLimit,
                     "lattice too large for 32-bit random-plane counters")
        self.seed = seed
        self.rowsPerPlane = rowsPerPlane
        self.wordsPerRow = wordsPerRow
    }

    /// The counter q of plane `j` of word `word` of row `row` of global plane `plane`.
    @inline(__always)
    func counter(plane: Int, row: Int, j: Int, word: Int) -> Int {
        ((plane &* Self.depth &+ j) &* rowsPerPlane &+ row) &* wordsPerRow &+ word
    }

    /// Planes 0 ..< `count` of every row of global plane `plane`: plane j of word w of row r lands
    /// in `buffer[(j · R + r) · W + w]`.
    func fill(plane: Int, count: Int, replica: Int, step: Int, into buffer: UnsafeMutablePointer<UInt64>) {
        let words = count * rowsPerPlane * wordsPerRow
        guard words > 0 else { return }
        let first = counter(plane: plane, row: 0, j: 0, word: 0)
        buffer.withMemoryRebound(to: UInt32.self, capacity: 2 * words) { halves in
            RandomStream.fillWords(seed: seed, purpose: .isingLocal, replica: replica, step: step, firstBlock: first / 2,
                                   into: UnsafeMutableBufferPointer(start: halves, count: 2 * words))
        }
        #if _endian(big)
        // fillWords wrote (low, high) pairs in memory order; on a big-endian host that reads back swapped.
        for i in 0..<words { buffer[i] = buffer[i] &<< 32 | buffer[i] &>> 32 }
        #endif
    }

    /// Plane `j` of the words whose plane-0 counters are `counters[i]`, into `out[i]`, from scattered
    /// blocks; `sites` (count) and `blocks` (4·count) are scratch.
    func gather(_ j: Int, counters: UnsafePointer<Int>, count: Int, replica: Int, step: Int,
                sites: UnsafeMutablePointer<UInt32>, blocks: UnsafeMutablePointer<UInt32>, into out: UnsafeMutablePointer<UInt64>) {
        let offset = j &* rowsPerPlane &* wordsPerRow
        for i in 0..<count { sites[i] = UInt32(truncatingIfNeeded: (counters[i] &+ offset) &>> 1) }
        RandomStream.fillBlocks(seed: seed, purpose: .isingLocal, replica: replica, step: step,
                                sites: UnsafeBufferPointer(start: sites, count: count),
                                into: UnsafeMutableBufferPointer(start: blocks, count: 4 * count))
        for i in 0..<count {
            let low = 4 &* i &+ 2 &* ((counters[i] &+ offset) & 1)
            out[i] = UInt64(blocks[low]) | UInt64(blocks[low &+ 1]) &<< 32
        }
    }
}
