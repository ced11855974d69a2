// The multi-spin-coded update of a run of words of one colour: 64 sites per word, several words
// per vector register, neighbour counts by bit-sliced adders, decisions by a bit-sliced comparison
// of random bit-planes with the thresholds. Everything here is inlined into the specialised loops
// of PackedCheckerboard (2D/3D × Metropolis/heat bath × class slots × batch depth × vector width),
// so nothing is branched on per word and no lane logic leaves the registers.

/// A block of 64-lane words that the bit-sliced logic treats alike: one `UInt64`, or a SIMD
/// vector of them (each vector lane is one word of 64 sites).
public protocol WordBlock {
    static var width: Int { get }
    init(repeating value: UInt64)
    static func load(_ p: UnsafePointer<UInt64>) -> Self
    func store(_ p: UnsafeMutablePointer<UInt64>)
    static func & (a: Self, b: Self) -> Self
    static func | (a: Self, b: Self) -> Self
    static func ^ (a: Self, b: Self) -> Self
    static prefix func ~ (a: Self) -> Self
}

extension UInt64: WordBlock {
    @inlinable @inline(__always) public static var width: Int { 1 }
    @inlinable @inline(__always) public init(repeating value: UInt64) { self = value }
    @inlinable @inline(__always) public static func load(_ p: UnsafePointer<UInt64>) -> UInt64 { p.pointee }
    @inlinable @inline(__always) public func store(_ p: UnsafeMutablePointer<UInt64>) { p.pointee = self }
}

/// SIMD vectors of words: one word per vector lane, loaded and stored unaligned.
extension WordBlock where Self: SIMD, Self.Scalar == UInt64 {
    @inlinable @inline(__always) public static var width: Int { MemoryLayout<Self>.size / 8 }
    @inlinable @inline(__always) public static func load(_ p: UnsafePointer<UInt64>) -> Self {
        UnsafeRawPointer(p).loadUnaligned(as: Self.self)
    }
    @inlinable @inline(__always) public func store(_ p: UnsafeMutablePointer<UInt64>) {
        UnsafeMutableRawPointer(p).storeBytes(of: self, as: Self.self)
    }
}

extension SIMD4: WordBlock where Scalar == UInt64 {}
extension SIMD8: WordBlock where Scalar == UInt64 {}

/// The words a run update reads and writes, all indexed by the same word number k: the active
/// colour's spins (updated in place), the other colour at the same position and in the
/// neighbouring planes along axis 0, the sideways neighbours along the last axis (and, in 3D, the
/// neighbouring rows) as prepared by the caller, the random planes, and where the undecided lanes
/// and each uncertain class's lanes go for `PendingDecisions`.
struct WordRun {
    var spins: UnsafeMutablePointer<UInt64>
    var other: UnsafePointer<UInt64>
    var up: UnsafePointer<UInt64>
    var down: UnsafePointer<UInt64>
    var sideways: UnsafePointer<UInt64>
    var left: UnsafePointer<UInt64>
    var right: UnsafePointer<UInt64>
    /// Random plane j of word k at `random[j · randomStride + k]`, for j below the batch depth.
    var random: UnsafePointer<UInt64>
    var randomStride: Int
    var undecided: UnsafeMutablePointer<UInt64>
    /// Uncertain class i's lanes of word k at `classLanes[i · classStride + k]`.
    var classLanes: UnsafeMutablePointer<UInt64>
    var classStride: Int
}

/// A compile-time number of class slots, to pick a specialisation of the run update.
struct ClassSlots<let count: Int> {}

/// One specialisation of the run update, fixed at compile time so that nothing is branched on per
/// word: `slots` ≥ the uncertain classes, 3D (1) or 2D (0), heat bath (1) or Metropolis (0), and
/// the batch depth (−1: the run-time `batch` argument).
struct Kernel<let slots: Int, let dimension3: Int, let heatBath: Int, let depth: Int> {
    static var threeD: Bool { dimension3 == 1 }
    static var isHeatBath: Bool { heatBath == 1 }
    @inline(__always) static func batch(_ runtime: Int) -> Int { depth >= 0 ? depth : runtime }
}

/// Updates words k ..< k + B.width of `run`: the new spins of decided lanes are stored (undecided
/// lanes are left as they were), the undecided lanes and the class lanes are stored for the
/// caller to hand to `PendingDecisions`. Unused lanes of a row's last word come out as garbage;
/// the caller masks them.
@inline(__always)
private func updateBlock<B: WordBlock, let slots: Int, let d3: Int, let hb: Int, let depth: Int>(
    _: B.Type, _ run: WordRun, _ k: Int, _: Kernel<slots, d3, hb, depth>, table: DecisionTable.View, batch runtimeBatch: Int) {
    typealias K = Kernel<slots, d3, hb, depth>
    let threeD = K.threeD, heatBath = K.isHeatBath, batch = K.batch(runtimeBatch)
    let s = B.load(run.spins + k)
    // Metropolis counts disagreeing neighbours, heat bath up ones.
    let flip = heatBath ? B(repeating: 0) : s
    let zero = B(repeating: 0)
    let (b0, b1, b2) = BitSliced.count(B.load(run.other + k) ^ flip, B.load(run.sideways + k) ^ flip,
                                       B.load(run.up + k) ^ flip, B.load(run.down + k) ^ flip,
                                       threeD ? B.load(run.left + k) ^ flip : zero,
                                       threeD ? B.load(run.right + k) ^ flip : zero, threeD: threeD)
    var never = zero
    var i = 0
    while i < table.neverCount {
        never = never | table.lanes(of: i, b0, b1, b2, s)
        i &+= 1
    }
    var classLanes = InlineArray<slots, B>(repeating: zero)
    var undecided = zero
    for i in 0..<slots {
        classLanes[i] = table.lanes(of: table.neverCount &+ i, b0, b1, b2, s)
        undecided = undecided | classLanes[i]
    }
    var accept = ~(never | undecided)
    // u < t, most significant bit first: a lane is decided at its first bit that differs from t.
    var j = 0
    while j < batch {
        let p = table.thresholdPlane(j, classLanes)
        let r = B.load(run.random + (j &* run.randomStride &+ k))
        BitSliced.compare(random: r, threshold: p, undecided: &undecided, accepted: &accept)
        j &+= 1
    }
    (heatBath ? accept : s ^ accept).store(run.spins + k)
    undecided.store(run.undecided + k)
    for i in 0..<slots { classLanes[i].store(run.classLanes + (i &* run.classStride &+ k)) }
}

/// Updates words 0 ..< `count` of `run`, `B.width` at a time and the rest one by one.
@inline(__always)
func updateRun<B: WordBlock, let slots: Int, let d3: Int, let hb: Int, let depth: Int>(
    _: B.Type, _ run: WordRun, count: Int, _ kernel: Kernel<slots, d3, hb, depth>, table: DecisionTable.View, batch: Int) {
    var k = 0
    while k &+ B.width <= count {
        updateBlock(B.self, run, k, kernel, table: table, batch: batch)
        k &+= B.width
    }
    while k < count {
        updateBlock(UInt64.self, run, k, kernel, table: table, batch: batch)
        k &+= 1
    }
}

/// The other colour's lanes that neighbour an active row along the last axis, aligned with its
/// lanes: `shiftUp` means active lane m's neighbour is the other colour's lane m − 1 (else m + 1),
/// wrapping around the row's H lanes, the last of which is bit `lastLane` of word W − 1.
@inline(__always)
func sidewaysNeighbours(of o: UnsafePointer<UInt64>, words: Int, lastLane: Int, shiftUp: Bool, into out: UnsafeMutablePointer<UInt64>) {
    let last = words &- 1
    if shiftUp {
        // Lane m − 1 into lane m: each word takes the top lane of the one before, and lane H − 1
        // wraps into lane 0.
        out[0] = o[0] &<< 1 | (o[last] &>> UInt64(lastLane)) & 1
        var w = 1
        while w < words {
            out[w] = o[w] &<< 1 | o[w &- 1] &>> 63
            w &+= 1
        }
    } else {
        // Lane m + 1 into lane m; the unused lanes above H − 1 are 0, so lane 0 wraps in by an OR.
        var w = 0
        while w < last {
            out[w] = o[w] &>> 1 | o[w &+ 1] &<< 63
            w &+= 1
        }
        out[last] = o[last] &>> 1 | (o[0] & 1) &<< UInt64(lastLane)
    }
}
