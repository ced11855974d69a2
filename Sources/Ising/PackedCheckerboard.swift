import Cluster
import Lattice
import Numerics

/// Checkerboard Metropolis and heat bath on packed spins, 64 sites per machine word (multi-spin
/// coding) and several words per vector register, on a possibly decomposed 2D or 3D lattice.
///
/// Each site accepts when its 32-bit uniform u is below its class's threshold (`DecisionTable`);
/// u's bits come from `RandomPlanes`, a pure function of (seed, replica, sweep, colour, global
/// site), so any decomposition, and any number of ranks, produces the same configuration bit for
/// bit. A half-sweep goes through the lattice in chunks of consecutive planes: the first
/// `batchPlanes` bits of every site of a chunk are generated at once by the SIMD Philox kernel,
/// the sideways neighbours are lined up with the active words, and one vector loop updates the
/// chunk's words. The words with a lane still tied with its threshold after the batch (for one
/// lane, probability 2^−batchPlanes) get further planes afterwards (`PendingDecisions`), up to the
/// thresholds' 32 bits, so every decision is exact.
public final class PackedCheckerboard {
    public let model: IsingModel
    public let seed: UInt64
    /// Random planes generated up front per chunk (0 … 32).
    public let batchPlanes: Int
    private let planes: RandomPlanes
    /// Lattice planes per chunk, and the words of one colour they hold.
    private let chunkPlanes: Int
    private let chunkWords: Int
    /// The batch planes of one chunk.
    private let random: RandomPlaneBuffer
    /// Per chunk word: sideways, left and right neighbours, undecided lanes, then each class's lanes.
    private let scratch: UnsafeMutablePointer<UInt64>
    private let scratchCount: Int
    /// The words of the current chunk that the batch left undecided.
    private let pending: PendingDecisions

    /// About this many words per chunk: enough for the Philox kernel to run at full throughput,
    /// few enough that the chunk's random planes and scratch stay in the first-level cache.
    static let targetChunkWords = 256

    public init(model: IsingModel, seed: UInt64, batchPlanes: Int = 8) {
        let geometry = model.geometry
        precondition(geometry.hasCheckerboard, "a checkerboard needs even extents")
        precondition(geometry.dimension == 2 || geometry.dimension == 3, "packed updates are written for 2 and 3 dimensions")
        precondition((0...RandomPlanes.depth).contains(batchPlanes))
        self.model = model
        self.seed = seed
        self.batchPlanes = batchPlanes
        let rows = geometry.dimension == 2 ? 1 : geometry.extents[1]
        let words = (geometry.extents.last! / 2 + 63) / 64
        planes = RandomPlanes(seed: seed, rowsPerPlane: rows, wordsPerRow: words, planes: geometry.extents[0])
        chunkPlanes = max(1, min(geometry.extents[0], Self.targetChunkWords / (rows * words)))
        chunkWords = chunkPlanes * rows * words
        random = RandomPlaneBuffer(planes: max(1, batchPlanes), wordsPerPlane: chunkWords)
        scratchCount = (4 + DecisionTable.maxClasses) * chunkWords
        scratch = .allocate(capacity: scratchCount)
        scratch.initialize(repeating: 0, count: scratchCount)
        pending = PendingDecisions(capacity: chunkWords)
    }

    deinit {
        scratch.deallocate()
    }

    /// Scratch bytes per rank beside the spins: one chunk's random planes and neighbour words.
    public var scratchBytes: Int { random.bytes + 8 * scratchCount }

    /// One sweep (both colours) of `field` with the decisions of `table`. Collective over the
    /// decomposition's ranks: the other colour's halos are exchanged before each half-sweep,
    /// overlapped with the update of the interior planes.
    public func sweep(_ field: PackedSpinField, table: DecisionTable, replica: Int, sweep: Int,
                      communicator: Communicator) throws(MPIError) {
        for colour in 0..<2 {
            let exchange = try field.startExchange(colour: colour ^ 1, communicator)
            let p = field.planes.count
            // Interior planes need no halo; the two boundary planes wait for it.
            if p > 2 { update(field, planes: 2..<p, colour: colour, table: table, replica: replica, sweep: sweep) }
            try exchange.finish()
            update(field, planes: 1..<2, colour: colour, table: table, replica: replica, sweep: sweep)
            if p > 1 { update(field, planes: p..<(p + 1), colour: colour, table: table, replica: replica, sweep: sweep) }
        }
    }

    /// Updates the sites of `colour` in local planes `range` (1…P are owned, 0 and P+1 are halos),
    /// in the specialisation for the dimension, the algorithm and the table's uncertain classes.
    func update(_ field: PackedSpinField, planes range: Range<Int>, colour: Int, table: DecisionTable, replica: Int, sweep: Int) {
        switch table.uncertain.count {
        case ...2: update(field, range, colour, table, replica, sweep, ClassSlots<2>())
        case 3: update(field, range, colour, table, replica, sweep, ClassSlots<3>())
        case 4...5: update(field, range, colour, table, replica, sweep, ClassSlots<5>())
        case 6...7: update(field, range, colour, table, replica, sweep, ClassSlots<7>())
        default: update(field, range, colour, table, replica, sweep, ClassSlots<14>())
        }
    }

    @inline(__always)
    private func update<let slots: Int>(_ field: PackedSpinField, _ range: Range<Int>, _ colour: Int, _ table: DecisionTable,
                                        _ replica: Int, _ sweep: Int, _ classes: ClassSlots<slots>) {
        let view = table.view
        // The default depth gets its own specialisation, with the plane loop unrolled.
        switch (model.geometry.dimension == 3, table.heatBath, batchPlanes == 8) {
        case (false, false, true): update(field, range, colour, view, replica, sweep, Kernel<slots, 0, 0, 8>())
        case (false, true, true): update(field, range, colour, view, replica, sweep, Kernel<slots, 0, 1, 8>())
        case (true, false, true): update(field, range, colour, view, replica, sweep, Kernel<slots, 1, 0, 8>())
        case (true, true, true): update(field, range, colour, view, replica, sweep, Kernel<slots, 1, 1, 8>())
        case (false, false, false): update(field, range, colour, view, replica, sweep, Kernel<slots, 0, 0, -1>())
        case (false, true, false): update(field, range, colour, view, replica, sweep, Kernel<slots, 0, 1, -1>())
        case (true, false, false): update(field, range, colour, view, replica, sweep, Kernel<slots, 1, 0, -1>())
        case (true, true, false): update(field, range, colour, view, replica, sweep, Kernel<slots, 1, 1, -1>())
        }
    }

    @inline(__always)
    private func update<let slots: Int, let d3: Int, let hb: Int, let depth: Int>(
        _ field: PackedSpinField, _ range: Range<Int>, _ colour: Int, _ table: DecisionTable.View,
        _ replica: Int, _ sweep: Int, _ kernel: Kernel<slots, d3, hb, depth>) {
        // Eight words per vector where registers are 256 bits or wider, four with SSE2's sixteen
        // 128-bit registers (eight would spill there).
        if InstructionSet.vectorBits >= 256 {
            update(SIMD8<UInt64>.self, field, range, colour, table, replica, sweep, kernel)
        } else {
            update(SIMD4<UInt64>.self, field, range, colour, table, replica, sweep, kernel)
        }
    }

    private func update<B: WordBlock, let slots: Int, let d3: Int, let hb: Int, let depth: Int>(
        _: B.Type, _ field: PackedSpinField, _ range: Range<Int>, _ colour: Int, _ table: DecisionTable.View,
        _ replica: Int, _ sweep: Int, _ kernel: Kernel<slots, d3, hb, depth>) {
        let heatBath = hb == 1, threeD = d3 == 1, classes = ClassSlots<slots>()
        let active = field.words(colour: colour).storage.baseAddress!
        let other = UnsafePointer(field.words(colour: colour ^ 1).storage.baseAddress!)
        let rows = field.rowsPerPlane, words = field.wordsPerRow, planeWords = rows * words
        let lastLane = field.lanesPerRow - 64 * (words - 1) - 1, mask = field.lastWordMask
        let step = 2 * sweep + colour, batch = batchPlanes, stride = chunkWords
        let sideways = scratch, left = scratch + stride, right = scratch + 2 * stride
        let undecided = scratch + 3 * stride, classLanes = scratch + 4 * stride
        // Plane-0 counter of a word = its storage index + this (RandomPlanes' definition).
        let counterShift = (field.planes.lowerBound - 1) * planeWords
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(range.upperBound, start + chunkPlanes), count = (end - start) * planeWords
            let globalStart = field.planes.lowerBound + start - 1
            planes.fill(planes: globalStart..<(globalStart + end - start), count: batch, replica: replica, step: step, into: random)
            // Line the other colour's lanes along the last axis (and, in 3D, the neighbouring rows)
            // up with the active words.
            var k = 0, row = other + field.offset(plane: start, row: 0)
            for plane in start..<end {
                // Active lane m is site 2m + x₀ with x₀ = (colour + parity) mod 2; its sideways
                // neighbours are the other colour's lanes m and m − 1 (x₀ = 0) or m + 1 (x₀ = 1).
                var shiftUp = (colour &+ field.parity(globalPlane: globalStart &+ plane &- start, row: 0)) & 1 == 0
                for r in 0..<rows {
                    sidewaysNeighbours(of: row, words: words, lastLane: lastLane, shiftUp: shiftUp, into: sideways + k)
                    if threeD {
                        (left + k).update(from: r == 0 ? row + (planeWords &- words) : row - words, count: words)
                        (right + k).update(from: r &+ 1 == rows ? row - (planeWords &- words) : row + words, count: words)
                    }
                    shiftUp.toggle()
                    k &+= words
                    row += words
                }
            }
            let first = field.offset(plane: start, row: 0)
            let run = WordRun(spins: active + first, other: other + first, up: other + (first - planeWords), down: other + (first + planeWords),
                              sideways: sideways, left: left, right: right, random: random.plane(0), randomStride: random.stride,
                              undecided: undecided, classLanes: classLanes, classStride: stride)
            updateRun(B.self, run, count: count, kernel, table: table, batch: batch)
            // Clear the unused lanes of each row's last word, and hand the tied words on.
            if mask != ~0 {
                var last = words &- 1
                while last < count {
                    active[first &+ last] &= mask
                    undecided[last] &= mask
                    last &+= words
                }
            }
            pending.collect(undecided: undecided, count: count)
            pending.finish(classes, table: table, heatBath: heatBath, planes: planes, spins: active + first, classLanes: classLanes,
                           classStride: stride, counterBase: first &+ counterShift, from: batch, replica: replica, step: step)
            start = end
        }
    }
}
