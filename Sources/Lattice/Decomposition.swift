import Cluster

/// How a run of many lattices (points × chains) spreads over the ranks.
public enum Decomposition: String, Sendable, CaseIterable {
    /// Whole lattices, the replicas spread evenly over the ranks.
    case replicas
    /// Every lattice split into slabs over all ranks, halos exchanged inside the updates.
    case domain
}

extension Decomposition {
    /// What one rank holds of a run of `replicaCount` lattices: which replicas, and which slab of
    /// each (the whole lattice in replica mode, one slab per rank in domain mode).
    public func layout(replicaCount: Int, geometry: Geometry, communicator: Communicator)
        -> (replicas: Range<Int>, slabs: SlabDecomposition, part: Int) {
        switch self {
        case .replicas:
            return (communicator.share(of: replicaCount), SlabDecomposition(geometry: geometry, parts: 1)!, 0)
        case .domain:
            return (0..<replicaCount, SlabDecomposition(geometry: geometry, parts: communicator.size)!, communicator.rank.index)
        }
    }
}
