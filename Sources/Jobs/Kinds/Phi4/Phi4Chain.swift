import Cluster
import Foundation
import Logging
import Phi4
import Store

/// The φ⁴ kind's engine adapter: HMC trajectories, measurements and checkpoints of a `Phi4Simulation`.
final class Phi4Chain: MarkovChain {
    /// Consecutive non-finite trajectories of one chain after which the run stops.
    static let nonFiniteLimit = 10
    let job: Phi4Job
    let simulation: Phi4Simulation
    let plan: ChainPlan
    let logger: Logger
    private var configurations: SavedConfigurations
    /// The last trajectory's outcome of each held chain, and how many in a row were not finite.
    private var outcomes: [(replica: Int, outcome: TrajectoryOutcome)] = []
    private var failures: [Int]

    init(job: Phi4Job, context: RunContext) {
        let communicator = context.communicator, extents = job.phi4.extents
        self.job = job
        logger = context.logger
        simulation = Phi4Simulation(parameters: job.parameters, seed: job.seed, communicator: communicator)
        failures = [Int](repeating: 0, count: simulation.chains.count)
        let schedule = ChainSchedule(label: "phi4", unit: "trajectory", thermalization: job.phi4.thermalization, steps: job.phi4.trajectories,
                                     measureEvery: job.measureEvery, saveEvery: job.saveEvery, checkpointEvery: job.checkpointEvery, voteEvery: 1)
        let series = SeriesRecorder(observables: Self.observables(timeExtent: extents[0]), points: job.points.count, chains: job.chains, schedule: schedule,
                                    placement: job.decomposition == .replicas ? .oneRankEach : .everyRank, pointAxis: "point", isRoot: communicator.isRoot)
        plan = ChainPlan(schedule: schedule, series: series, stateVersion: 1)
        configurations = SavedConfigurations(points: job.points.count, chains: job.chains, extents: extents, schedule: schedule, pointAxis: "point")
    }

    var schema: RunSchema {
        RunSchema(parameters: job.runParameters, datasets: configurations.declarations(
            of: job.storesSinglePrecision ? Float.self : Double.self, attributes: [("field", "hopping-form phi (phi_std = sqrt(2 kappa) phi)")]))
    }

    func attach(_ datasets: RunDatasets) { configurations.attach(datasets) }

    func advance(_ step: Int) throws {
        let communicator = simulation.communicator, chains = job.chains, thermalization = plan.schedule.thermalization
        outcomes = try simulation.trajectory(step, tuning: job.tunes && step < thermalization)
        for (slot, o) in outcomes.enumerated() {
            failures[slot] = o.outcome.isFinite ? 0 : failures[slot] + 1
            if !o.outcome.isFinite && (communicator.isRoot || job.decomposition == .replicas) {
                logger.warning("trajectory \(step), point \(o.replica / chains), chain \(o.replica % chains): H is not finite (ΔH = \(o.outcome.deltaH)); rejected")
            }
        }
        if step == thermalization - 1 && job.tunes {
            simulation.freezeTuners()
            let steps = try simulation.allTuners().map(\.steps)
            if communicator.isRoot { logger.info("step size tuned and frozen: \(steps.min()!)…\(steps.max()!) steps per trajectory") }
        }
    }

    func measure(_ measurement: Int, into series: SeriesRecorder) throws {
        for (o, measured) in zip(outcomes, try simulation.measure()) {
            Self.record(measured.measurement, deltaH: o.outcome.deltaH, finite: o.outcome.isFinite, accepted: o.outcome.accepted,
                        measurement: measurement, cell: o.replica, into: series)
        }
    }

    func check(afterStep step: Int) throws {
        if try simulation.communicator.any(failures.contains { $0 >= Self.nonFiniteLimit }) {
            throw ChainDivergence(stepsDone: step + 1, message: "the molecular dynamics gave a non-finite energy in \(Self.nonFiniteLimit) "
                                  + "trajectories in a row; the step size is too large for these couplings (lower trajectory_length or raise steps)")
        }
    }

    /// Each held chain's field.
    private func fields() -> [Slab<Double>] {
        simulation.chains.map { Slab(replica: $0.replica, planes: $0.field.planes, values: $0.field.owned) }
    }

    func saveConfigurations(sample: Int) throws {
        let communicator = simulation.communicator, chains = job.chains
        guard job.storesSinglePrecision else {
            return try configurations.write(fields(), sample: sample, communicator: communicator) { $0 / chains }
        }
        let singles = simulation.chains.map { chain in
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: chain.field.owned.count)
            for (i, x) in chain.field.owned.enumerated() { buffer[i] = Float(x) }
            return Slab(replica: chain.replica, planes: chain.field.planes, values: buffer)
        }
        defer { for s in singles { s.values.deallocate() } }
        try configurations.write(singles, sample: sample, communicator: communicator) { $0 / chains }
    }

    func save(into state: CheckpointState) throws {
        let extents = simulation.parameters.geometry.extents
        try state.put("field", shape: [simulation.parameters.replicaCount] + extents, blocks: fields().map { $0.block(extents: extents) })
        let tuners = try simulation.allTuners()
        try state.put("log_step_size", values: tuners.map(\.logStepSize))
        try state.put("average_log_step_size", values: tuners.map(\.averageLogStepSize))
        try state.put("tuner_updates", values: tuners.map { Int64($0.updates) })
    }

    func restore(from contents: CheckpointContents, after done: Int, series: SeriesRecorder) throws {
        let p = simulation.parameters, extents = p.geometry.extents, n = p.replicaCount
        guard try contents.shape("field") == [n] + extents else {
            throw JobError(file: contents.path, "holds fields of another lattice or number of replicas")
        }
        let slabs = fields()
        try contents.read("field", into: slabs.map { $0.mutableBlock(extents: extents) }, communicator: simulation.communicator)
        let logs = try contents.values("log_step_size", as: Double.self, count: n)
        let averages = try contents.values("average_log_step_size", as: Double.self, count: n)
        let updates = try contents.values("tuner_updates", as: Int64.self, count: n)
        let finite = try simulation.communicator.all(slabs.allSatisfy { $0.values.allSatisfy(\.isFinite) })
        guard finite, logs.allSatisfy(\.isFinite), averages.allSatisfy(\.isFinite), updates.allSatisfy({ $0 >= 0 }) else {
            throw JobError(file: contents.path, "holds a field or step size that is not finite")
        }
        simulation.restore(tuners: (0..<n).map {
            StepSizeTuner(trajectoryLength: p.trajectoryLength, target: p.targetAcceptance, logStepSize: logs[$0],
                          updates: Int(updates[$0]), averageLogStepSize: averages[$0])
        })
    }

    func summarize(_ series: SeriesRecorder, root: Group) throws {
        let tuners = try simulation.allTuners(), isRoot = simulation.communicator.isRoot
        let points = job.points.count, chains = job.chains
        // The tuned steps are made at the end (a dataset of the run file is written once).
        let parameters = try root.openGroup("parameters")
        let steps = try parameters.createDataset("steps", of: Int64.self, shape: [points, chains])
        try steps.setAttribute("axes", "point, chain")
        try Meaning(units: "1", longName: "molecular-dynamics steps per trajectory, as tuned").write(to: steps)
        try steps.writeFromRoot(tuners.map { Int64($0.steps) })
        try parameters.nameAxes(of: steps, ["point", "chain"], root: root)
        let stepSize = try parameters.createDataset("step_size", of: Double.self, shape: [points, chains])
        try stepSize.setAttribute("axes", "point, chain")
        try Meaning(units: "1", longName: "molecular-dynamics step size, as tuned").write(to: stepSize)
        try stepSize.writeFromRoot(tuners.map(\.stepSize))
        try parameters.nameAxes(of: stepSize, ["point", "chain"], root: root)
        try Phi4Summary.write(series, points: job.points, extents: job.phi4.extents, steps: tuners.map { Double($0.steps) },
                              stepSizes: tuners.map(\.stepSize), root: root, isRoot: isRoot)
    }
}

extension Phi4Job: ChainJob {
    func chain(_ context: RunContext) -> Phi4Chain { Phi4Chain(job: self, context: context) }
}
