import Foundation
import Vacua

/// A landscape search for type IIB flux vacua of the symmetric T⁶ model with a target on g_s and
/// e^{K/2}|W| (genetic islands, the RL agent or uniform random search, one per rank), or the
/// complete enumeration of its vacua split over the ranks; either way merged into a catalog.
public struct VacuaJob: JobDefinition {
    public static let kind = "vacua"
    public static let summary = "flux-vacuum search (genetic islands, RL agent or uniform random) or complete enumeration on the symmetric T⁶ orientifold, or uniform search of the three-modulus T⁶, merged into a catalog"

    /// The largest L an enumeration accepts: its time and its number of vacua grow about as L^4.5
    /// (94 245 vacua in 3 s on one core at L = 30).
    public static let enumerationLimit = 60

    public var kind: String = VacuaJob.kind
    public var output: String
    public var seed: UInt64
    public var vacua: Section

    /// The `[vacua]` section.
    public struct Section: Codable, Sendable {
        public var fluxLimit: Int
        /// The symmetric model (the default, two moduli) or the three-modulus one.
        public var model: Model?
        public var method: Method
        /// Half-width of the box a three-modulus search draws its fluxes from.
        public var box: Int?
        /// Newton's starting points per three-modulus genome.
        public var newtonStarts: Int?
        /// Genomes per rank of a search; an enumeration takes none.
        public var evaluations: Int?
        public var stringCoupling: [Double]?
        public var normalizedSuperpotential: [Double]?
        public var genetic: Genetic?
        public var policy: Policy?
        public var checkpointEvery: Int?

        enum CodingKeys: String, CodingKey {
            case model, method, evaluations, genetic, policy, box
            case newtonStarts = "newton_starts"
            case checkpointEvery = "checkpoint_every"
            case fluxLimit = "flux_limit"
            case stringCoupling = "string_coupling"
            case normalizedSuperpotential = "normalized_superpotential"
        }
    }

    /// The `[vacua.genetic]` section.
    public struct Genetic: Codable, Sendable {
        public var population: Int?
        public var selection: Selection?
        public var tournamentSize: Int?
        public var crossover: Double?
        public var mutation: Double?
        public var elite: Int?
        public var migrateEvery: Int?
        public var migrants: Int?
        public var widthStart: Double?
        public var widthEnd: Double?
        public var initialBox: Int?
        public var islands: Int?

        enum CodingKeys: String, CodingKey {
            case population, selection, crossover, mutation, elite, migrants, islands
            case initialBox = "initial_box"
            case tournamentSize = "tournament_size"
            case migrateEvery = "migrate_every"
            case widthStart = "width_start"
            case widthEnd = "width_end"
        }
    }

    /// The `[vacua.policy]` section of the reinforcement-learning agent.
    public struct Policy: Codable, Sendable {
        public var episodes: Int?
        public var steps: Int?
        public var discount: Double?
        public var learningRate: Double?
        public var entropy: Double?
        public var valueWeight: Double?
        public var hidden: Int?
        public var epochs: Int?
        public var clip: Double?

        enum CodingKeys: String, CodingKey {
            case episodes, steps, discount, entropy, hidden, epochs, clip
            case learningRate = "learning_rate"
            case valueWeight = "value_weight"
        }
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

    public var target: VacuumTarget {
        VacuumTarget(fluxLimit: vacua.fluxLimit,
                     stringCoupling: vacua.stringCoupling.map { ($0[0], $0[1]) },
                     normalizedSuperpotential: vacua.normalizedSuperpotential.map { ($0[0], $0[1]) })
    }

    /// The genetic settings for `ranks` islands (the population is split evenly over them).
    /// The genetic search's islands: `islands`, or one per rank.
    public func islands(ranks: Int) -> Int { vacua.genetic?.islands ?? ranks }

    public func geneticSettings(ranks: Int) -> GeneticSettings {
        let g = vacua.genetic, islands = islands(ranks: ranks)
        return GeneticSettings(population: (g?.population ?? 200) / islands,
                               selection: (g?.selection ?? .tournament) == .roulette ? .roulette : .tournament(size: g?.tournamentSize ?? 3),
                               crossover: g?.crossover ?? 0.7, mutation: g?.mutation ?? 0.6, elite: g?.elite ?? 4,
                               migrateEvery: g?.migrateEvery ?? 10, migrants: g?.migrants ?? 4,
                               widthStart: g?.widthStart ?? 2, widthEnd: g?.widthEnd ?? 0.1, initialBox: g?.initialBox,
                               islandsPerRank: islands / ranks)
    }

    public func validate(file: String) throws(JobError) {
        try Validator(file: file, section: "").require(output.hasSuffix(".h5"), "output", "\"\(output)\" must end in .h5")
        let v = Validator(file: file, section: "vacua")
        try v.require("flux_limit", vacua.fluxLimit, in: 1...500)
        if isThreeModulus {
            try v.require(vacua.method == .random, "method",
                          "\"\(vacua.method.rawValue)\" is not available for the three-modulus model: its search is \"random\" (uniform in a box of fluxes)")
            try v.require("box", box, in: 1...vacua.fluxLimit)
            try v.require("newton_starts", newtonStarts, in: 1...10_000)
        } else {
            try v.require(vacua.box == nil && vacua.newtonStarts == nil, vacua.box == nil ? "newton_starts" : "box",
                          "is a setting of the three-modulus search; set model = \"three-modulus\" or remove it")
        }
        if vacua.method == .enumerate {
            try v.require(vacua.evaluations == nil, "evaluations", "an enumeration solves every candidate; remove evaluations (it is for searches)")
            try v.require(vacua.fluxLimit <= Self.enumerationLimit, "flux_limit",
                          "\(vacua.fluxLimit) is too large to enumerate: must be at most \(Self.enumerationLimit) (the vacua grow as about L^4.5; search larger L instead)")
        } else {
            try v.require(vacua.evaluations != nil, "evaluations", "missing; a search needs its number of evaluations per rank")
        }
        let p = Validator(file: file, section: "vacua.policy"), q = vacua.policy
        try p.require("episodes", q?.episodes ?? 16, in: 1...100_000)
        try p.require("steps", q?.steps ?? 25, in: 1...100_000)
        try p.require("discount", q?.discount ?? 0.9, in: 0.0...1.0)
        try p.require("learning_rate", q?.learningRate ?? 3e-3, in: 1e-12...1.0)
        try p.require("entropy", q?.entropy ?? 0.01, in: 0.0...10.0)
        try p.require("value_weight", q?.valueWeight ?? 0.5, in: 0.0...100.0)
        try p.require("hidden", q?.hidden ?? 32, in: 1...4096)
        try p.require("epochs", q?.epochs ?? 4, in: 1...100)
        try p.require("clip", q?.clip ?? 0.2, in: 0.01...10.0)
        try v.require("evaluations", vacua.evaluations ?? 1, in: 1...1_000_000_000)
        try v.require("checkpoint_every", vacua.checkpointEvery ?? 100, in: 1...100_000_000)
        for (key, range) in [("string_coupling", vacua.stringCoupling), ("normalized_superpotential", vacua.normalizedSuperpotential)] {
            guard let range else { continue }
            try v.require(range.count == 2 && range[0] > 0 && range[0] < range[1] && range.allSatisfy(\.isFinite), key,
                          "\(range) must be [lower, upper) with 0 < lower < upper")
        }
        let g = Validator(file: file, section: "vacua.genetic"), s = vacua.genetic
        try g.require("population", s?.population ?? 200, in: 2...10_000_000)
        try g.require("tournament_size", s?.tournamentSize ?? 3, in: 1...1000)
        try g.require("crossover", s?.crossover ?? 0.7, in: 0.0...1.0)
        try g.require("mutation", s?.mutation ?? 0.6, in: 0.0...1.0)
        try g.require("elite", s?.elite ?? 4, in: 0...((s?.population ?? 200) - 1))
        try g.require("migrate_every", s?.migrateEvery ?? 10, in: 0...1_000_000)
        try g.require("migrants", s?.migrants ?? 4, in: 0...((s?.population ?? 200) / 2))
        try g.require(((s?.widthStart ?? 2) > 0) && ((s?.widthEnd ?? 0.1) > 0), "width_start", "widths must be positive")
        try g.require("initial_box", s?.initialBox ?? vacua.fluxLimit, in: 1...vacua.fluxLimit)
        try g.require("islands", s?.islands ?? 1, in: 1...100_000)
    }

    public func validate(ranks: Int, file: String) throws(JobError) {
        guard vacua.method == .genetic else { return }
        let population = vacua.genetic?.population ?? 200, islands = islands(ranks: ranks), g = Validator(file: file, section: "vacua.genetic")
        try g.require(islands % ranks == 0, "islands", "\(islands) cannot be spread evenly over \(ranks) ranks: give a multiple of \(ranks)")
        try g.require(population >= 2 * islands, "population",
            "\(population) is too small for \(islands) islands: each island needs at least 2 genomes (≥ \(2 * islands))")
    }

    public func plan(ranks: Int) -> [String] {
        var target = "0 < N_flux ≤ \(vacua.fluxLimit)"
        if let g = vacua.stringCoupling { target += ", g_s ∈ [\(g[0]), \(g[1]))" }
        if let w = vacua.normalizedSuperpotential { target += ", e^{K/2}|W| ∈ [\(w[0]), \(w[1]))" }
        if vacua.method == .enumerate {
            return ["complete enumeration of the symmetric T⁶ model's vacua with 0 < N_flux ≤ \(vacua.fluxLimit), split over \(ranks) rank(s)",
                    "in_target: \(target)"]
        }
        if isThreeModulus {
            return ["random search on the three-modulus T⁶ model, fluxes in [−\(box), \(box)]¹⁶, \(newtonStarts) Newton starts per genome, "
                    + "\(vacua.evaluations ?? 0) evaluations per rank on \(ranks) rank(s)", "target: \(target)"]
        }
        if vacua.method == .genetic {
            let islands = islands(ranks: ranks)
            return ["genetic search on the symmetric T⁶ model: \(islands) island(s) of \((vacua.genetic?.population ?? 200) / islands) genomes, "
                    + "\(islands / max(1, ranks)) per rank, \(vacua.evaluations ?? 0) evaluations per island on \(ranks) rank(s)", "target: \(target)"]
        }
        return ["\(vacua.method.rawValue) search on the symmetric T⁶ model, \(vacua.evaluations ?? 0) evaluations per rank on \(ranks) rank(s)",
                "target: \(target)"]
    }

    public func execute(_ context: RunContext) throws -> RunOutcome {
        try VacuaRun(job: self, context: context).run()
    }
}
