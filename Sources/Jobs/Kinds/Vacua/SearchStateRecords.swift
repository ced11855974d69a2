import Vacua

// The searches' states as they are checkpointed: one Codable record per method and rank, with
// named fields, so a checkpoint says what it holds and a changed layout is a new version, not a
// shifted offset. Converting to and from the engines' types is all that happens here.

/// A flux vacuum of the symmetric model that a search found, and when.
struct DiscoveryRecord: Codable, Equatable {
    var quanta: [Int]
    var tau: [Double]
    var phi: [Double]
    var evaluations: Int
    var inTarget: Bool

    init(_ d: Discovery) {
        quanta = d.vacuum.genome.quanta
        tau = [d.vacuum.tau.re, d.vacuum.tau.im]
        phi = [d.vacuum.phi.re, d.vacuum.phi.im]
        evaluations = d.evaluations
        inTarget = d.inTarget
    }

    var discovery: Discovery {
        Discovery(vacuum: FluxVacuum(genome: FluxGenome(quanta), tau: Complex(tau[0], tau[1]), phi: Complex(phi[0], phi[1])),
                  evaluations: evaluations, inTarget: inTarget)
    }
}

/// A genome and its fitness, arrived from another island.
struct MigrantRecord: Codable, Equatable {
    var quanta: [Int]
    var fitness: Double
}

/// One island of the genetic search.
struct GeneticIslandRecord: Codable, Equatable {
    var generation: Int
    var evaluations: Int
    var population: [[Int]]
    var arrivals: [MigrantRecord]
    var discoveries: [DiscoveryRecord]

    init(_ s: GeneticState) {
        generation = s.generation
        evaluations = s.evaluator.evaluations
        population = s.population.map(\.quanta)
        arrivals = s.arrivals.map { MigrantRecord(quanta: $0.genome.quanta, fitness: $0.fitness) }
        discoveries = s.evaluator.discoveries.map(DiscoveryRecord.init)
    }

    func state(target: VacuumTarget) -> GeneticState {
        GeneticState(generation: generation, population: population.map(FluxGenome.init),
                     evaluator: LandscapeEvaluator(target: target, evaluations: evaluations, discoveries: discoveries.map(\.discovery)),
                     arrivals: arrivals.map { (genome: FluxGenome($0.quanta), fitness: $0.fitness) })
    }
}

/// The islands of the genetic search on one rank.
struct GeneticRankRecord: Codable, Equatable {
    var islands: [GeneticIslandRecord]
}

/// The random search on one rank.
struct RandomSearchRecord: Codable, Equatable {
    var round: Int
    var evaluations: Int
    var discoveries: [DiscoveryRecord]

    init(_ s: RandomSearchState) {
        round = s.round
        evaluations = s.evaluator.evaluations
        discoveries = s.evaluator.discoveries.map(DiscoveryRecord.init)
    }

    func state(target: VacuumTarget) -> RandomSearchState {
        RandomSearchState(round: round, evaluator: LandscapeEvaluator(target: target, evaluations: evaluations,
                                                                      discoveries: discoveries.map(\.discovery)))
    }
}

/// The policy agent's walkers and memory on one rank.
struct PolicyWalkersRecord: Codable, Equatable {
    var update: Int
    var evaluations: Int
    var walkers: [[Int]]
    var fitness: [Double]
    /// Remembered genomes, oldest first.
    var memory: [[Int]]
    var discoveries: [DiscoveryRecord]

    init(_ s: PolicyState) {
        update = s.update
        evaluations = s.evaluator.evaluations
        walkers = s.walkers.map(\.quanta)
        fitness = s.fitness
        memory = s.memory.map(\.quanta)
        discoveries = s.evaluator.discoveries.map(DiscoveryRecord.init)
    }
}

/// The policy agent's network and optimiser, the same on every rank.
struct PolicyNetworkRecord: Codable, Equatable {
    var optimizerSteps: Int
    var parameters: [Double]
    var optimizerState: [Double]

    init(_ s: PolicyState) {
        optimizerSteps = s.optimizerSteps
        parameters = s.parameters
        optimizerState = s.optimizerState
    }

    func state(walkers w: PolicyWalkersRecord, target: VacuumTarget) -> PolicyState {
        PolicyState(update: w.update, walkers: w.walkers.map(FluxGenome.init), fitness: w.fitness, parameters: parameters,
                    optimizerState: optimizerState, optimizerSteps: optimizerSteps, memory: w.memory.map(FluxGenome.init),
                    evaluator: LandscapeEvaluator(target: target, evaluations: w.evaluations, discoveries: w.discoveries.map(\.discovery)))
    }
}

/// The three-modulus search on one rank.
struct ThreeModulusRecord: Codable, Equatable {
    /// A three-modulus vacuum found, and when.
    struct Found: Codable, Equatable {
        var f: [Int]
        var h: [Int]
        /// τ₁, τ₂, τ₃ as (Re, Im).
        var tau: [[Double]]
        var phi: [Double]
        var evaluations: Int
        var inTarget: Bool
    }

    var round: Int
    var evaluations: Int
    var discoveries: [Found]

    init(_ s: ThreeModulusSearchState) {
        round = s.round
        evaluations = s.evaluations
        discoveries = s.discoveries.map { d in
            Found(f: d.vacuum.genome.f, h: d.vacuum.genome.h, tau: d.vacuum.tau.map { [$0.re, $0.im] },
                  phi: [d.vacuum.phi.re, d.vacuum.phi.im], evaluations: d.evaluations, inTarget: d.inTarget)
        }
    }

    var state: ThreeModulusSearchState {
        ThreeModulusSearchState(round: round, evaluations: evaluations, discoveries: discoveries.map { d in
            ThreeModulusDiscovery(vacuum: ThreeModulusVacuum(genome: ThreeModulusGenome(f: d.f, h: d.h),
                                                             tau: d.tau.map { Complex($0[0], $0[1]) }, phi: Complex(d.phi[0], d.phi[1])),
                                  evaluations: d.evaluations, inTarget: d.inTarget)
        })
    }
}
