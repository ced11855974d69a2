import Vacua

/// Every vacuum of every genome in [−3, 3]⁸ with 1 ≤ N_flux ≤ 7, as solved (not reduced), computed
/// once for the tests that compare against it (1.8 s).
enum BruteForce {
    static let box = 3, maxFlux = 7

    static let vacua: [FluxVacuum] = {
        var found: [FluxVacuum] = []
        var q = [Int](repeating: -box, count: 8)
        outer: while true {
            let genome = FluxGenome(q)
            let n = genome.fluxNumber
            if n >= 1 && n <= maxFlux, let vacua = try? VacuumSolver.vacua(of: genome) { found += vacua }
            var i = 0
            while true {
                if i == 8 { break outer }
                if q[i] < box { q[i] += 1; break }
                q[i] = -box
                i += 1
            }
        }
        return found
    }()

    /// The canonical keys of `vacua` by N_flux.
    static let keys: [Int: Set<FluxGenome>] = {
        var keys: [Int: Set<FluxGenome>] = [:]
        for v in vacua { keys[v.fluxNumber, default: []].insert(Dualities.canonical(v).genome) }
        return keys
    }()

    /// Whether every flux of the genome lies in the brute-force box.
    static func contains(_ g: FluxGenome) -> Bool { g.quanta.allSatisfy { abs($0) <= box } }
}
