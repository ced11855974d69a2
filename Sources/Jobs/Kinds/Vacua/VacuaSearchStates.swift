import Vacua

// The states of the three searches as flat numbers for SearchCheckpoint: per rank, a header, the
// rank's own part, then its discoveries (Discovery.encoded); the agent's network and optimiser,
// the same on every rank, go to the shared part.

extension LandscapeEvaluator {
    /// The evaluator rebuilt from its evaluation count and the discoveries encoded in `numbers`.
    init(target: VacuumTarget, evaluations: Double, discoveries numbers: ArraySlice<Double>) {
        self.init(target: target, evaluations: Int(evaluations), discoveries: Discovery.decode(numbers))
    }
}

/// Genomes as 8 numbers each.
func encode(_ genomes: [FluxGenome]) -> [Double] { genomes.flatMap { $0.quanta.map(Double.init) } }

/// `count` genomes encoded from `start` in `numbers`.
func decodeGenomes(_ numbers: [Double], from start: Int, count: Int) -> [FluxGenome] {
    (0..<count).map { k in FluxGenome(numbers[(start + 8 * k)..<(start + 8 * k + 8)].map { Int($0) }) }
}

extension GeneticState {
    /// generation, evaluations, population size p, arrivals a, the population, the arrivals'
    /// genomes and fitness, the discoveries.
    var encoded: [Double] {
        [Double(generation), Double(evaluator.evaluations), Double(population.count), Double(arrivals.count)] + encode(population)
            + encode(arrivals.map(\.genome)) + arrivals.map(\.fitness) + evaluator.discoveries.flatMap(\.encoded)
    }

    init(decoding q: [Double], target: VacuumTarget) {
        let p = Int(q[2]), a = Int(q[3]), fitness = 4 + 8 * (p + a)
        let arrivals = zip(decodeGenomes(q, from: 4 + 8 * p, count: a), q[fitness..<(fitness + a)]).map { (genome: $0, fitness: $1) }
        self.init(generation: Int(q[0]), population: decodeGenomes(q, from: 4, count: p),
                  evaluator: LandscapeEvaluator(target: target, evaluations: q[1], discoveries: q[(fitness + a)...]), arrivals: arrivals)
    }
}

extension [GeneticState] {
    /// The islands of one rank: −1 (a single island's state starts with its generation, ≥ 0),
    /// the number of islands, then per island the length of its encoding and the encoding.
    var encoded: [Double] {
        [-1, Double(count)] + flatMap { state -> [Double] in let e = state.encoded; return [Double(e.count)] + e }
    }

    init(decoding q: [Double], target: VacuumTarget) {
        guard q.first == -1 else {
            // A checkpoint written before islands could share a rank: one island.
            self = [GeneticState(decoding: q, target: target)]
            return
        }
        var states: [GeneticState] = [], k = 2
        for _ in 0..<Int(q[1]) {
            let n = Int(q[k])
            states.append(GeneticState(decoding: [Double](q[(k + 1)..<(k + 1 + n)]), target: target))
            k += 1 + n
        }
        self = states
    }
}

extension RandomSearchState {
    /// round, evaluations, the discoveries.
    var encoded: [Double] { [Double(round), Double(evaluator.evaluations)] + evaluator.discoveries.flatMap(\.encoded) }

    init(decoding q: [Double], target: VacuumTarget) {
        self.init(round: Int(q[0]), evaluator: LandscapeEvaluator(target: target, evaluations: q[1], discoveries: q[2...]))
    }
}

extension PolicyState {
    /// update, evaluations, walkers e, remembered genomes m, the walkers, their fitness, the
    /// memory (oldest first), the discoveries.
    var encoded: [Double] {
        [Double(update), Double(evaluator.evaluations), Double(walkers.count), Double(memory.count)] + encode(walkers) + fitness
            + encode(memory) + evaluator.discoveries.flatMap(\.encoded)
    }

    /// optimiser steps, parameter count, the parameters, the optimiser's state.
    var sharedEncoded: [Double] { [Double(optimizerSteps), Double(parameters.count)] + parameters + optimizerState }

    init(decoding q: [Double], shared: [Double], target: VacuumTarget) {
        let e = Int(q[2]), m = Int(q[3]), p = Int(shared[1])
        let fitness = Array(q[(4 + 8 * e)..<(4 + 9 * e)]), memoryStart = 4 + 9 * e
        self.init(update: Int(q[0]), walkers: decodeGenomes(q, from: 4, count: e), fitness: fitness,
                  parameters: Array(shared[2..<(2 + p)]), optimizerState: Array(shared[(2 + p)...]), optimizerSteps: Int(shared[0]),
                  memory: decodeGenomes(q, from: memoryStart, count: m),
                  evaluator: LandscapeEvaluator(target: target, evaluations: q[1], discoveries: q[(memoryStart + 8 * m)...]))
    }
}

extension ThreeModulusSearchState {
    /// round, evaluations, then per discovery the 16 quanta, τ₁, τ₂, τ₃ and φ as (Re, Im), its evaluation count and target flag.
    var encoded: [Double] {
        var numbers = [Double(round), Double(evaluations)]
        for d in discoveries {
            let v = d.vacuum
            numbers += (v.genome.f + v.genome.h).map(Double.init)
            for z in v.tau + [v.phi] { numbers += [z.re, z.im] }
            numbers += [Double(d.evaluations), d.inTarget ? 1 : 0]
        }
        return numbers
    }

    init(decoding q: [Double]) {
        let discoveries = stride(from: 2, to: q.count, by: 26).map { k in
            let quanta = q[k..<(k + 16)].map { Int($0) }
            let moduli = (0..<4).map { Complex(q[k + 16 + 2 * $0], q[k + 17 + 2 * $0]) }
            let vacuum = ThreeModulusVacuum(genome: ThreeModulusGenome(f: Array(quanta[0..<8]), h: Array(quanta[8...])),
                                            tau: Array(moduli[0..<3]), phi: moduli[3])
            return ThreeModulusDiscovery(vacuum: vacuum, evaluations: Int(q[k + 24]), inTarget: q[k + 25] == 1)
        }
        self.init(round: Int(q[0]), evaluations: Int(q[1]), discoveries: discoveries)
    }
}

extension Discovery {
    /// Numbers per discovery in `encoded`: 8 quanta, τ, φ, evaluations, in-target flag.
    static let encodedCount = 14

    /// The discovery as numbers, for gathering over MPI and for checkpoints.
    var encoded: [Double] {
        vacuum.genome.quanta.map(Double.init)
            + [vacuum.tau.re, vacuum.tau.im, vacuum.phi.re, vacuum.phi.im, Double(evaluations), inTarget ? 1 : 0]
    }

    /// The discoveries encoded one after another in `numbers`.
    static func decode(_ numbers: ArraySlice<Double>) -> [Discovery] {
        stride(from: numbers.startIndex, to: numbers.endIndex, by: encodedCount).map { k in
            let genome = FluxGenome(numbers[k..<(k + 8)].map { Int($0) })
            let vacuum = FluxVacuum(genome: genome, tau: Complex(numbers[k + 8], numbers[k + 9]), phi: Complex(numbers[k + 10], numbers[k + 11]))
            return Discovery(vacuum: vacuum, evaluations: Int(numbers[k + 12]), inTarget: numbers[k + 13] == 1)
        }
    }
}
