/// How a run of many lattices (points × chains) spreads over the ranks.
public enum Decomposition: String, Sendable, Codable {
    /// Whole lattices, the replicas spread evenly over the ranks.
    case replicas
    /// Every lattice split into slabs over all ranks, halos exchanged inside the updates.
    case domain
}
