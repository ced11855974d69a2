import Cluster
import Foundation
import Store
import Vacua

/// A search or enumeration run: each rank searches (or takes its share of the enumeration), rank 0
/// merges the discoveries by canonical key into the catalog (the first finder kept: fewest
/// evaluations, then lowest rank), the discovery curve and the counts by N_flux.
struct VacuaRun {
    let job: VacuaJob
    let context: RunContext

    /// The `/summary` row: the method, what it cost, and what it found.
    static let summaryColumns = [
        Column("method", .text(maximumBytes: 16)), Column("evaluations", .integer), Column("vacua", .integer),
        Column("target_vacua", .integer), Column("seconds", .real), Column("evaluations_per_s_per_rank", .real),
    ]

    func run() throws -> RunOutcome {
        let world = context.communicator, target = job.target
        let start = MPIEnvironment.wallTime()
        let outcome: (entries: [CatalogEntry], evaluations: Int, completed: Bool)
        if job.vacua.method == .enumerate {
            let share = try VacuumEnumeration.share(target: target, rank: world.rank.index, ranks: world.size)
            outcome = (share.discoveries.map { CatalogEntry($0, target: target) }, share.bivectors, true)
        } else {
            outcome = try search()
        }
        guard outcome.completed else { return .interrupted(atStep: outcome.evaluations) }
        let seconds = try world.allreduce(MPIEnvironment.wallTime() - start, .max)
        let gathered = try world.gatherVariable(outcome.entries.flatMap(\.encoded))
        let evaluations = try world.allreduce(outcome.evaluations, .sum)
        let l = job.vacua.fluxLimit, layout = job.layout
        let searchers = job.vacua.method == .genetic ? job.islands(ranks: world.size) : world.size
        var rows: [[Cell]] = [], curve: [Double] = [], found = 0, inTarget = 0
        var byFlux = (1...l).flatMap { n -> [Double] in [Double(n), 0, 0] }
        if world.isRoot {
            var events: [(evaluations: Int, rank: Int, entry: CatalogEntry)] = []
            for (rank, numbers) in gathered.enumerated() {
                for e in CatalogEntry.decode(numbers) { events.append((e.evaluations, e.island ?? rank, e)) }
            }
            events.sort { ($0.evaluations, $0.rank) < ($1.evaluations, $1.rank) }
            var seen = Set<[Int]>()
            for e in events where seen.insert(e.entry.fluxes).inserted {
                let v = e.entry, hit = v.inTarget
                found += 1
                if hit { inTarget += 1 }
                byFlux[3 * (v.fluxNumber - 1) + 1] += 1
                byFlux[3 * (v.fluxNumber - 1) + 2] += hit ? 1 : 0
                // Searchers (ranks, or islands) go in lockstep, so one's k-th evaluation is about the (k·searchers)-th overall.
                curve += [Double(e.evaluations * searchers), Double(found), Double(inTarget)]
                rows.append(v.fluxes.map { Cell.integer(Int64($0)) } + v.values.map(Cell.real)
                            + [.integer(Int64(v.fluxNumber)), .integer(hit ? 1 : 0), .text(job.vacua.method.rawValue), .integer(Int64(e.evaluations)),
                               .integer(Int64(e.rank)), .integer(Int64(bitPattern: job.seed))])
            }
        }
        let root = context.root
        let catalog = try Table.create("catalog", in: root, columns: layout.columns)
        try catalog.append(rows)
        try catalog.describe(axis: "vacuum", columns: layout.meanings, in: root, root: root)
        let counts = try world.broadcast([found, inTarget, curve.count / 3])
        let discovery = try root.createDataset("discovery", of: Double.self, shape: [counts[2], 3])
        try discovery.writeFromRoot(curve)
        try discovery.setAttribute("columns", "evaluations (all ranks), distinct vacua, distinct target vacua")
        try Meaning(units: "1", longName: "discovery curve: distinct vacua found against evaluations").write(to: discovery)
        try root.makeCoordinate("discovery_column", labels: ["evaluations", "vacua", "target_vacua"], meaning: nil)
        try root.nameAxes(of: discovery, ["discovery_point", "discovery_column"], root: root)
        let perFlux = try root.createDataset("by_flux_number", of: Double.self, shape: [l, 3])
        try perFlux.writeFromRoot(byFlux)
        try perFlux.setAttribute("columns", "N_flux, distinct vacua, distinct target vacua")
        try Meaning(units: "1", longName: "distinct vacua per flux number N_flux").write(to: perFlux)
        try root.makeCoordinate("flux_column", labels: ["n_flux", "vacua", "target_vacua"], meaning: nil)
        try root.nameAxes(of: perFlux, ["flux_number", "flux_column"], root: root)
        try root.setAttribute("model", layout.model)
        try root.setAttribute("flux_limit", Int64(job.vacua.fluxLimit))
        let summary = try Table.create("summary", in: root, columns: Self.summaryColumns)
        try summary.append(world.isRoot ? [[.text(job.vacua.method.rawValue), .integer(Int64(evaluations)), .integer(Int64(counts[0])),
                                   .integer(Int64(counts[1])), .real(seconds), .real(Double(evaluations) / seconds / Double(world.size))]] : [])
        try summary.describe(axis: "search", in: root, root: root)
        return .completed
    }

    /// The search on this rank, checkpointed every `checkpoint_every` generations, updates or
    /// rounds (and stopped there on a signal), or continued from its checkpoint. Collective.
    func search() throws -> (entries: [CatalogEntry], evaluations: Int, completed: Bool) {
        // The three-modulus search has a method name of its own, so neither model resumes the other's checkpoint.
        let world = context.communicator, method = job.isThreeModulus ? "three-modulus random" : job.vacua.method.rawValue, target = job.target
        let budget = job.vacua.evaluations ?? 0, every = job.vacua.checkpointEvery ?? 100
        var written = 0
        // Rank 0 reports its own evaluations, which every rank's keep pace with, at the steady
        // interval of --progress; a resumed run's earlier work is left out of the rate.
        var progress: Progress? = nil
        func report(_ done: Int, _ total: Int) {
            if progress == nil {
                progress = Progress(label: "\(method) (rank 0)", total: total, unit: "evaluations", startingAt: done,
                                    every: context.options.progressInterval, enabled: world.isRoot, logger: context.logger)
            }
            progress?.update(done)
        }
        /// The record this rank resumes from, and the shared one, if the run is resumed.
        func stored<R: Decodable, S: Decodable>(_: R.Type, shared: S.Type = NoSharedRecord.self) throws -> (rank: R, shared: S?)? {
            guard let resumed = context.resumed else { return nil }
            try resumed.requireVersion(SearchCheckpoint.version)
            return try SearchCheckpoint.read(resumed.contents, method: method, as: R.self, shared: S.self, communicator: world)
        }
        func save(_ record: some Encodable, shared: (some Encodable)? = NoSharedRecord?.none) throws -> Bool {
            written = try context.saveCheckpoint(step: (written + 1) * every, unit: "checkpoint interval", version: SearchCheckpoint.version) { state in
                try SearchCheckpoint.put(method: method, rank: record, shared: shared, into: state, communicator: world)
            }
            return try context.shouldStop(afterCheckpoint: written)
        }
        func policyState(_ stored: (rank: PolicyWalkersRecord, shared: PolicyNetworkRecord?)?) throws -> PolicyState? {
            guard let stored else { return nil }
            guard let network = stored.shared else {
                throw JobError(file: context.paths.checkpoint, "holds a policy search state without the agent's network")
            }
            return network.state(walkers: stored.rank, target: target)
        }
        func entries(_ r: (evaluator: LandscapeEvaluator, completed: Bool)) -> (entries: [CatalogEntry], evaluations: Int, completed: Bool) {
            (r.evaluator.discoveries.map { CatalogEntry($0, target: target) }, r.evaluator.evaluations, r.completed)
        }
        let result: (entries: [CatalogEntry], evaluations: Int, completed: Bool)
        switch job.isThreeModulus ? nil : job.vacua.method {
        case .genetic:
            // `evaluations` is per island (per rank when each rank has one), so a job with `islands`
            // set gives the same catalog on any number of ranks; the catalog names the finding island.
            let settings = job.geneticSettings(ranks: world.size)
            let search = GeneticSearch(target: target, settings: settings, seed: job.seed, communicator: world)
            let r = try search.run(evaluations: budget * settings.islandsPerRank, from: try stored(GeneticRankRecord.self).map { $0.rank.islands.map { $0.state(target: target) } },
                                   checkpointEvery: every, progress: report) { try save(GeneticRankRecord(islands: $0.map(GeneticIslandRecord.init))) }
            let found = r.islands.enumerated().flatMap { j, island in
                island.discoveries.map { d -> CatalogEntry in
                    var entry = CatalogEntry(d, target: target)
                    entry.island = search.island(j)
                    return entry
                }
            }
            result = (found, r.islands.map(\.evaluations).reduce(0, +), r.completed)
        case .policy:
            result = entries(try FluxPolicyAgent(target: target, settings: job.policySettings, seed: job.seed, communicator: world)
                .run(evaluations: budget, from: try policyState(stored(PolicyWalkersRecord.self, shared: PolicyNetworkRecord.self)),
                     checkpointEvery: every, progress: report) { try save(PolicyWalkersRecord($0), shared: PolicyNetworkRecord($0)) })
        case nil:
            let r = try ThreeModulusSearch.run(target: target, evaluations: budget, box: job.box, starts: job.newtonStarts, seed: job.seed,
                                               rank: world.rank.index, from: try stored(ThreeModulusRecord.self)?.rank.state,
                                               checkpointEvery: every, progress: report) { try save(ThreeModulusRecord($0)) }
            result = (r.state.discoveries.map { CatalogEntry($0, target: target) }, r.state.evaluations, r.completed)
        case .random, .enumerate:  // (an enumeration never comes here: run() enumerates instead)
            result = entries(try RandomSearch.run(target: target, evaluations: budget, seed: job.seed, rank: world.rank.index,
                                                  from: try stored(RandomSearchRecord.self)?.rank.state(target: target),
                                                  checkpointEvery: every, progress: report) { try save(RandomSearchRecord($0)) })
        }
        return result
    }
}

extension VacuaJob {
    /// A search's state is per rank, so it resumes only on the ranks it started on.
    public func identity(text: String, ranks: Int) -> CheckpointIdentity {
        CheckpointIdentity(kind: Self.kind.name, job: text, seed: seed, requiredRanks: vacua.method == .enumerate ? nil : ranks)
    }
}
