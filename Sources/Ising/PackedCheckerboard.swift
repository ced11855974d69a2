import Cluster
import Lattice
import Numerics

/// Checkerboard Metropolis and heat bath on packed spins, 64 sites per machine word (multi-spin
/// coding), on a possibly decomposed 2D or 3D lattice.
///
/// Each site accepts when its 32-bit uniform u is below its class's threshold (`DecisionTable`);
/// u's bits come from `RandomPlanes`, a pure function of (seed, replica, sweep, colour, global
/// site), so any decomposition, and any number of ranks, produces the same configuration bit for
/// bit. The first `batchPlanes` bits of every site are generated for a whole lattice plane at once
/// by the SIMD Philox kernel; the words with a lane still tied with its threshold after them (for
/// one lane, probability 2^−batchPlanes) get further planes afterwards (`PendingDecisions`), up
/// to the thresholds' 32 bits, so every decision is exact.
public final class PackedCheckerboard {
    public let model: IsingModel
    public let seed: UInt64
    /// Random planes generated up front per lattice plane (0 … 32).
    public let batchPlanes: Int
    private let planes: RandomPlanes
    /// The batch planes of one lattice plane.
    private let random: UnsafeMutableBufferPointer<UInt64>
    /// The words of the current lattice plane that the batch left undecided.
    private let pending: PendingDecisions

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
        random = .allocate(capacity: max(1, self.batchPlanes * rows * words))
        // Room for several lattice planes' pending words (about a fifth of the words at T_c), so
        // that 2D planes of few words still fill the gather's groups of eight.
        pending = PendingDecisions(capacity: max(4 * rows * words, 512))
    }

    deinit {
        random.deallocate()
    }

    /// Scratch bytes per rank beside the spins: the batch planes of one lattice plane.
    public var scratchBytes: Int { 8 * random.count }

    /// One sweep (both colours) of `field` with the decisions of `table`. Collective over the
    /// decomposition's ranks: halos are exchanged before each half-sweep, overlapped with the
    /// update of the interior planes.
    public func sweep(_ field: PackedSpinField, table: DecisionTable, replica: Int, sweep: Int,
                      communicator: Communicator) throws(MPIError) {
        for colour in 0..<2 {
            let exchange = try field.startExchange(communicator)
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

    private func update<let slots: Int, let d3: Int, let hb: Int, let depth: Int>(
        _ field: PackedSpinField, _ range: Range<Int>, _ colour: Int, _ table: DecisionTable.View,
        _ replica: Int, _ sweep: Int, _ kernel: Kernel<slots, d3, hb, depth>) {
        let heatBath = hb == 1, classes = ClassSlots<slots>()
        let base = field.words.storage.baseAddress!, rows = field.rowsPerPlane, words = field.wordsPerRow
        let lastLane = field.lanesPerRow - 64 * (words - 1) - 1, mask = field.lastWordMask
        let step = 2 * sweep + colour, other = colour ^ 1, batch = batchPlanes, stride = rows * words
        let waiting = pending.view
        for plane in range {
            let globalPlane = field.planes.lowerBound + plane - 1
            if pending.pending + rows * words > pending.capacity {
                pending.finish(classes, table: table, heatBath: heatBath, planes: planes, field: field, from: batch, replica: replica, step: step)
            }
            planes.fill(plane: globalPlane, count: batch, replica: replica, step: step, into: random.baseAddress!)
            for r in 0..<rows {
                let parity = field.parity(globalPlane: globalPlane, row: r)
                // In 2D a plane is one row, and `left`/`right` are never read.
                let rowLeft = r == 0 ? rows - 1 : r - 1, rowRight = r + 1 == rows ? 0 : r + 1
                let row = PackedRow(
                    spins: base + field.offset(plane: plane, row: r, colour: colour),
                    other: UnsafePointer(base + field.offset(plane: plane, row: r, colour: other)),
                    up: UnsafePointer(base + field.offset(plane: plane - 1, row: r, colour: other)),
                    down: UnsafePointer(base + field.offset(plane: plane + 1, row: r, colour: other)),
                    left: UnsafePointer(base + field.offset(plane: plane, row: rowLeft, colour: other)),
                    right: UnsafePointer(base + field.offset(plane: plane, row: rowRight, colour: other)),
                    random: UnsafePointer(random.baseAddress! + r * words), stride: stride)
                // Active lane m is site 2m + x₀ with x₀ = (colour + parity) mod 2; its sideways
                // neighbours are the other colour's lanes m and m − 1 (x₀ = 0) or m + 1 (x₀ = 1).
                updatePackedRow(row, kernel, words: words, lastLane: lastLane, lastWordMask: mask, shiftUp: (colour + parity) & 1 == 0,
                                table: table, batch: batch, pending: waiting,
                                at: RowPosition(counter: planes.counter(plane: globalPlane, row: r, j: 0, word: 0),
                                                target: field.offset(plane: plane, row: r, colour: colour), last: words - 1, mask: mask))
            }
        }
        pending.finish(classes, table: table, heatBath: heatBath, planes: planes, field: field, from: batch, replica: replica, step: step)
    }
}
