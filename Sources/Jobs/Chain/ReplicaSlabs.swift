import Cluster
import Store

/// One held replica's slab of a lattice field: which replica, which planes of axis 0, the values.
struct Slab<Element: StorableScalar> {
    let replica: Int
    let planes: Range<Int>
    let values: UnsafeMutableBufferPointer<Element>

    /// The slab as a block of an array shaped [replica, x₀, x₁, …] (a checkpoint's state).
    func block(extents: [Int]) -> StateBlock<Element> {
        StateBlock(offset: [replica, planes.lowerBound] + extents.dropFirst().map { _ in 0 },
                   count: [1, planes.count] + extents.dropFirst(), values: UnsafeBufferPointer(values))
    }

    /// The slab as a block to fill from such an array.
    func mutableBlock(extents: [Int]) -> MutableStateBlock<Element> {
        MutableStateBlock(offset: [replica, planes.lowerBound] + extents.dropFirst().map { _ in 0 },
                          count: [1, planes.count] + extents.dropFirst(), values: values)
    }
}

/// Collective writes of every rank's replica slabs into run-file datasets shaped
/// [leading…, x₀, x₁, …]. Ranks may hold different numbers of replicas, so each rank passes
/// through as many write calls as the busiest rank, with empty selections where it has nothing.
struct ReplicaSlabs {
    let communicator: Communicator
    /// The lattice extents.
    let extents: [Int]

    /// Writes each slab at `leading(replica)` + its planes. Collective.
    func write<Element: StorableScalar>(_ slabs: [Slab<Element>], into dataset: TrackedDataset, leading: (Int) -> [Int]) throws {
        let rest = Array(extents.dropFirst()), axes = dataset.axes
        for slot in 0..<(try communicator.allreduce(slabs.count, .max)) {
            if slot < slabs.count {
                let slab = slabs[slot], lead = leading(slab.replica)
                try dataset.write(UnsafeBufferPointer(slab.values), at: lead + [slab.planes.lowerBound] + rest.map { _ in 0 },
                                  count: lead.map { _ in 1 } + [slab.planes.count] + rest)
            } else {
                try dataset.write([Element](), at: [Int](repeating: 0, count: axes), count: [Int](repeating: 0, count: axes))
            }
        }
    }
}
