// The baseline every search is measured against: genomes drawn uniformly from [−L, L]⁸. Genomes
// come in rounds of `roundSize`, each from its own Philox substream keyed by (seed, rank, round),
// so a search continued from a checkpointed round ends exactly as an uninterrupted one.

import Numerics

/// Where a random search stands at the start of a round: enough to continue it exactly.
public struct RandomSearchState: Sendable {
    /// The round about to be drawn.
    public var round: Int
    /// What this rank has found so far.
    public var evaluator: LandscapeEvaluator

    /// A state with these parts.
    public init(round: Int, evaluator: LandscapeEvaluator) {
        self.round = round
        self.evaluator = evaluator
    }
}

/// Uniform random search over [−L, L]⁸ on one rank.
public enum RandomSearch {
    /// Genomes per round (and per substream, far below its 2²⁵ draws).
    public static let roundSize = 4096

    /// Evaluates `evaluations` uniform genomes on this rank.
    public static func run(target: VacuumTarget, evaluations: Int, seed: UInt64, rank: Int) -> LandscapeEvaluator {
        run(target: target, evaluations: evaluations, seed: seed, rank: rank, from: nil) { _ in false }.evaluator
    }

    /// Runs from `state` (or from the start) to `evaluations` on this rank. Every `checkpointEvery`
    /// rounds it hands `checkpoint` the state at the start of a round; when that returns true the
    /// search stops there and returns `completed: false`. `progress` hears the evaluations done and
    /// due on this rank at the start of each round and at the end.
    public static func run(target: VacuumTarget, evaluations: Int, seed: UInt64, rank: Int, from state: RandomSearchState?,
                           checkpointEvery: Int = 0, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in },
                           checkpoint: (RandomSearchState) throws -> Bool)
        rethrows -> (evaluator: LandscapeEvaluator, completed: Bool) {
        var evaluator = state?.evaluator ?? LandscapeEvaluator(target: target)
        let l = target.fluxLimit, first = state?.round ?? 0
        let rounds = (evaluations + roundSize - 1) / roundSize
        for round in first..<rounds {
            if checkpointEvery > 0, round > first, round % checkpointEvery == 0,
               try checkpoint(RandomSearchState(round: round, evaluator: evaluator)) {
                return (evaluator, false)
            }
            progress(round * roundSize, evaluations)
            var random = RandomStream(seed: seed, purpose: .vacuaRandom, replica: rank, step: round)
            for _ in (round * roundSize)..<min(evaluations, (round + 1) * roundSize) {
                _ = evaluator.evaluate(FluxGenome { _ in random.integer(below: 2 * l + 1) - l }, width: 1)
            }
        }
        progress(evaluations, evaluations)
        return (evaluator, true)
    }
}
