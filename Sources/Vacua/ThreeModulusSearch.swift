// Search of the three-modulus model: genomes drawn uniformly from [−b, b]¹⁶ (alleles within
// [−L, L]); those with 0 < N_flux ≤ L go to Newton from several starts (ThreeModulusSolver), and
// each vacuum found is kept once by its canonical key (ThreeModulusDuality.canonical). A small box
// is the point: vacua with N_flux ≤ L have small fluxes, and a uniform genome of [−L, L]¹⁶ almost
// never lands in the tadpole window. Genomes come in rounds, each from its own Philox substream
// keyed by (seed, rank, round), so a search continued from a checkpointed round ends exactly as
// an uninterrupted one. Newton's starts are keyed by the genome alone, so one genome gives the
// same vacua on every rank and in every run.

import Numerics

/// A vacuum of the three-modulus model a search found.
public typealias ThreeModulusDiscovery = FoundVacuum<ThreeModulusVacuum>

/// Where a three-modulus search stands at the start of a round: enough to continue it exactly.
public struct ThreeModulusSearchState: Sendable {
    /// The round about to be drawn.
    public var round: Int
    /// Genomes evaluated so far.
    public var evaluations: Int
    /// Distinct vacua in the order found.
    public var discoveries: [ThreeModulusDiscovery]

    /// A state with these parts.
    public init(round: Int, evaluations: Int, discoveries: [ThreeModulusDiscovery]) {
        self.round = round
        self.evaluations = evaluations
        self.discoveries = discoveries
    }
}

/// Uniform search of the three-modulus model in a box of fluxes, on one rank.
public enum ThreeModulusSearch {
    /// Genomes per round: a round takes about a second at 24 Newton starts.
    public static let roundSize = 512

    /// Runs from `state` (or from the start) to `evaluations` genomes on this rank, drawn from
    /// [−box, box]¹⁶ and solved from `starts` Newton starting points. Every `checkpointEvery`
    /// rounds it hands `checkpoint` the state at the start of a round; when that returns true the
    /// search stops there and returns `completed: false`. `progress` hears the evaluations done and
    /// due on this rank at the start of each round and at the end.
    public static func run(target: VacuumTarget, evaluations: Int, box: Int, starts: Int, seed: UInt64, rank: Int,
                           from state: ThreeModulusSearchState? = nil, checkpointEvery: Int = 0,
                           progress: (_ done: Int, _ total: Int) -> Void = { _, _ in },
                           checkpoint: (ThreeModulusSearchState) throws -> Bool = { _ in false })
        rethrows -> (state: ThreeModulusSearchState, completed: Bool) {
        var current = state ?? ThreeModulusSearchState(round: 0, evaluations: 0, discoveries: [])
        var seen = Set(current.discoveries.map(\.vacuum.genome))
        let l = target.fluxLimit, b = min(box, l), first = current.round
        let rounds = (evaluations + roundSize - 1) / roundSize
        for round in first..<rounds {
            current.round = round
            if checkpointEvery > 0, round > first, round % checkpointEvery == 0, try checkpoint(current) {
                return (current, false)
            }
            progress(current.evaluations, evaluations)
            var random = RandomStream(seed: seed, purpose: .vacuaThreeModulusSearch, replica: rank, step: round)
            for _ in (round * roundSize)..<min(evaluations, (round + 1) * roundSize) {
                let q = (0..<16).map { _ in random.integer(below: 2 * b + 1) - b }
                let genome = ThreeModulusGenome(f: Array(q[0..<8]), h: Array(q[8...]))
                current.evaluations += 1
                guard genome.fluxNumber > 0 && genome.fluxNumber <= l else { continue }
                for vacuum in ThreeModulusSolver.vacua(of: genome, starts: starts, seed: startSeed(genome)) {
                    let canonical = ThreeModulusDuality.canonical(vacuum)
                    guard seen.insert(canonical.genome).inserted else { continue }
                    current.discoveries.append(ThreeModulusDiscovery(vacuum: canonical, evaluations: current.evaluations,
                                                                     inTarget: target.contains(canonical)))
                }
            }
        }
        current.round = rounds
        progress(current.evaluations, evaluations)
        return (current, true)
    }

    /// The seed of Newton's starting points for a genome: a hash of its fluxes that does not change
    /// between runs or machines (unlike Hasher's).
    static func startSeed(_ genome: ThreeModulusGenome) -> UInt64 {
        (genome.f + genome.h).reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64(bitPattern: Int64($1))) &* 0x100_0000_01b3 }
    }
}

extension RandomStream.Purpose {
    /// Three-modulus search: replica = rank, step = round of genomes.
    public static let vacuaThreeModulusSearch = RandomStream.Purpose(rawValue: 132)
}
