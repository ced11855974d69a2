import Lattice

/// The words of one lattice plane whose batch planes left lanes tied with their thresholds. They
/// are finished together after the plane, one further random plane per round for all of them, so
/// that even these scattered planes come from the SIMD Philox kernel (`RandomPlanes.gather`).
/// Deferring them is safe: no site of the active colour neighbours another.
final class PendingDecisions {
    private let capacity: Int
    /// The pending words' index r·W + w in their lattice plane, undecided and accepted lanes, and
    /// the uncertain classes' lanes (`DecisionTable.maxClasses` per word).
    private let words: UnsafeMutablePointer<Int>
    private let undecided: UnsafeMutablePointer<UInt64>
    private let accepted: UnsafeMutablePointer<UInt64>
    private let lanes: UnsafeMutablePointer<UInt64>
    /// Scratch for the gathered planes.
    private let random: UnsafeMutablePointer<UInt64>
    private let sites: UnsafeMutablePointer<UInt32>
    private let blocks: UnsafeMutablePointer<UInt32>
    private let count: UnsafeMutablePointer<Int>

    init(capacity: Int) {
        self.capacity = capacity
        words = .allocate(capacity: capacity)
        undecided = .allocate(capacity: capacity)
        accepted = .allocate(capacity: capacity)
        lanes = .allocate(capacity: capacity * DecisionTable.maxClasses)
        random = .allocate(capacity: capacity)
        sites = .allocate(capacity: capacity)
        blocks = .allocate(capacity: 4 * capacity)
        count = .allocate(capacity: 1)
        count.initialize(to: 0)
    }

    deinit {
        words.deallocate(); undecided.deallocate(); accepted.deallocate(); lanes.deallocate()
        random.deallocate(); sites.deallocate(); blocks.deallocate(); count.deallocate()
    }

    /// What the row kernel needs to add a word: no ARC, no exclusivity checks.
    var view: View { View(words: words, undecided: undecided, lanes: lanes, count: count) }

    struct View {
        let words: UnsafeMutablePointer<Int>
        let undecided: UnsafeMutablePointer<UInt64>
        let lanes: UnsafeMutablePointer<UInt64>
        let count: UnsafeMutablePointer<Int>

        @inline(__always)
        func add<let slots: Int>(word: Int, undecided u: UInt64, classLanes: InlineArray<slots, UInt64>) {
            let i = count.pointee
            words[i] = word
            undecided[i] = u
            for k in 0..<slots { lanes[i &* DecisionTable.maxClasses &+ k] = classLanes[k] }
            count.pointee = i &+ 1
        }
    }

    /// Finishes the pending words of local plane `plane` (global `globalPlane`), whose batch used
    /// planes 0 ..< `first`: compares with planes `first`, `first` + 1, … until every lane is decided
    /// or 32 bits are used (a tie is not below), and applies the accepted lanes to the spins of
    /// `colour` (flips for Metropolis, ups for heat bath).
    func finish<let slots: Int>(_: ClassSlots<slots>, table: DecisionTable.View, heatBath: Bool, planes: RandomPlanes,
                                field: PackedSpinField, plane: Int, globalPlane: Int, colour: Int, from first: Int,
                                replica: Int, step: Int) {
        var n = count.pointee
        count.pointee = 0
        guard n > 0 else { return }
        for i in 0..<n { accepted[i] = 0 }
        let w = field.wordsPerRow, spins = field.words.storage.baseAddress!
        var j = first
        while n > 0 {
            if j < RandomPlanes.depth {
                planes.gather(j, plane: globalPlane, words: words, count: n, replica: replica, step: step,
                              sites: sites, blocks: blocks, into: random)
            }
            var kept = 0
            for i in 0..<n {
                var u = undecided[i], a = accepted[i]
                if j < RandomPlanes.depth {
                    let classLanes = InlineArray<slots, UInt64> { lanes[i &* DecisionTable.maxClasses &+ $0] }
                    BitSliced.compare(random: random[i], threshold: table.thresholdPlane(j, classLanes), undecided: &u, accepted: &a)
                }
                if u == 0 || j + 1 >= RandomPlanes.depth {
                    let word = words[i], row = word / w, column = word % w
                    let mask = column == w - 1 ? field.lastWordMask : ~0
                    let target = spins + field.offset(plane: plane, row: row, colour: colour) + column
                    // The batch already stored its decisions; these lanes were left as they were.
                    if heatBath { target.pointee |= a & mask } else { target.pointee ^= a & mask }
                } else {
                    words[kept] = words[i]
                    undecided[kept] = u
                    accepted[kept] = a
                    if kept != i {
                        for k in 0..<slots { lanes[kept &* DecisionTable.maxClasses &+ k] = lanes[i &* DecisionTable.maxClasses &+ k] }
                    }
                    kept += 1
                }
            }
            n = kept
            j += 1
        }
    }
}
