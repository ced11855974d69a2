/// The words of one chunk whose batch planes left lanes tied with their thresholds. They are
/// finished together once the chunk's vector pass is done, one further random plane per round for
/// all of them, so that even these scattered planes come eight at a time from the SIMD Philox
/// kernel (`RandomPlanes.gather`). Deferring them within a half-sweep is safe: no site of the
/// active colour neighbours another.
final class PendingDecisions {
    /// The most words held: a chunk's.
    let capacity: Int
    /// Per pending word: its index in the chunk, its undecided and accepted lanes, its plane-0 counter
    /// (each with room for one more entry than the chunk, which `collect` may write and drop).
    private let words: UnsafeMutablePointer<Int>
    private let undecided: UnsafeMutablePointer<UInt64>
    private let accepted: UnsafeMutablePointer<UInt64>
    private let counters: UnsafeMutablePointer<Int>
    /// Scratch for the gathered planes: the current one, and the other plane of a tail pair.
    private let random: UnsafeMutablePointer<UInt64>
    private let partner: UnsafeMutablePointer<UInt64>
    private let sites: UnsafeMutablePointer<UInt32>
    private let blocks: UnsafeMutablePointer<UInt32>
    private let count: UnsafeMutablePointer<Int>

    init(capacity: Int) {
        self.capacity = capacity
        words = .allocate(capacity: capacity + 1)
        undecided = .allocate(capacity: capacity + 1)
        accepted = .allocate(capacity: capacity)
        counters = .allocate(capacity: capacity)
        random = .allocate(capacity: capacity)
        partner = .allocate(capacity: capacity)
        sites = .allocate(capacity: capacity)
        blocks = .allocate(capacity: 4 * capacity)
        count = .allocate(capacity: 1)
        count.initialize(to: 0)
    }

    deinit {
        words.deallocate(); undecided.deallocate(); accepted.deallocate(); counters.deallocate()
        random.deallocate(); partner.deallocate(); sites.deallocate(); blocks.deallocate(); count.deallocate()
    }

    /// Takes the words of the chunk with undecided (used) lanes, `undecided[k] != 0` for k < `count`.
    func collect(undecided chunk: UnsafePointer<UInt64>, count: Int) {
        let words = self.words, undecided = self.undecided
        var n = 0
        for k in 0..<count {
            let u = chunk[k]
            // Written unconditionally and kept only when u ≠ 0: no branch to mispredict.
            words[n] = k
            undecided[n] = u
            n &+= u != 0 ? 1 : 0
        }
        self.count.pointee = n
    }

    /// Finishes the pending words of the chunk whose word k is `spins[k]`, whose uncertain class i
    /// has lanes `classLanes[i · classStride + k]`, whose plane-0 counters are `counterBase + k`,
    /// and whose batch used planes 0 ..< `first`: compares with planes `first`, `first` + 1, …
    /// until every lane is decided or 32 bits are used (a tie is not below), and applies the
    /// accepted lanes (flips for Metropolis, ups for heat bath).
    func finish<let slots: Int>(_: ClassSlots<slots>, table: DecisionTable.View, heatBath: Bool, planes: RandomPlanes,
                                spins: UnsafeMutablePointer<UInt64>, classLanes: UnsafePointer<UInt64>, classStride: Int,
                                counterBase: Int, from first: Int, replica: Int, step: Int) {
        var n = count.pointee
        count.pointee = 0
        guard n > 0 else { return }
        // Locals, so that the stores through them cannot be taken to change these pointers.
        let words = self.words, undecided = self.undecided, accepted = self.accepted, counters = self.counters
        let random = self.random, partner = self.partner
        for i in 0..<n {
            accepted[i] = 0
            counters[i] = counterBase &+ words[i]
        }
        var j = first
        while n > 0 {
            let inPlane = j < RandomPlanes.depth
            // A tail pair's second plane came with the first one's blocks.
            let secondOfPair = j > RandomPlanes.headDepth && j > first && (j - RandomPlanes.headDepth) & 1 == 1
            if inPlane && !secondOfPair {
                planes.gather(j, indices: counters, count: n, replica: replica, step: step, sites: sites, blocks: blocks,
                              into: random, partner: partner)
            }
            let plane = secondOfPair ? partner : random
            var kept = 0
            for i in 0..<n {
                var u = undecided[i], a = accepted[i]
                let k = words[i]
                if inPlane {
                    let lanes = InlineArray<slots, UInt64> { classLanes[$0 &* classStride &+ k] }
                    BitSliced.compare(random: plane[i], threshold: table.thresholdPlane(j, lanes), undecided: &u, accepted: &a)
                }
                if u == 0 || j + 1 >= RandomPlanes.depth {
                    // The batch stored its decisions and left these lanes as they were; the
                    // accepted lanes are among the used ones the word was added with.
                    if heatBath { spins[k] |= a } else { spins[k] ^= a }
                } else {
                    words[kept] = k
                    counters[kept] = counters[i]
                    undecided[kept] = u
                    accepted[kept] = a
                    partner[kept] = partner[i]
                    kept &+= 1
                }
            }
            n = kept
            j &+= 1
        }
    }
}
