import Cluster
import Foundation
import Numerics
import Vacua

/// `ensemble bench vacua`: the exact solver alone on genomes inside the tadpole window, and the
/// genetic search on all ranks, beside Benchmarks/peers/vacua_python.py (numpy solver, DEAP GA).
public enum VacuaBenchmark {
    /// Solver evaluations per second on `evaluations` genomes drawn uniformly from those in
    /// [−L, L]⁸ with 0 < N_flux ≤ L (drawn before the clock starts). Rank 0 only.
    public static func solver(limit: Int, evaluations: Int) -> BenchmarkRecord {
        var random = RandomStream(seed: 11, purpose: .demo)
        var genomes: [FluxGenome] = [], drawn = 0
        while genomes.count < evaluations {
            // Most draws fall outside the window: a fresh substream every 2¹⁶ genomes.
            if drawn % 65_536 == 0 { random = RandomStream(seed: 11, purpose: .demo, step: drawn / 65_536) }
            drawn += 1
            let g = FluxGenome((0..<8).map { _ in random.integer(below: 2 * limit + 1) - limit })
            if g.fluxNumber > 0 && g.fluxNumber <= limit { genomes.append(g) }
        }
        let start = MPIEnvironment.wallTime()
        var vacua = 0
        for g in genomes { vacua += (try? VacuumSolver.vacua(of: g).count) ?? 0 }
        let seconds = MPIEnvironment.wallTime() - start
        return BenchmarkRecord(benchmark: "vacua_solver", ranks: 1,
                               parameters: ["L": .count(limit), "evaluations": .count(evaluations), "vacua": .count(vacua)],
                               figures: ["seconds": seconds, "evaluations_per_s": Double(evaluations) / seconds])
    }

    /// The genetic search with `evaluations` per island, `population` per island and target
    /// g_s ∈ [0.25, 0.35), on `islands` islands (nil: one per rank) spread evenly over the ranks;
    /// the slowest rank's time. Collective.
    public static func genetic(limit: Int, evaluations: Int, population: Int, islands: Int?, seed: UInt64,
                               communicator: Communicator) throws -> BenchmarkRecord {
        let target = VacuumTarget(fluxLimit: limit, stringCoupling: (0.25, 0.35))
        let perRank = (islands ?? communicator.size) / communicator.size
        let settings = GeneticSettings(population: population, selection: .tournament(size: 3), crossover: 0.7, mutation: 0.6, elite: 4,
                                       migrateEvery: 10, migrants: 4, widthStart: 2, widthEnd: 0.1, islandsPerRank: perRank)
        try communicator.barrier()
        let start = MPIEnvironment.wallTime()
        let found = try GeneticSearch(target: target, settings: settings, seed: seed, communicator: communicator)
            .run(evaluations: evaluations * perRank)
        let seconds = try communicator.allreduce(MPIEnvironment.wallTime() - start, .max)
        // Distinct over all islands: gather the canonical keys on every rank.
        let keys = try communicator.allgatherVariable(found.flatMap(\.discoveries).flatMap { $0.vacuum.genome.quanta + [$0.inTarget ? 1 : 0] })
        var distinct = Set<[Int]>(), targets = Set<[Int]>()
        for list in keys {
            for k in stride(from: 0, to: list.count, by: 9) {
                let key = Array(list[k..<(k + 8)])
                distinct.insert(key)
                if list[k + 8] == 1 { targets.insert(key) }
            }
        }
        let total = try communicator.allreduce(found.map(\.evaluations).reduce(0, +), .sum), ranks = communicator.size
        let solved = try communicator.allreduce(found.map(\.solverCalls).reduce(0, +), .sum)
        let perSecond = Double(total) / seconds
        return BenchmarkRecord(benchmark: "vacua_ga", ranks: ranks,
                               parameters: ["islands": .count(perRank * ranks), "seed": .count(Int(seed)), "L": .count(limit),
                                            "evaluations": .count(total), "solver_calls": .count(solved),
                                            "distinct_vacua": .count(distinct.count), "target_vacua": .count(targets.count)],
                               figures: ["seconds": seconds, "evaluations_per_s": perSecond,
                                         "evaluations_per_s_per_rank": perSecond / Double(ranks),
                                         "solver_calls_per_s_per_rank": Double(solved) / seconds / Double(ranks),
                                         "target_vacua_per_cpu_s": Double(targets.count) / (seconds * Double(ranks))])
    }
}
