// The fitness every search shares, and its memory of what it has found: each genome costs one
// evaluation (the solver runs only when 0 < N_flux ≤ L, since nothing else can count), and every
// distinct vacuum (by canonical key) is logged with the evaluation count at which it appeared.

#if canImport(Glibc)
import Glibc
#endif

/// A vacuum a search found first, and when; of either model.
public struct FoundVacuum<Vacuum: Sendable & Equatable>: Sendable, Equatable {
    /// The vacuum in canonical form.
    public var vacuum: Vacuum
    /// The searcher's evaluation count when it was found.
    public var evaluations: Int
    /// Whether it is in the target set.
    public var inTarget: Bool

    /// A discovery (as logged, or read back from a checkpoint).
    public init(vacuum: Vacuum, evaluations: Int, inTarget: Bool) {
        self.vacuum = vacuum
        self.evaluations = evaluations
        self.inTarget = inTarget
    }
}

/// A vacuum of the symmetric model a search found.
public typealias Discovery = FoundVacuum<FluxVacuum>

/// Evaluates genomes against a target: fitness, and the log of distinct vacua found.
public struct LandscapeEvaluator: Sendable {
    /// What is searched for.
    public let target: VacuumTarget
    /// Genomes evaluated so far.
    public private(set) var evaluations = 0
    /// Distinct vacua in the order found.
    public private(set) var discoveries: [Discovery] = []
    /// Genomes inside the tadpole window, which the solver ran on, in this process (not restored
    /// from a checkpoint): the costly part of the evaluations, for benchmarks.
    public private(set) var solverCalls = 0
    /// Distinct target vacua found so far.
    public private(set) var targetCount = 0
    private var seen: Set<FluxGenome> = []

    /// An evaluator with nothing found yet.
    public init(target: VacuumTarget) { self.target = target }

    /// An evaluator that continues after `evaluations` with these discoveries (a resumed search).
    public init(target: VacuumTarget, evaluations: Int, discoveries: [Discovery]) {
        self.target = target
        self.evaluations = evaluations
        self.discoveries = discoveries
        self.targetCount = discoveries.filter(\.inTarget).count
        self.seen = Set(discoveries.map(\.vacuum.genome))
    }

    /// The fitness of `genome` in (0, 1]: for its best admissible vacuum exp(−d²/2w²) with d the
    /// distance to the target (1 inside it); without one a small value that grows as N_flux
    /// approaches the window (0, L], so a population is pulled into the tadpole window first.
    public mutating func evaluate(_ genome: FluxGenome, width: Double) -> Double {
        evaluations += 1
        let n = genome.fluxNumber, limit = target.fluxLimit
        var best = 0.0
        let inWindow = n > 0 && n <= limit
        if inWindow { solverCalls += 1 }
        if inWindow, let vacua = try? VacuumSolver.inlineVacua(of: genome) {
            for vacuum in vacua where target.isAdmissible(vacuum) {
                let canonical = Dualities.canonical(vacuum)
                let d = target.distance(canonical)
                if seen.insert(canonical.genome).inserted {
                    discoveries.append(Discovery(vacuum: canonical, evaluations: evaluations, inTarget: d == 0))
                    if d == 0 { targetCount += 1 }
                }
                best = max(best, 0.1 + 0.9 * exp(-d * d / (2 * width * width)))
            }
            if best > 0 { return best }
            return 0.05
        }
        // Polynomial, not exponential, in the distance to the window: far genomes still differ,
        // which fitness-proportional selection needs.
        let excess = Double(n > limit ? n - limit : 1 - n)
        return 0.05 / (1 + excess / Double(max(1, limit)))
    }
}
