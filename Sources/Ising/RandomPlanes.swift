import Numerics

/// The random bit-planes behind the packed checkerboard decisions: bit j (most significant first)
/// of every active site's 32-bit uniform u, 64 sites to a word.
///
/// Definition. In a half-sweep of colour c of sweep n of replica ρ, let word index i = (P · R + r)
/// · W + w number packed word w (0 ≤ w < W, W = `PackedSpinField.wordsPerRow`) of row r (0 ≤ r < R,
/// R rows per plane) of global plane P (0 ≤ P < N, N planes along axis 0), and let
/// B(b) = `RandomStream(seed:, purpose: .isingLocal, replica: ρ, step: 2n + c, site: b).block(0)`.
/// Plane j of word i is the 64-bit word with low half x and high half y, where
///
/// - for the first `headDepth` = 8 planes (j < 8), q = j · N·R·W + i and (x, y) are words
///   2·(q mod 2) and 2·(q mod 2) + 1 of B(q / 2): plane j of the words of consecutive planes are
///   consecutive, so `RandomStream.fillWords` produces one plane of a whole run of rows, in the
///   order the colour's words are stored, with one call;
/// - for the rest (8 ≤ j < 32), in pairs j = 8 + 2p + h (h = 0, 1), (x, y) are words 2h and 2h + 1
///   of B(4·N·R·W + p · N·R·W + i): the rare words that need more than eight planes get two from
///   each block they gather.
///
/// Its bit b is the complement of bit 31 − j of the uniform u of lane 64w + b of that row and
/// colour (the complement saves the comparison a NOT per plane; u is uniform either way). So every
/// site's u is a pure function of (seed, replica, sweep, colour, global site), whatever the
/// decomposition or the number of ranks.
struct RandomPlanes {
    /// The most planes a decision reads: the thresholds' precision.
    static let depth = 32
    /// The planes laid out plane by plane; the deeper ones come in pairs, one block per word.
    static let headDepth = 8

    let seed: UInt64
    /// R · W: words per lattice plane and colour.
    let planeWords: Int
    /// N · R · W: the words of one colour of the whole lattice.
    let latticeWords: Int

    init(seed: UInt64, rowsPerPlane: Int, wordsPerRow: Int, planes: Int) {
        precondition((Self.depth * planes * rowsPerPlane * wordsPerRow) / 2 <= RandomStream.indexLimit,
                     "lattice too large for 32-bit random-plane counters")
        self.seed = seed
        planeWords = rowsPerPlane * wordsPerRow
        latticeWords = planes * planeWords
    }

    /// The block of tail pair `p` of word `index`.
    @inline(__always)
    func tailBlock(pair p: Int, index: Int) -> Int { (4 &+ p) &* latticeWords &+ index }

    /// Planes 0 ..< `count` of the words of global planes `planes` into `buffer`: plane j of word
    /// k (counted from the first word of `planes.lowerBound`) lands in `buffer.plane(j)[k]`.
    func fill(planes: Range<Int>, count: Int, replica: Int, step: Int, into buffer: RandomPlaneBuffer) {
        let words = planes.count * planeWords, index = planes.lowerBound * planeWords
        guard words > 0 else { return }
        precondition(count <= buffer.planes && words <= buffer.wordsPerPlane)
        for j in 0..<min(count, Self.headDepth) {
            let first = j * latticeWords + index
            // A block holds two words: an odd first counter starts one word early, in the spare slot.
            let skip = first & 1
            fillWords(firstBlock: first >> 1, words: words + skip, replica: replica, step: step, into: buffer.plane(j) - skip)
        }
        var j = Self.headDepth
        while j < count {
            // Each block holds plane j and plane j + 1 of one word; split them.
            let pairs = buffer.pairScratch
            fillWords(firstBlock: tailBlock(pair: (j - Self.headDepth) / 2, index: index), words: 2 * words,
                      replica: replica, step: step, into: pairs)
            let a = buffer.plane(j)
            for k in 0..<words { a[k] = pairs[2 * k] }
            if j + 1 < count {
                let b = buffer.plane(j + 1)
                for k in 0..<words { b[k] = pairs[2 * k + 1] }
            }
            j += 2
        }
    }

    /// `words` consecutive 64-bit words from block `firstBlock` on, two per block.
    private func fillWords(firstBlock: Int, words: Int, replica: Int, step: Int, into out: UnsafeMutablePointer<UInt64>) {
        out.withMemoryRebound(to: UInt32.self, capacity: 2 * words) { halves in
            RandomStream.fillWords(seed: seed, purpose: .isingLocal, replica: replica, step: step, firstBlock: firstBlock,
                                   into: UnsafeMutableBufferPointer(start: halves, count: 2 * words))
        }
        #if _endian(big)
        // fillWords wrote (low, high) pairs in memory order; on a big-endian host that reads back swapped.
        for i in 0..<words { out[i] = out[i] &<< 32 | out[i] &>> 32 }
        #endif
    }

    /// Plane `j` of the words with indices `indices[i]` into `out[i]`, from scattered blocks; for a
    /// tail plane the block also holds the other plane of its pair, which goes to `partner[i]`.
    /// `sites` (count) and `blocks` (4·count) are scratch.
    func gather(_ j: Int, indices: UnsafePointer<Int>, count: Int, replica: Int, step: Int,
                sites: UnsafeMutablePointer<UInt32>, blocks: UnsafeMutablePointer<UInt32>,
                into out: UnsafeMutablePointer<UInt64>, partner: UnsafeMutablePointer<UInt64>) {
        let head = j < Self.headDepth, offset = j &* latticeWords, pair = (j - Self.headDepth) >> 1
        for i in 0..<count {
            let block = head ? (offset &+ indices[i]) &>> 1 : tailBlock(pair: pair, index: indices[i])
            sites[i] = UInt32(truncatingIfNeeded: block)
        }
        RandomStream.fillBlocks(seed: seed, purpose: .isingLocal, replica: replica, step: step,
                                sites: UnsafeBufferPointer(start: sites, count: count),
                                into: UnsafeMutableBufferPointer(start: blocks, count: 4 * count))
        let h = j < Self.headDepth ? 0 : (j - Self.headDepth) & 1
        for i in 0..<count {
            let b = blocks + 4 &* i
            if head {
                let low = 2 &* ((offset &+ indices[i]) & 1)
                out[i] = UInt64(b[low]) | UInt64(b[low &+ 1]) &<< 32
            } else {
                let first = UInt64(b[0]) | UInt64(b[1]) &<< 32, second = UInt64(b[2]) | UInt64(b[3]) &<< 32
                out[i] = h == 0 ? first : second
                partner[i] = h == 0 ? second : first
            }
        }
    }
}

/// Room for the first planes of a run of words: plane j at `plane(j)`, each with one spare word
/// in front (for a fill that starts in the middle of a block).
final class RandomPlaneBuffer {
    let planes: Int
    let wordsPerPlane: Int
    private let storage: UnsafeMutablePointer<UInt64>

    /// Room for the interleaved pairs of tail planes (batches deeper than `RandomPlanes.headDepth`).
    let pairScratch: UnsafeMutablePointer<UInt64>

    init(planes: Int, wordsPerPlane: Int) {
        self.planes = planes
        self.wordsPerPlane = wordsPerPlane
        storage = .allocate(capacity: max(1, planes * (wordsPerPlane + 1)))
        storage.initialize(repeating: 0, count: max(1, planes * (wordsPerPlane + 1)))
        let pairs = planes > RandomPlanes.headDepth ? 2 * wordsPerPlane : 0
        pairScratch = .allocate(capacity: max(1, pairs))
    }

    deinit {
        storage.deallocate()
        pairScratch.deallocate()
    }

    var bytes: Int { 8 * planes * (wordsPerPlane + 1) }

    @inline(__always)
    func plane(_ j: Int) -> UnsafeMutablePointer<UInt64> { storage + 1 + j &* (wordsPerPlane + 1) }

    /// The distance between planes, for kernels that index plane j of word k as `plane(0)[j · stride + k]`.
    var stride: Int { wordsPerPlane + 1 }
}
