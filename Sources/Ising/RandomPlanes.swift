import Numerics

/// The random bit-planes behind the packed checkerboard decisions: bit j (most significant first)
/// of every active site's 32-bit uniform u, 64 sites to a word.
///
/// Definition. In a half-sweep of colour c of sweep n of replica ρ, plane j (0 ≤ j < 32) of packed
/// word w (0 ≤ w < W, W = `PackedSpinField.wordsPerRow`) of row r (0 ≤ r < R, R rows per plane) of
/// global plane P (0 ≤ P < N, N planes along axis 0) has the counter
///
///     q = (j · N + P) · R · W + r · W + w
///
/// and is the 64-bit word whose low half is word 2·(q mod 2) and high half word 2·(q mod 2) + 1 of
/// `RandomStream(seed:, purpose: .isingLocal, replica: ρ, step: 2n + c, site: q / 2).block(0)`.
/// Its bit b is the complement of bit 31 − j of the uniform u of lane 64w + b of that row and
/// colour (the complement saves the comparison a NOT per plane; u is uniform either way). So every
/// site's u is a pure function of (seed, replica, sweep, colour, global site), whatever the
/// decomposition or the number of ranks. Plane j of the words of consecutive lattice planes are
/// consecutive counters, so `RandomStream.fillWords` produces a plane of a whole run of rows, in
/// the order the colour's words are stored, with one call.
struct RandomPlanes {
    /// The most planes a decision reads: the thresholds' precision.
    static let depth = 32

    let seed: UInt64
    /// R · W: words per lattice plane and colour.
    let planeWords: Int
    /// N · R · W: the counter distance between plane j and plane j + 1 of a word.
    let planeStride: Int

    init(seed: UInt64, rowsPerPlane: Int, wordsPerRow: Int, planes: Int) {
        precondition((Self.depth * planes * rowsPerPlane * wordsPerRow) / 2 <= RandomStream.indexLimit,
                     "lattice too large for 32-bit random-plane counters")
        self.seed = seed
        planeWords = rowsPerPlane * wordsPerRow
        planeStride = planes * planeWords
    }

    /// The counter q of plane 0 of the word at `index` = (P · R + r) · W + w among a colour's
    /// words of the whole lattice; plane j's is q + j · `planeStride`.
    @inline(__always)
    func counter(wordIndex index: Int) -> Int { index }

    /// Planes 0 ..< `count` of the words of global planes `planes` into `buffer`: plane j of word
    /// k (counted from the first word of `planes.lowerBound`) lands in `buffer.plane(j)[k]`.
    func fill(planes: Range<Int>, count: Int, replica: Int, step: Int, into buffer: RandomPlaneBuffer) {
        let words = planes.count * planeWords
        guard words > 0 else { return }
        precondition(count <= buffer.planes && words <= buffer.wordsPerPlane)
        for j in 0..<count {
            let first = j * planeStride + planes.lowerBound * planeWords
            // A block holds two words: an odd first counter starts one word early, in the spare slot.
            let skip = first & 1
            let start = buffer.plane(j) - skip
            start.withMemoryRebound(to: UInt32.self, capacity: 2 * (words + skip)) { halves in
                RandomStream.fillWords(seed: seed, purpose: .isingLocal, replica: replica, step: step, firstBlock: first >> 1,
                                       into: UnsafeMutableBufferPointer(start: halves, count: 2 * (words + skip)))
            }
            #if _endian(big)
            // fillWords wrote (low, high) pairs in memory order; on a big-endian host that reads back swapped.
            let p = buffer.plane(j)
            for i in 0..<words { p[i] = p[i] &<< 32 | p[i] &>> 32 }
            #endif
        }
    }

    /// Plane `j` of the words whose plane-0 counters are `counters[i]`, into `out[i]`, from scattered
    /// blocks; `sites` (count) and `blocks` (4·count) are scratch.
    func gather(_ j: Int, counters: UnsafePointer<Int>, count: Int, replica: Int, step: Int,
                sites: UnsafeMutablePointer<UInt32>, blocks: UnsafeMutablePointer<UInt32>, into out: UnsafeMutablePointer<UInt64>) {
        let offset = j &* planeStride
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

/// Room for the first planes of a run of words: plane j at `plane(j)`, each with one spare word
/// in front (for a fill that starts in the middle of a block).
final class RandomPlaneBuffer {
    let planes: Int
    let wordsPerPlane: Int
    private let storage: UnsafeMutablePointer<UInt64>

    init(planes: Int, wordsPerPlane: Int) {
        self.planes = planes
        self.wordsPerPlane = wordsPerPlane
        storage = .allocate(capacity: max(1, planes * (wordsPerPlane + 1)))
        storage.initialize(repeating: 0, count: max(1, planes * (wordsPerPlane + 1)))
    }

    deinit { storage.deallocate() }

    var bytes: Int { 8 * planes * (wordsPerPlane + 1) }

    @inline(__always)
    func plane(_ j: Int) -> UnsafeMutablePointer<UInt64> { storage + 1 + j &* (wordsPerPlane + 1) }

    /// The distance between planes, for kernels that index plane j of word k as `plane(0)[j · stride + k]`.
    var stride: Int { wordsPerPlane + 1 }
}
