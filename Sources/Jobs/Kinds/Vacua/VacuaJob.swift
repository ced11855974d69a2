import Foundation
import Vacua

/// A landscape search for type IIB flux vacua of the symmetric T⁶ model with a target on g_s and
/// e^{K/2}|W| (genetic islands, the RL agent or uniform random search, one per rank), or the
/// complete enumeration of its vacua split over the ranks; either way merged into a catalog.
public struct VacuaJob: JobDefinition {
    /// `kind = "vacua"` selects a flux-vacuum search or enumeration; the summary is what `--help` and `ensemble validate` show.
    public static let kind = JobKind(
        "vacua", summary: "flux-vacuum search (genetic islands, RL agent or uniform random) or complete enumeration on the symmetric T⁶ orientifold, or uniform search of the three-modulus T⁶, merged into a catalog",
        columns: VacuaRun.summaryColumns)

    /// The largest L an enumeration accepts: its time and its number of vacua grow about as L^4.5
    /// (94 245 vacua in 3 s on one core at L = 30).
    public static let enumerationLimit = 60

    /// The top-level `kind`, `output` and `seed`.
    public var header: JobHeader
    /// The `[vacua]` section.
    public var vacua: Section

    /// The `[vacua]` section.
    public struct Section: Codable, Sendable {
        /// `flux_limit`: L, the tadpole bound; a vacuum counts when 0 < N_flux ≤ L; 1–500 (at most 60 to enumerate).
        public var fluxLimit: Int
        /// The symmetric model (the default, two moduli) or the three-modulus one.
        public var model: Model?
        /// `method`: `genetic`, `policy` (the RL agent), `random` (uniform), or `enumerate` (every vacuum).
        public var method: Method
        /// Half-width of the box a three-modulus search draws its fluxes from.
        public var box: Int?
        /// Newton's starting points per three-modulus genome.
        public var newtonStarts: Int?
        /// Genomes per rank of a search; an enumeration takes none.
        public var evaluations: Int?
        /// `string_coupling`: the target interval [lower, upper) of g_s, 0 < lower < upper; default none.
        public var stringCoupling: [Double]?
        /// `normalized_superpotential`: the target interval [lower, upper) of e^{K/2}|W|, 0 < lower < upper; default none.
        public var normalizedSuperpotential: [Double]?
        /// The `[vacua.genetic]` settings; every key has a default.
        public var genetic: Genetic?
        /// The `[vacua.policy]` settings; every key has a default.
        public var policy: Policy?
        /// `checkpoint_every`: generations (genetic), agent updates (policy) or rounds of 4096 genomes (random) between
        /// checkpoints and stop votes; default 100.
        public var checkpointEvery: Int?
    }

    /// The `[vacua.genetic]` section.
    public struct Genetic: Codable, Sendable {
        /// `population`: genomes of all islands together, at least 2 per island; default 200.
        public var population: Int?
        /// `selection`: how parents are picked, `tournament` or `roulette`; default tournament.
        public var selection: Selection?
        /// `tournament_size`: genomes drawn per tournament; default 3.
        public var tournamentSize: Int?
        /// `crossover`: probability that a child comes from two-point crossover, not a copy of one parent; default 0.7.
        public var crossover: Double?
        /// `mutation`: probability that a child gets one flux changed; default 0.6.
        public var mutation: Double?
        /// `elite`: best genomes of an island copied unchanged into its next generation; default 4.
        public var elite: Int?
        /// `migrate_every`: generations between migrations around the ring of islands (0: isolated islands); default 10.
        public var migrateEvery: Int?
        /// `migrants`: genomes each island sends at a migration, at most half the population; default 4.
        public var migrants: Int?
        /// `width_start`: the fitness width around the target at the first generation; > 0, default 2.
        public var widthStart: Double?
        /// `width_end`: the fitness width at the last generation (it shrinks geometrically); > 0, default 0.1.
        public var widthEnd: Double?
        /// `initial_box`: half-width of the box the first population and mutation jumps are drawn from; default L.
        public var initialBox: Int?
        /// `islands`: islands in all, a multiple of the ranks (set, the catalog is the same on any ranks); default one per rank.
        public var islands: Int?
    }

    /// The `[vacua.policy]` section of the reinforcement-learning agent.
    public struct Policy: Codable, Sendable {
        /// `episodes`: walkers per rank, run side by side as one batch; default 16.
        public var episodes: Int?
        /// `steps`: steps of every walker per update; default 25.
        public var steps: Int?
        /// `discount`: the discount of future rewards, 0–1; default 0.9.
        public var discount: Double?
        /// `learning_rate`: the agent's learning rate; default 3e-3.
        public var learningRate: Double?
        /// `entropy`: weight of the entropy bonus, which keeps the policy exploring; default 0.01.
        public var entropy: Double?
        /// `value_weight`: weight of the value loss; default 0.5.
        public var valueWeight: Double?
        /// `hidden`: units of each of the agent's two tanh layers; default 32.
        public var hidden: Int?
        /// `epochs`: PPO passes over each batch; default 4.
        public var epochs: Int?
        /// `clip`: PPO's clipping of the probability ratio to [1 − clip, 1 + clip]; default 0.2.
        public var clip: Double?
    }

    /// Which flux model: the symmetric T⁶ (τ, φ) or the untwisted three-modulus T⁶ (τ₁, τ₂, τ₃, φ).
    public enum Model: String, JobChoice { case symmetric, threeModulus = "three-modulus" }
    /// How vacua are found: genetic islands, the reinforcement-learning agent, uniform random
    /// search, or the complete enumeration.
    public enum Method: String, JobChoice { case genetic, policy, random, enumerate }
    /// How the genetic search picks parents.
    public enum Selection: String, JobChoice { case tournament, roulette }

    /// Whether the search is of the three-modulus model.
    public var isThreeModulus: Bool { vacua.model == .threeModulus }
    /// The catalog layout of the model.
    var layout: CatalogLayout { isThreeModulus ? .threeModulus : .symmetric }
    /// The three-modulus search's flux box: small, since vacua with N_flux ≤ L have small fluxes.
    public var box: Int { vacua.box ?? min(2, vacua.fluxLimit) }
    /// Newton's starting points per three-modulus genome.
    public var newtonStarts: Int { vacua.newtonStarts ?? 24 }

    /// The agent's settings.
    public var policySettings: PolicySettings {
        let p = vacua.policy
        return PolicySettings(episodes: p?.episodes ?? 16, steps: p?.steps ?? 25, discount: p?.discount ?? 0.9,
                              learningRate: p?.learningRate ?? 3e-3, entropy: p?.entropy ?? 0.01,
                              valueWeight: p?.valueWeight ?? 0.5, hidden: p?.hidden ?? 32, epochs: p?.epochs ?? 4, clip: p?.clip ?? 0.2)
    }

    /// The target set: 0 < N_flux ≤ L and, if given, g_s and e^{K/2}|W| in their intervals.
    public var target: VacuumTarget {
        VacuumTarget(fluxLimit: vacua.fluxLimit,
                     stringCoupling: vacua.stringCoupling.map { ($0[0], $0[1]) },
                     normalizedSuperpotential: vacua.normalizedSuperpotential.map { ($0[0], $0[1]) })
    }

    /// The genetic search's islands: `islands`, or one per rank.
    public func islands(ranks: Int) -> Int { vacua.genetic?.islands ?? ranks }

    /// The genetic search's settings on `ranks` ranks, defaults filled in and the population split evenly over the islands.
    public func geneticSettings(ranks: Int) -> GeneticSettings {
        let g = vacua.genetic, islands = islands(ranks: ranks)
        return GeneticSettings(population: (g?.population ?? 200) / islands,
                               selection: (g?.selection ?? .tournament) == .roulette ? .roulette : .tournament(size: g?.tournamentSize ?? 3),
                               crossover: g?.crossover ?? 0.7, mutation: g?.mutation ?? 0.6, elite: g?.elite ?? 4,
                               migrateEvery: g?.migrateEvery ?? 10, migrants: g?.migrants ?? 4,
                               widthStart: g?.widthStart ?? 2, widthEnd: g?.widthEnd ?? 0.1, initialBox: g?.initialBox,
                               islandsPerRank: islands / ranks)
    }

    /// Searches (or enumerates) on every rank and merges what the ranks found into one catalog.
    public func execute(_ context: RunContext) throws -> RunOutcome {
        try VacuaRun(job: self, context: context).run()
    }
}
