import Lattice

/// The words whose batch planes left lanes tied with their thresholds. They are finished together,
/// one further random plane per round for all of them, so that even these scattered planes come
/// eight at a time from the SIMD Philox kernel (`RandomPlanes.gather`); collecting them over
/// several lattice planes keeps those groups of eight full. Deferring them within a half-sweep is
/// safe: no site of the active colour neighbours another.
final class PendingDecisions {
    /// The most words held; the caller finishes them before adding a lattice plane that might not fit.
    let capacity: Int
    /// Per pending word: its random-plane counter for plane 0 (`RandomPlanes.counter`), its storage
    /// offset and used lanes, its undecided and accepted lanes, and its uncertain classes' lanes
    /// (`DecisionTable.maxClasses` per word).
    private let counters: UnsafeMutablePointer<Int>
    private let targets: UnsafeMutablePointer<Int>
    private let masks: UnsafeMutablePointer<UInt64>
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
        counters = .allocate(capacity: capacity)
        targets = .allocate(capacity: capacity)
        masks = .allocate(capacity: capacity)
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
        counters.deallocate(); targets.deallocate(); masks.deallocate(); undecided.deallocate(); accepted.deallocate(); lanes.deallocate()
        random.deallocate(); sites.deallocate(); blocks.deallocate(); count.deallocate()
    }

    /// What the row kernel needs to add a word: no ARC, no exclusivity checks.
    var view: View { View(counters: counters, targets: targets, masks: masks, undecided: undecided, lanes: lanes, count: count) }

    /// The words held.
    var pending: Int { count.pointee }

    struct View {
        let counters: UnsafeMutablePointer<Int>
        let targets: UnsafeMutablePointer<Int>
        let masks: UnsafeMutablePointer<UInt64>
        let undecided: UnsafeMutablePointer<UInt64>
        let lanes: UnsafeMutablePointer<UInt64>
        let count: UnsafeMutablePointer<Int>

        @inline(__always)
        func add<let slots: Int>(counter: Int, target: Int, mask: UInt64, undecided u: UInt64, classLanes: InlineArray<slots, UInt64>) {
            let i = count.pointee
            counters[i] = counter
            targets[i] = target
            masks[i] = mask
            undecided[i] = u
            for k in 0..<slots { lanes[i &* DecisionTable.maxClasses &+ k] = classLanes[k] }
            count.pointee = i &+ 1
        }
    }

    /// Finishes the pending words of `field`, whose batch used planes 0 ..< `first`: compares with
    /// planes `first`, `first` + 1, … until every lane is decided or 32 bits are used (a tie is not
    /// below), and applies the accepted lanes (flips for Metropolis, ups for heat bath).
    func finish<let slots: Int>(_: ClassSlots<slots>, table: DecisionTable.View, heatBath: Bool, planes: RandomPlanes,
                                field: PackedSpinField, from first: Int, replica: Int, step: Int) {
        var n = count.pointee
        count.pointee = 0
        guard n > 0 else { return }
        for i in 0..<n { accepted[i] = 0 }
        let spins = field.words.storage.baseAddress!
        var j = first
        while n > 0 {
            if j < RandomPlanes.depth {
                planes.gather(j, counters: counters, count: n, replica: replica, step: step, sites: sites, blocks: blocks, into: random)
            }
            var kept = 0
            for i in 0..<n {
                var u = undecided[i], a = accepted[i]
                if j < RandomPlanes.depth {
                    let classLanes = InlineArray<slots, UInt64> { lanes[i &* DecisionTable.maxClasses &+ $0] }
                    BitSliced.compare(random: random[i], threshold: table.thresholdPlane(j, classLanes), undecided: &u, accepted: &a)
                }
                if u == 0 || j + 1 >= RandomPlanes.depth {
                    // The batch stored its decisions and left these lanes as they were.
                    let target = spins + targets[i]
                    if heatBath { target.pointee |= a & masks[i] } else { target.pointee ^= a & masks[i] }
                } else {
                    counters[kept] = counters[i]
                    targets[kept] = targets[i]
                    masks[kept] = masks[i]
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
