// What the flux-space agent sees of a genome. The old encoding (the quanta and N_flux over L) left
// the network to discover from rewards alone which of the 16 moves keep N_flux inside (0, L], and
// which return to a genome it has just evaluated; an untrained walk did as well. Here each move's
// consequences that the agent can know without spending an evaluation are inputs: whether the
// neighbour lies in the tadpole window, how N_flux changes, and whether the neighbour was among
// the recently evaluated genomes, besides the fitness the current genome was given.

/// The bounded memory of recently evaluated genomes (a ring of the last `capacity`), so the
/// agent's state stays a fixed size however long it runs, and can be checkpointed.
public struct RecentGenomes: Sendable {
    /// How many genomes it remembers.
    public let capacity: Int
    /// The remembered genomes, oldest first once the ring has wrapped.
    public private(set) var ring: [FluxGenome] = []
    private var next = 0
    private var counts: [FluxGenome: Int] = [:]

    /// An empty memory.
    public init(capacity: Int) { self.capacity = capacity }

    /// A memory holding `genomes` (oldest first), as checkpointed.
    public init(capacity: Int, genomes: [FluxGenome]) {
        self.capacity = capacity
        for g in genomes { remember(g) }
    }

    /// Remembers `g`, forgetting the oldest genome when full.
    public mutating func remember(_ g: FluxGenome) {
        if ring.count < capacity {
            ring.append(g)
        } else {
            let old = ring[next]
            if let c = counts[old] { counts[old] = c > 1 ? c - 1 : nil }
            ring[next] = g
            next = (next + 1) % capacity
        }
        counts[g, default: 0] += 1
    }

    /// Whether `g` is remembered.
    public func contains(_ g: FluxGenome) -> Bool { counts[g] != nil }

    /// The genomes oldest first (for a checkpoint).
    public var inOrder: [FluxGenome] { Array(ring[next...] + ring[..<next]) }
}

/// The agent's input for one genome: 10 numbers about the genome, then 3 for each of the 16 moves.
public enum FluxPolicyFeatures {
    /// Moves: flux k up (2k) or down (2k + 1).
    public static let actions = 16
    /// Inputs per genome.
    public static let count = 10 + 3 * actions

    /// The neighbour reached by `action`, each flux kept within [−L, L].
    public static func neighbour(_ g: FluxGenome, _ action: Int, limit: Int) -> FluxGenome {
        var q = g.quanta
        q[action / 2] = min(limit, max(-limit, q[action / 2] + (action % 2 == 0 ? 1 : -1)))
        return FluxGenome(q)
    }

    /// The quanta and N_flux over L, the genome's last fitness (0 if not evaluated), then per move:
    /// whether the neighbour is in the window 0 < N_flux ≤ L, its change of N_flux over L (clipped
    /// to ±1), and whether it is remembered (a move against the box edge returns the genome itself).
    public static func of(_ g: FluxGenome, fitness: Double, limit: Int, memory: RecentGenomes, into x: inout [Double]) {
        let l = Double(limit), n = g.fluxNumber
        for q in g.quanta { x.append(Double(q) / l) }
        x.append(Double(n) / l)
        x.append(fitness)
        for a in 0..<actions {
            let h = neighbour(g, a, limit: limit), m = h.fluxNumber
            x.append(m > 0 && m <= limit ? 1 : 0)
            x.append(min(1, max(-1, Double(m - n) / l)))
            x.append(h == g || memory.contains(h) ? 1 : 0)
        }
    }
}
