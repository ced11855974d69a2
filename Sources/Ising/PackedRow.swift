// The multi-spin-coded update of one row and colour: 64 sites per word, neighbour counts by
// bit-sliced adders, decisions by a bit-sliced comparison of random bit-planes with the thresholds.
// Everything here is inlined into the four specialised loops of PackedCheckerboard (2D/3D ×
// Metropolis/heat bath), so the Bool parameters fold away and nothing is branched on per word.

/// The words one row update reads and writes, all of length W (`PackedSpinField.wordsPerRow`).
struct PackedRow {
    /// The active colour's spins in this row (updated in place).
    var spins: UnsafeMutablePointer<UInt64>
    /// The other colour in this row: the left and right neighbours, one of them a lane over.
    var other: UnsafePointer<UInt64>
    /// The other colour in the same row of the neighbouring planes along axis 0.
    var up: UnsafePointer<UInt64>
    var down: UnsafePointer<UInt64>
    /// 3D only: the other colour in the neighbouring rows of the same plane.
    var left: UnsafePointer<UInt64>
    var right: UnsafePointer<UInt64>
    /// Random plane j of word w at `random[j · stride + w]`, for j below the batch depth.
    var random: UnsafePointer<UInt64>
    var stride: Int
}

/// Where a row's words are, for the words that go to `PendingDecisions`: the random-plane counter
/// of word 0 for plane 0, the storage offset of word 0, the last word and its used lanes.
struct RowPosition {
    let counter: Int, target: Int, last: Int, mask: UInt64
}

/// A compile-time number of class slots, to pick a specialisation of the row update.
struct ClassSlots<let count: Int> {}

/// One specialisation of the row update, fixed at compile time so that nothing is branched on per
/// word: `slots` ≥ the uncertain classes, 3D (1) or 2D (0), heat bath (1) or Metropolis (0), and
/// the batch depth (−1: the run-time `batch` argument).
struct Kernel<let slots: Int, let dimension3: Int, let heatBath: Int, let depth: Int> {
    static var threeD: Bool { dimension3 == 1 }
    static var isHeatBath: Bool { heatBath == 1 }
    @inline(__always) static func batch(_ runtime: Int) -> Int { depth >= 0 ? depth : runtime }
}

/// Updates one word: returns the new spins of its 64 lanes (unused lanes are garbage).
@inline(__always)
private func updateWord<let slots: Int, let d3: Int, let hb: Int, let depth: Int>(
    _ row: PackedRow, _ w: Int, _: Kernel<slots, d3, hb, depth>, sideways: UInt64,
    table: DecisionTable.View, batch runtimeBatch: Int, pending: PendingDecisions.View, at position: RowPosition) -> UInt64 {
    typealias K = Kernel<slots, d3, hb, depth>
    let threeD = K.threeD, heatBath = K.isHeatBath, batch = K.batch(runtimeBatch)
    let s = row.spins[w]
    // Metropolis counts disagreeing neighbours, heat bath up ones.
    let flip = heatBath ? 0 : s
    let (b0, b1, b2) = BitSliced.count(row.other[w] ^ flip, sideways ^ flip, row.up[w] ^ flip, row.down[w] ^ flip,
                             threeD ? row.left[w] ^ flip : 0, threeD ? row.right[w] ^ flip : 0, threeD: threeD)
    var never: UInt64 = 0
    var i = 0
    while i < table.neverCount {
        never |= table.lanes(of: i, b0, b1, b2, s)
        i &+= 1
    }
    var classLanes = InlineArray<slots, UInt64>(repeating: 0)
    var undecided: UInt64 = 0
    for i in 0..<slots {
        classLanes[i] = table.lanes(of: table.neverCount &+ i, b0, b1, b2, s)
        undecided |= classLanes[i]
    }
    var accept = ~(never | undecided)
    // u < t, most significant bit first: a lane is decided at its first bit that differs from t.
    var j = 0
    while j < batch {
        let p = table.thresholdPlane(j, classLanes)
        let r = row.random[j &* row.stride &+ w]
        BitSliced.compare(random: r, threshold: p, undecided: &undecided, accepted: &accept)
        j &+= 1
    }
    // Rare per lane (2^−batch), but not per word: finished with the lattice plane's other such words.
    if undecided != 0 {
        pending.add(counter: position.counter &+ w, target: position.target &+ w, mask: w == position.last ? position.mask : ~0,
                    undecided: undecided, classLanes: classLanes)
    }
    return heatBath ? accept : s ^ accept
}

/// Updates the active colour of one row. `shiftUp`: the active lane m's sideways neighbour is the
/// other colour's lane m − 1 (true) or m + 1 (false), wrapping around the row's H lanes, the last
/// of which is bit `lastLane` of word W − 1. `slots` ≥ the table's uncertain classes. Words with
/// undecided lanes go to `pending`.
@inline(__always)
func updatePackedRow<let slots: Int, let d3: Int, let hb: Int, let depth: Int>(
    _ row: PackedRow, _ kernel: Kernel<slots, d3, hb, depth>, words: Int, lastLane: Int, lastWordMask: UInt64,
    shiftUp: Bool, table: DecisionTable.View, batch: Int, pending: PendingDecisions.View, at position: RowPosition) {
    let o = row.other, last = words &- 1
    @inline(__always) func word(_ w: Int, _ sideways: UInt64) {
        row.spins[w] = updateWord(row, w, kernel, sideways: sideways, table: table, batch: batch, pending: pending, at: position)
    }
    if shiftUp {
        // Lane m − 1 into lane m: the carry is each word's top lane, and lane H − 1 wraps into lane 0.
        var carry = (o[last] &>> UInt64(lastLane)) & 1
        var w = 0
        while w < words {
            let ow = o[w]
            word(w, ow &<< 1 | carry)
            carry = ow &>> 63
            w &+= 1
        }
    } else {
        // Lane m + 1 into lane m; the unused lanes above H − 1 are 0, so lane 0 wraps in by an OR.
        var w = 0
        while w < last {
            word(w, o[w] &>> 1 | o[w &+ 1] &<< 63)
            w &+= 1
        }
        word(last, o[last] &>> 1 | (o[0] & 1) &<< UInt64(lastLane))
    }
    row.spins[last] &= lastWordMask
}
