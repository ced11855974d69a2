// Genetic search for flux vacua, one or more islands per rank: a population of genomes with alleles in
// [−L, L], fitness from `LandscapeEvaluator` with a width that shrinks over the run (broad at first,
// so the population finds the tadpole window, then sharp around the target), tournament or
// roulette selection, two-point crossover, single-flux mutation and elitism. Every few generations
// each island sends copies of its best genomes to the next island in a ring (over the ranks by
// IslandMigration); they replace the worst there at the following migration, so islands never
// wait in lockstep. Random numbers come from Philox keyed by (seed, island, generation), and an
// island's migrants arrive one interval later whether its neighbour is on its rank or not, so a
// run depends on the number of islands, not on how they are spread over the ranks.

import Cluster
import Numerics
#if canImport(Glibc)
import Glibc
#endif

extension RandomStream.Purpose {
    /// Genetic search: replica = island (rank), step = generation.
    public static let vacuaGenetic = RandomStream.Purpose(rawValue: 128)
    /// Uniform random search: replica = rank, step = batch of genomes.
    public static let vacuaRandom = RandomStream.Purpose(rawValue: 129)
}

/// How the genetic search selects, breeds and migrates.
public struct GeneticSettings: Sendable, Equatable {
    /// How parents are chosen.
    public enum Selection: Sendable, Equatable {
        /// The fittest of `size` uniformly drawn individuals.
        case tournament(size: Int)
        /// Proportional to fitness (weaker than a tournament at large L, where fitnesses start alike).
        case roulette
    }
    /// Genomes per island.
    public var population: Int
    /// How parents are chosen: tournament or roulette.
    public var selection: Selection
    /// Probability that a child comes from two-point crossover rather than a copy of one parent.
    public var crossover: Double
    /// Probability that a child gets one flux changed.
    public var mutation: Double
    /// Best individuals copied unchanged into the next generation.
    public var elite: Int
    /// Generations between migrations (0: isolated islands).
    public var migrateEvery: Int
    /// Genomes each island sends.
    public var migrants: Int
    /// Fitness width at the first and the last generation.
    public var widthStart: Double, widthEnd: Double
    /// Half-width of the box the first population and mutation jumps are drawn from (nil: L).
    /// Alleles stay in [−L, L] either way; at large L uniform genomes in the window almost never
    /// have a vacuum (none of 20 000 at L = 200), while vacua with N_flux ≤ L have small fluxes.
    public var initialBox: Int?
    /// Islands on each rank (the ring runs over all islands of all ranks in order): with the
    /// same total, a search gives the same result on any number of ranks.
    public var islandsPerRank: Int

    /// Settings with every field given; `population` is per island.
    public init(population: Int, selection: Selection, crossover: Double, mutation: Double, elite: Int,
                migrateEvery: Int, migrants: Int, widthStart: Double, widthEnd: Double, initialBox: Int? = nil,
                islandsPerRank: Int = 1) {
        self.population = population
        self.selection = selection
        self.crossover = crossover
        self.mutation = mutation
        self.elite = elite
        self.migrateEvery = migrateEvery
        self.migrants = migrants
        self.widthStart = widthStart
        self.widthEnd = widthEnd
        self.initialBox = initialBox
        self.islandsPerRank = islandsPerRank
    }
}

/// Where one island stands at the start of a generation: enough to continue it exactly.
public struct GeneticState: Sendable {
    /// The generation about to be evaluated.
    public var generation: Int
    /// Its population.
    public var population: [FluxGenome]
    /// What the island has found so far.
    public var evaluator: LandscapeEvaluator
    /// Migrants received from the previous island with the fitness it gave them, to replace the
    /// worst at the next migration.
    public var arrivals: [Migrant]

    /// A state with these parts.
    public init(generation: Int, population: [FluxGenome], evaluator: LandscapeEvaluator,
                arrivals: [Migrant] = []) {
        self.generation = generation
        self.population = population
        self.evaluator = evaluator
        self.arrivals = arrivals
    }
}

/// The island-model genetic search on one rank.
public struct GeneticSearch {
    /// The vacua sought; fitness is measured against it.
    public let target: VacuumTarget
    /// Population, selection, breeding and migration settings.
    public let settings: GeneticSettings
    /// The run's seed: with island and generation it keys every random draw.
    public let seed: UInt64
    /// The ranks whose islands form one migration ring.
    public let communicator: Communicator

    /// A search for `target` with these settings on `communicator`'s ranks.
    public init(target: VacuumTarget, settings: GeneticSettings, seed: UInt64, communicator: Communicator) {
        self.target = target
        self.settings = settings
        self.seed = seed
        self.communicator = communicator
    }

    /// The global index of this rank's island `j`: islands are dealt to the ranks in turn
    /// (rank r holds r, r + ranks, …), so ring neighbours, whose populations grow alike through
    /// migration, sit on different ranks and each rank's share of the work is a mix.
    public func island(_ j: Int) -> Int { communicator.rank.index + j * communicator.size }

    /// Runs whole generations until about `evaluations` genomes are evaluated on this rank (shared
    /// by its islands); returns what each of its islands found, in island order. Collective when islands migrate.
    public func run(evaluations budget: Int) throws -> [LandscapeEvaluator] {
        try run(evaluations: budget, from: nil).islands
    }

    /// Runs from `states` (one per island of this rank, or from the start) towards `evaluations`
    /// per rank. Every `checkpointEvery` generations it hands `checkpoint` the islands' states at
    /// the start of a generation; when that returns true the search stops there and returns
    /// `completed: false`. Because the random numbers are keyed by (seed, island, generation), a
    /// search continued from a state ends exactly as an uninterrupted one. `progress` hears the
    /// evaluations done and due on this rank at the start of each generation and at the end. Collective.
    public func run(evaluations budget: Int, from states: [GeneticState]?, checkpointEvery: Int = 0,
                    progress: (_ done: Int, _ total: Int) -> Void = { _, _ in },
                    checkpoint: ([GeneticState]) throws -> Bool = { _ in false }) throws -> (islands: [LandscapeEvaluator], completed: Bool) {
        let p = settings.population, k = settings.islandsPerRank, l = target.fluxLimit
        let generations = max(1, budget / (k * p)), migrants = min(settings.migrants, p / 2)
        let b = min(l, settings.initialBox ?? l), ring = communicator.size * k > 1
        var islands = (0..<k).map { j -> GeneticState in
            if let state = states?[j] { return state }
            var random = RandomStream(seed: seed, purpose: .vacuaGenetic, replica: island(j), step: 0)
            return GeneticState(generation: 0, population: (0..<p).map { _ in FluxGenome { _ in random.integer(below: 2 * b + 1) - b } },
                                evaluator: LandscapeEvaluator(target: target))
        }
        var fitness = [[Double]](repeating: [Double](repeating: 0, count: p), count: k)
        let first = states?.first?.generation ?? 0
        var exchange: IslandMigration? = nil
        for generation in first..<generations {
            if checkpointEvery > 0, generation > first, generation % checkpointEvery == 0 {
                // A checkpoint holds no transfer in flight: what is on its way is stored as arrivals.
                if let received = try finish(&exchange) { deliver(received, to: &islands) }
                for j in 0..<k { islands[j].generation = generation }
                if try checkpoint(islands) { return (islands.map(\.evaluator), false) }
            }
            progress(generation * k * p, generations * k * p)
            let annealed = generations > 1 ? Double(generation) / Double(generations - 1) : 1
            let width = settings.widthStart * pow(settings.widthEnd / settings.widthStart, annealed)
            for j in 0..<k {
                for i in 0..<p { fitness[j][i] = islands[j].evaluator.evaluate(islands[j].population[i], width: width) }
            }
            if settings.migrateEvery > 0, ring, migrants > 0, (generation + 1) % settings.migrateEvery == 0 {
                if let received = try finish(&exchange) { deliver(received, to: &islands) }
                var outgoing: [Migrant] = []
                for j in 0..<k { outgoing += Self.migrate(&islands[j], &fitness[j], migrants: migrants) }
                // Every island's successor in the ring is on the next rank: one message per rank
                // carries all of its islands' migrants (on a single rank they are handed over here).
                if communicator.size > 1 {
                    exchange = try IslandMigration(sending: outgoing, on: communicator)
                } else {
                    deliver(outgoing, to: &islands)
                }
            }
            guard generation + 1 < generations else { break }
            for j in 0..<k {
                var random = RandomStream(seed: seed, purpose: .vacuaGenetic, replica: island(j), step: generation + 1)
                islands[j].population = breed(islands[j].population, fitness[j], &random)
            }
        }
        _ = try finish(&exchange)   // the last migrants arrive after the search has ended
        progress(generations * k * p, generations * k * p)
        return (islands.map(\.evaluator), true)
    }

    /// Hands the previous rank's migrants (its islands' in local order, equally many each) to
    /// their ring successors here: island r − 1 + j·ranks is followed by r + j·ranks, i.e. local
    /// island j, except on rank 0, where it is local island j + 1 and the last wraps round to 0.
    private func deliver(_ received: [Migrant], to islands: inout [GeneticState]) {
        let k = islands.count, m = received.count / k
        for j in 0..<k {
            let successor = communicator.rank.index == 0 ? (j + 1) % k : j
            islands[successor].arrivals = Array(received[(j * m)..<((j + 1) * m)])
        }
    }

    /// The migrants of the exchange in flight, if there is one, which is then over.
    private func finish(_ exchange: inout IslandMigration?) throws(MPIError) -> [Migrant]? {
        switch consume exchange {
        case let .some(running):
            exchange = nil
            return try running.finish()
        case .none:
            exchange = nil
            return nil
        }
    }

    /// The next generation: the elite, then children of selected parents.
    func breed(_ population: [FluxGenome], _ fitness: [Double], _ random: inout RandomStream) -> [FluxGenome] {
        let p = population.count, l = target.fluxLimit, b = min(l, settings.initialBox ?? l)
        let order = population.indices.sorted { fitness[$0] > fitness[$1] }
        var next = order.prefix(min(settings.elite, p)).map { population[$0] }
        let total = fitness.reduce(0, +)
        func select() -> FluxGenome {
            switch settings.selection {
            case let .tournament(size):
                var best = random.integer(below: p)
                for _ in 1..<max(1, size) {
                    let c = random.integer(below: p)
                    if fitness[c] > fitness[best] { best = c }
                }
                return population[best]
            case .roulette:
                var u = random.uniform() * total
                for i in 0..<p {
                    u -= fitness[i]
                    if u <= 0 { return population[i] }
                }
                return population[p - 1]
            }
        }
        while next.count < p {
            var child = select()
            if random.uniform() < settings.crossover {
                let other = select()
                var a = random.integer(below: 8), b = random.integer(below: 8)
                if a > b { swap(&a, &b) }
                for k in a...b { child[k] = other[k] }
            }
            if random.uniform() < settings.mutation {
                let k = random.integer(below: 8)
                // Mostly small steps (the landscape is locally smooth in N_flux), sometimes a jump.
                child[k] = random.uniform() < 0.8 ? child[k] + (random.integer(below: 2) == 0 ? -1 : 1) * (1 + random.integer(below: 2))
                                                 : random.integer(below: 2 * b + 1) - b
                child[k] = min(l, max(-l, child[k]))
            }
            next.append(child)
        }
        return next
    }

    /// Ring migration on one island: the migrants that arrived since the last one replace its
    /// worst (keeping the fitness their island gave them, so selection can pick them); returns
    /// copies of its best (chosen before the arrivals), which set off for the next island.
    static func migrate(_ island: inout GeneticState, _ fitness: inout [Double], migrants m: Int) -> [Migrant] {
        let order = island.population.indices.sorted { fitness[$0] > fitness[$1] }
        let outgoing = order.prefix(m).map { (genome: island.population[$0], fitness: fitness[$0]) }
        for (index, migrant) in zip(order.suffix(island.arrivals.count), island.arrivals) {
            island.population[index] = migrant.genome
            fitness[index] = migrant.fitness
        }
        island.arrivals = []
        return outgoing
    }
}
