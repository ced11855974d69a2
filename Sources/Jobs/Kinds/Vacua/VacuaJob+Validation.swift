import Foundation
import Vacua

extension VacuaJob {
    /// Checks the output name, the keys the model and method allow, the target intervals, and every range.
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

    /// For a genetic search: the islands must spread evenly over the ranks, with at least 2 genomes each.
    public func validate(ranks: Int, file: String) throws(JobError) {
        guard vacua.method == .genetic else { return }
        let population = vacua.genetic?.population ?? 200, islands = islands(ranks: ranks), g = Validator(file: file, section: "vacua.genetic")
        try g.require(islands % ranks == 0, "islands", "\(islands) cannot be spread evenly over \(ranks) ranks: give a multiple of \(ranks)")
        try g.require(population >= 2 * islands, "population",
            "\(population) is too small for \(islands) islands: each island needs at least 2 genomes (≥ \(2 * islands))")
    }

    /// The method, model, budget per rank or island, and the target.
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

    /// The catalog's rows bound everything: an enumeration finds about 94 245 (L/30)^4.5 vacua, a
    /// search at most one new vacuum per evaluation; a row is about 250 bytes in the run file, its
    /// discovery 112 bytes in a checkpoint, and rank 0 gathers them all.
    public func resources(ranks: Int) -> RunResources {
        let searchers = Double(vacua.method == .genetic ? islands(ranks: ranks) : ranks)
        let rows = vacua.method == .enumerate ? 1.5 * 94_245 * pow(Double(vacua.fluxLimit) / 30, 4.5)
                                               : min(Double(vacua.evaluations ?? 0) * searchers, 1e7)
        return RunResources(runFileBytes: rows * 274, checkpointBytes: vacua.method == .enumerate ? 0 : rows * 112,
                            memoryPerRankBytes: processBaseline + rows * 400)
    }
}
