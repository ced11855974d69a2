import Cluster
import Foundation
import Generative
import Learning
import Phi4
import Store

/// The flow sampler's adapter to the chain runner: step k offers proposal k to an independence-
/// Metropolis chain. Proposals come in batches made side by side over the ranks, proposal k from
/// the prior substream (seed, site k), and every rank sees every proposal's log weight, so the
/// chain is the same on any number of ranks. Measurements are the φ⁴ ones, with the Metropolis
/// exponent Δ = log w − log w′ in the place of HMC's ΔH (acceptance min(1, e^{−Δ}), ⟨e^{−Δ}⟩ = 1).
final class FlowSampleChain<Scalar: NetworkScalar & StorableScalar>: MarkovChain {
    let job: FlowSampleJob
    let stored: FlowModel.Stored
    let flow: CouplingFlow<Scalar>
    let target: Phi4Target
    let communicator: Communicator
    let context: RunContext
    /// The φ⁴ run the results are put beside, if the job names one.
    let reference: FlowReference?
    let plan: ChainPlan
    private var configurations: SavedConfigurations
    private var chain: IndependenceMetropolis
    /// The batch in hand: its first proposal, and per proposal its log w, its per-plane sums
    /// (Σφ, Σφ², S_τ along axis 0, all a φ⁴ measurement is made of) and its field.
    private var batchStart = -1
    private var records: [(logWeight: Double, planes: [Double])] = []
    private var fields: [[Double]] = []
    /// The chain's state: its per-plane sums and field, and the last offer's Δ and outcome.
    private var current: [Double] = []
    private var currentField: [Double] = []
    private var lastDelta = 0.0, lastMoved = false
    /// The effective sample size of each batch of proposals made so far.
    private var effectiveSampleSizes: [Double] = []
    /// The most rejections in a row so far: how long the chain has sat on one field.
    private var longestRejectionRun = 0

    init(job: FlowSampleJob, stored: FlowModel.Stored, context: RunContext) throws {
        self.job = job
        self.stored = stored
        communicator = context.communicator
        self.context = context
        flow = try stored.flow(Scalar.self, path: job.sampling.model)
        target = Phi4Target(extents: stored.extents, couplings: stored.couplings)
        reference = try job.sampling.reference.map { try FlowReference($0, extents: stored.extents, couplings: stored.couplings) }
        chain = IndependenceMetropolis(seed: job.seed)
        let schedule = ChainSchedule(label: "flow-sample", unit: "proposal", thermalization: 0, steps: job.sampling.proposals, measureEvery: 1,
                                     saveEvery: job.saveEvery, checkpointEvery: job.checkpointEvery, voteEvery: job.batch)
        let series = SeriesRecorder(observables: Phi4Chain.observables(timeExtent: stored.extents[0]), points: 1, chains: 1, schedule: schedule,
                                    placement: .everyRank, pointAxis: "point", isRoot: communicator.isRoot)
        plan = ChainPlan(schedule: schedule, series: series, stateVersion: 2)
        configurations = SavedConfigurations(points: 1, chains: 1, extents: stored.extents, schedule: schedule, pointAxis: "point")
    }

    var schema: RunSchema {
        var parameters = FlowModel.runParameters(stored.couplings, extents: stored.extents, formGiven: "hopping")
        parameters.set("sampler", .text("independence Metropolis with flow proposals; delta_h holds log w - log w', w = exp(-S)/q"))
        parameters.set("model", .text(job.sampling.model))
        return RunSchema(parameters: parameters, datasets: configurations.declarations(
            of: Double.self, attributes: [("field", "hopping-form phi (phi_std = sqrt(2 kappa) phi)")]))
    }

    func attach(_ datasets: RunDatasets) { configurations.attach(datasets) }

    func advance(_ step: Int) throws {
        let start = step / job.batch * job.batch
        if start != batchStart { try makeBatch(start) }
        let record = records[step - start], before = chain.currentLogWeight
        lastMoved = chain.offer(index: step, logWeight: record.logWeight)
        // Proposals are offered in index order, so those since the current one were all rejected.
        longestRejectionRun = max(longestRejectionRun, step - (chain.current ?? step))
        lastDelta = before.isFinite ? before - record.logWeight : 0
        if lastMoved {
            current = record.planes
            if job.saveEvery > 0 { currentField = fields[step - start] }
        }
    }

    /// Makes proposals start ..< start + batch (or to the end), each rank a contiguous share, and
    /// gives every rank all their records (and fields, when configurations are saved). Collective.
    private func makeBatch(_ start: Int) throws {
        let count = min(job.batch, job.sampling.proposals - start), ranks = communicator.size, rank = communicator.rank.index
        let lower = rank * count / ranks, upper = (rank + 1) * count / ranks, mine = upper - lower, sites = flow.sites
        var local = [Scalar](repeating: 0, count: mine * sites), logQ: [Double] = []
        local.withUnsafeMutableBufferPointer { f in
            flow.drawPrior(f, count: mine, first: start + lower, seed: job.seed, purpose: .flowProposal, step: 0)
            logQ = mine > 0 ? flow.forward(f, batch: mine) : []
        }
        var phi = local.map(Double.init)
        if job.symmetrize {
            for k in 0..<mine where IndependenceMetropolis.symmetrySign(seed: job.seed, index: start + lower + k) < 0 {
                for i in (k * sites)..<((k + 1) * sites) { phi[i] = -phi[i] }
            }
        }
        // One pass per field gives both S (its plane actions added in order, as `evaluate` does) and the measurement.
        var packed: [Double] = []
        for k in 0..<mine {
            let p = phi.withUnsafeBufferPointer { target.planeSums(UnsafeBufferPointer(rebasing: $0[(k * sites)..<((k + 1) * sites)])) }
            packed += [-p.actions.reduce(0, +) - logQ[k]] + p.sums + p.squares + p.actions
        }
        let width = 1 + 3 * stored.extents[0], all = Array(try communicator.allgatherVariable(packed).joined())
        records = stride(from: 0, to: count * width, by: width).map { (all[$0], Array(all[($0 + 1)..<($0 + width)])) }
        if job.saveEvery > 0 {
            let everyField = Array(try communicator.allgatherVariable(phi).joined())
            fields = (0..<count).map { Array(everyField[($0 * sites)..<(($0 + 1) * sites)]) }
        }
        if effectiveSampleSizes.count == start / job.batch { effectiveSampleSizes.append(effectiveSampleSizeFraction(logWeights: records.map(\.logWeight))) }
        batchStart = start
    }

    func measure(_ measurement: Int, into series: SeriesRecorder) throws {
        let l0 = stored.extents[0], planes = current
        let m = Phi4Measurement(planeSums: Array(planes[0..<l0]), squareSums: Array(planes[l0..<(2 * l0)]),
                                planeActions: Array(planes[(2 * l0)...]), volume: Double(flow.sites))
        Phi4Chain.record(m, deltaH: lastDelta, finite: true, accepted: lastMoved, measurement: measurement, cell: 0, into: series)
    }

    func saveConfigurations(sample: Int) throws {
        let isRoot = communicator.isRoot, buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: isRoot ? currentField.count : 0)
        defer { buffer.deallocate() }
        if isRoot { _ = buffer.initialize(fromContentsOf: currentField) }
        let slabs = isRoot ? [Slab(replica: 0, planes: 0..<stored.extents[0], values: buffer)] : []
        try configurations.write(slabs, sample: sample, communicator: communicator) { _ in 0 }
    }

    func save(into state: CheckpointState) throws {
        try state.put("chain_current", chain.current ?? -1)
        try state.put("chain_log_weight", chain.currentLogWeight)
        try state.put("chain_proposed", chain.proposed)
        try state.put("chain_accepted", chain.accepted)
        try state.put("current", values: current)
        try state.put("current_field", values: currentField)
        try state.put("last_delta", lastDelta)
        try state.put("last_moved", lastMoved ? 1 : 0)
        try state.put("effective_sample_sizes", values: effectiveSampleSizes)
        try state.put("longest_rejection_run", longestRejectionRun)
    }

    func restore(from contents: CheckpointContents, after done: Int, series: SeriesRecorder) throws {
        let index = try contents.integer("chain_current"), proposed = try contents.integer("chain_proposed")
        guard proposed == done, index < done, try contents.integer("chain_accepted") <= proposed else {
            throw JobError(file: contents.path, "holds a chain that is not at proposal \(done)")
        }
        chain = IndependenceMetropolis(seed: job.seed, current: index < 0 ? nil : index, currentLogWeight: try contents.real("chain_log_weight"),
                                       proposed: proposed, accepted: try contents.integer("chain_accepted"))
        current = try contents.values("current", as: Double.self)
        currentField = try contents.values("current_field", as: Double.self)
        lastDelta = try contents.real("last_delta")
        lastMoved = try contents.integer("last_moved") == 1
        effectiveSampleSizes = try contents.values("effective_sample_sizes", as: Double.self)
        longestRejectionRun = try contents.integer("longest_rejection_run")
    }

    func summarize(_ series: SeriesRecorder, root: Group) throws {
        let isRoot = communicator.isRoot
        let results = try Phi4Summary.write(series, points: [stored.couplings], extents: stored.extents, steps: [.nan], stepSizes: [.nan],
                                            root: root, isRoot: isRoot)
        let group = try root.createGroup("flow_sampling")
        try group.setAttribute("acceptance", chain.acceptance)
        try group.setAttribute("model", job.sampling.model)
        try group.setAttribute("longest_rejection_run", Int64(longestRejectionRun))
        // One field held for over 1% of the chain outweighs what the Γ-method sees. An untrained flow
        // on 4 × 4 at κ = 0.25, λ = 0.5 held one for 3.9% of 10⁶ proposals (4.8% of 20000); at 10⁵
        // proposals it was 6σ off HMC by its own error bars, and within 2.4σ only at 10⁶.
        let share = Double(longestRejectionRun) / Double(job.sampling.proposals)
        if share > 0.01, isRoot {
            let percent = String(format: "%.1f", 100 * share)
            context.logger.warning("the chain stayed on one field for \(longestRejectionRun) proposals in a row (\(percent)% of the run): its error bars understate the uncertainty; sample longer, or train the flow longer")
        }
        let ess = try group.createDataset("effective_sample_size", of: Double.self, shape: [effectiveSampleSizes.count])
        try ess.setAttribute("axes", "batch of \(job.batch) proposals; (sum w)^2 / (N sum w^2), w = exp(-S)/q")
        try ess.writeFromRoot(effectiveSampleSizes)
        try Meaning(units: "1", longName: "effective sample size per proposal, per batch").write(to: ess)
        try group.nameAxes(of: ess, ["batch"], root: root)
        if let reference { try compare(with: reference, results, group) }
    }

    /// Writes `/flow_sampling/comparison` and prints it: the flow's results beside the reference's.
    private func compare(with reference: FlowReference, _ results: Phi4Summary.Results, _ group: Group) throws {
        let lines = communicator.isRoot ? reference.comparison(flowSummary: results.rows[0], flowCorrelator: results.correlator[0]) : []
        let table = try Table.create("comparison", in: group, columns: FlowReference.columns)
        try table.dataset.setAttribute("reference", reference.path)
        try table.append(lines.map(\.cells))
        try table.describe(axis: "quantity", in: group, root: context.root)
        guard communicator.isRoot else { return }
        context.logger.info("flow (acceptance \(String(format: "%.3f", chain.acceptance))) beside \(reference.path):")
        for line in lines { context.logger.info("  \(line.text)") }
        let worst = lines.map { abs($0.sigma) }.filter(\.isFinite).max() ?? 0
        context.logger.info(worst <= 4 ? "agreement: every difference within \(String(format: "%.1f", worst))σ"
                                       : "DISAGREEMENT: a difference of \(String(format: "%.1f", worst))σ; train the flow longer or check the couplings")
    }
}
