import Cluster
import Foundation
import Lattice
import Numerics
import Phi4
import Store

extension Phi4Job {
    /// Consecutive non-finite trajectories of one chain after which the run stops.
    static let nonFiniteLimit = 10

    public var recordsIncrementally: Bool { true }

    public func execute(_ context: RunContext) throws -> RunOutcome {
        let communicator = context.communicator, root = context.root
        let simulation = Phi4Simulation(parameters: parameters, seed: seed, communicator: communicator)
        let total = phi4.thermalization + phi4.trajectories
        let files = try Phi4Files(job: self, root: root, ledger: context.ledger, resuming: context.resuming, communicator: communicator)
        var store = Phi4SeriesStore(job: self)
        var done = 0
        if let resumed = context.resumed {
            try resumed.requireVersion(Phi4Files.stateVersion)
            done = resumed.header.step
            try files.restore(into: simulation, from: resumed.contents)
            try store.restore(measured: max(0, done - phi4.thermalization) / measureEvery, files: files, job: self)
            context.logger.info("resuming at trajectory \(done) of \(total)")
        }
        var failures = [Int](repeating: 0, count: simulation.chains.count)
        var pending: [(index: Int, records: [Phi4Record])] = []
        let loop = ChainLoop(context: context, label: "phi4", unit: "trajectory", total: total, checkpointEvery: checkpointEvery,
                             voteEvery: 1, stateVersion: Phi4Files.stateVersion)
        let outcome = try loop.run(from: done, advance: { range in
            for t in range {
                let outcomes = try simulation.trajectory(t, tuning: tunes && t < phi4.thermalization)
                for (slot, o) in outcomes.enumerated() {
                    failures[slot] = o.outcome.isFinite ? 0 : failures[slot] + 1
                    if !o.outcome.isFinite && (communicator.isRoot || decomposition == .replicas) {
                        context.logger.warning("trajectory \(t), point \(o.replica / chains), chain \(o.replica % chains): H is not finite (ΔH = \(o.outcome.deltaH)); rejected")
                    }
                }
                if t == phi4.thermalization - 1 && tunes {
                    simulation.freezeTuners()
                    let steps = try simulation.allTuners().map(\.steps)
                    if communicator.isRoot { context.logger.info("step size tuned and frozen: \(steps.min()!)…\(steps.max()!) steps per trajectory") }
                }
                let measured = t + 1 - phi4.thermalization
                if measured > 0 && measured % measureEvery == 0 {
                    let measurements = try simulation.measure()
                    pending.append((measured / measureEvery - 1, zip(outcomes, measurements).map {
                        Phi4Record(replica: $0.0.replica, outcome: $0.0.outcome, measurement: $0.1.measurement)
                    }))
                }
                if measured > 0 && saveEvery > 0 && measured % saveEvery == 0 {
                    try files.saveConfigurations(simulation, sample: measured / saveEvery - 1, job: self)
                    FaultInjection.reach("chain.saved", rank: communicator.rank.index)
                }
                if try communicator.any(failures.contains { $0 >= Self.nonFiniteLimit }) {
                    throw ChainDivergence(stepsDone: t + 1, message: "the molecular dynamics gave a non-finite energy in \(Self.nonFiniteLimit) "
                                          + "trajectories in a row; the step size is too large for these couplings (lower trajectory_length or raise steps)")
                }
            }
        }, record: {
            try store.record(pending, files: files, job: self, communicator: communicator)
            pending.removeAll()
        }, save: { state in
            try files.checkpoint(simulation, into: state)
        })
        guard outcome == .completed else { return outcome }
        try writeSummary(store, simulation: simulation, files: files, root: root, communicator: communicator)
        return .completed
    }

    /// The summary table and the per-point correlator and effective mass, from rank 0. Collective.
    private func writeSummary(_ store: Phi4SeriesStore, simulation: Phi4Simulation, files: Phi4Files, root: Group,
                              communicator: Communicator) throws {
        let tuners = try simulation.allTuners()
        let isRoot = communicator.isRoot
        try files.writeSteps(tuners, points: points.count, chains: chains)
        let summary = isRoot ? Phi4Summary.rows(store, job: self, tuners: tuners) : Phi4Summary.Results()
        let table = try Table.create("summary", in: root, columns: Phi4Summary.columns)
        try table.append(summary.rows)
        let analysis = try root.createGroup("analysis"), p = points.count, l0 = phi4.extents[0]
        let g = try analysis.createDataset("correlator", of: Double.self, shape: [p, l0, 2])
        try g.setAttribute("axes", "point, t, (mean, error)")
        try g.write(summary.correlator.flatMap { $0 }, at: [0, 0, 0], count: isRoot ? [p, l0, 2] : [0, 0, 0])
        let m = try analysis.createDataset("effective_mass", of: Double.self, shape: [p, max(0, l0 / 2 - 1), 2])
        try m.setAttribute("axes", "point, t - 1, (mean, error); m_eff(t) = arccosh((G(t-1) + G(t+1)) / 2G(t)), NaN where undefined")
        try m.write(summary.effectiveMass.flatMap { $0 }, at: [0, 0, 0], count: isRoot ? [p, max(0, l0 / 2 - 1), 2] : [0, 0, 0])
    }
}
