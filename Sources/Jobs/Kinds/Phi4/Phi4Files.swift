import Cluster
import Lattice
import Phi4
import Store

/// The scalar series stored per measurement, in this order; the correlator G(t) follows them.
let phi4Series = ["phi2", "magnetization", "abs_magnetization", "magnetization2", "magnetization4", "action_density",
                  "delta_h", "exp_minus_delta_h", "accepted"]

/// The datasets of a φ⁴ run file and the collective writes that fill them.
struct Phi4Files {
    let observables: [TrackedDataset]
    let correlator: TrackedDataset
    let trajectoryIndex: TrackedDataset
    let configurations: TrackedDataset?
    let configurationTrajectory: TrackedDataset?
    let parameters: Group
    let slabs: ReplicaSlabs

    /// The version of the checkpoint state `checkpoint(_:into:)` writes.
    static let stateVersion = 1

    init(job: Phi4Job, root: Group, ledger: PartialLedger, resuming: Bool, communicator: Communicator) throws {
        let extents = job.phi4.extents, points = job.points
        slabs = ReplicaSlabs(communicator: communicator, extents: extents)
        if resuming {
            let group = try root.openGroup("observables"), parameters = try root.openGroup("parameters")
            observables = try phi4Series.map { try ledger.track(try group.openDataset($0), path: "observables/" + $0, axis: 2) }
            correlator = try ledger.track(try group.openDataset("correlator"), path: "observables/correlator", axis: 2)
            trajectoryIndex = try ledger.track(try group.openDataset("trajectory"), path: "observables/trajectory", axis: 0)
            configurations = job.samplesPerChain > 0
                ? try ledger.track(try root.openDataset("configurations"), path: "configurations", axis: 1, period: job.samplesPerChain) : nil
            configurationTrajectory = job.samplesPerChain > 0
                ? try ledger.track(try root.openDataset("configuration_trajectory"), path: "configuration_trajectory", axis: 0) : nil
            self.parameters = parameters
            return
        }
        let p = points.count, d = extents.count
        let parameters = try root.createGroup("parameters")
        try parameters.createDataset("kappa", of: Double.self, shape: [p]).writeFromRoot(points.map(\.kappa))
        try parameters.createDataset("lambda", of: Double.self, shape: [p]).writeFromRoot(points.map(\.lambda))
        let standard = points.map { $0.standard(dimension: d) }
        try parameters.createDataset("mass_squared", of: Double.self, shape: [p]).writeFromRoot(standard.map(\.massSquared))
        try parameters.createDataset("coupling", of: Double.self, shape: [p]).writeFromRoot(standard.map(\.quartic))
        try parameters.setAttribute("form_given", job.isStandardForm ? "standard" : "hopping")
        try parameters.setAttribute("hopping_action", "S = sum_x [ -2 kappa sum_mu phi_x phi_{x+mu} + phi_x^2 + lambda (phi_x^2 - 1)^2 ]")
        try parameters.setAttribute("standard_action", "S = sum_x [ 1/2 sum_mu (phi_{x+mu} - phi_x)^2 + 1/2 m0^2 phi_x^2 + g/4! phi_x^4 ], phi_std = sqrt(2 kappa) phi")
        try parameters.setAttribute("extents", extents.map(Int64.init))
        try parameters.setAttribute("chains", Int64(job.chains))
        try parameters.setAttribute("integrator", job.integrator.rawValue)
        try parameters.setAttribute("trajectory_length", job.trajectoryLength)
        try parameters.setAttribute("initial_steps", Int64(job.phi4.steps))
        try parameters.setAttribute("target_acceptance", job.targetAcceptance)
        try parameters.setAttribute("tuned", job.tunes)
        try parameters.setAttribute("decomposition", job.decomposition.rawValue)
        try parameters.setAttribute("start", job.start.rawValue)
        try parameters.setAttribute("cluster_every", Int64(job.phi4.clusterEvery ?? 0))
        try parameters.setAttribute("fourier_acceleration", job.fourierAccelerated)
        try parameters.setAttribute("fourier_mass", job.fourierMass)
        try parameters.setAttribute("thermalization", Int64(job.phi4.thermalization))
        try parameters.setAttribute("trajectories", Int64(job.phi4.trajectories))
        try parameters.setAttribute("measure_every", Int64(job.measureEvery))
        try parameters.setAttribute("save_every", Int64(job.saveEvery))
        self.parameters = parameters
        let group = try root.createGroup("observables")
        observables = try phi4Series.map { name in
            let d = try group.createDataset(name, of: Double.self, shape: [p, job.chains, job.measurements])
            try d.setAttribute("axes", "point, chain, measurement")
            return try ledger.track(d, path: "observables/" + name, axis: 2)
        }
        let g = try group.createDataset("correlator", of: Double.self, shape: [p, job.chains, job.measurements, extents[0]])
        try g.setAttribute("axes", "point, chain, measurement, t")
        try g.setAttribute("definition", "G(t) = V^-1 sum_tau Phi(tau) Phi(tau + t), Phi(tau) = sum of phi over plane tau of axis 0")
        correlator = try ledger.track(g, path: "observables/correlator", axis: 2)
        trajectoryIndex = try ledger.track(try group.createDataset("trajectory", of: Int64.self, shape: [job.measurements]),
                                           path: "observables/trajectory", axis: 0)
        if job.samplesPerChain > 0 {
            let shape = [p, job.chains * job.samplesPerChain] + extents, chunk = [1, 1] + extents
            let d = job.storesSinglePrecision ? try root.createDataset("configurations", of: Float.self, shape: shape, chunk: chunk)
                                              : try root.createDataset("configurations", of: Double.self, shape: shape, chunk: chunk)
            try d.setAttribute("axes", "point, sample, " + (0..<extents.count).map { "x\($0)" }.joined(separator: ", "))
            try d.setAttribute("field", "hopping-form phi (phi_std = sqrt(2 kappa) phi)")
            try d.setAttribute("sample_order", "chain-major: sample = chain · samples_per_chain + k, saved after trajectory configuration_trajectory[k]")
            configurations = try ledger.track(d, path: "configurations", axis: 1, period: job.samplesPerChain)
            configurationTrajectory = try ledger.track(try root.createDataset("configuration_trajectory", of: Int64.self, shape: [job.samplesPerChain]),
                                                       path: "configuration_trajectory", axis: 0)
        } else {
            configurations = nil
            configurationTrajectory = nil
        }
    }

    private func fields(_ simulation: Phi4Simulation) -> [Slab<Double>] {
        simulation.chains.map { Slab(replica: $0.replica, planes: $0.field.planes, values: $0.field.owned) }
    }

    /// Saves every replica's configuration as sample `sample` of its chain. Collective.
    func saveConfigurations(_ simulation: Phi4Simulation, sample: Int, job: Phi4Job) throws {
        guard let configurations, let configurationTrajectory else { return }
        let leading = { (replica: Int) in [replica / job.chains, (replica % job.chains) * job.samplesPerChain + sample] }
        if job.storesSinglePrecision {
            let singles = simulation.chains.map { chain in
                let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: chain.field.owned.count)
                for (i, x) in chain.field.owned.enumerated() { buffer[i] = Float(x) }
                return Slab(replica: chain.replica, planes: chain.field.planes, values: buffer)
            }
            defer { for s in singles { s.values.deallocate() } }
            try slabs.write(singles, into: configurations, leading: leading)
        } else {
            try slabs.write(fields(simulation), into: configurations, leading: leading)
        }
        let isRoot = simulation.communicator.isRoot
        try configurationTrajectory.write(isRoot ? [Int64(job.phi4.thermalization + (sample + 1) * job.saveEvery)] : [],
                                          at: [sample], count: [isRoot ? 1 : 0])
    }

    /// Puts every replica's field and every tuner into a checkpoint. Collective.
    func checkpoint(_ simulation: Phi4Simulation, into state: CheckpointState) throws {
        let extents = simulation.parameters.geometry.extents
        try state.put("field", shape: [simulation.parameters.replicaCount] + extents,
                      blocks: fields(simulation).map { $0.block(extents: extents) })
        let tuners = try simulation.allTuners()
        try state.put("log_step_size", values: tuners.map(\.logStepSize))
        try state.put("average_log_step_size", values: tuners.map(\.averageLogStepSize))
        try state.put("tuner_updates", values: tuners.map { Int64($0.updates) })
    }

    /// Restores `simulation` from a verified checkpoint. Collective.
    func restore(into simulation: Phi4Simulation, from contents: CheckpointContents) throws {
        let p = simulation.parameters, extents = p.geometry.extents, n = p.replicaCount
        guard try contents.shape("field") == [n] + extents else {
            throw JobError(file: contents.path, "holds fields of another lattice or number of replicas")
        }
        let slabs = fields(simulation)
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

    /// Writes the tuned number of steps and step size of every chain, made at the end of the run
    /// (a dataset of the run file is written once: the ledger records it when first seen). Collective.
    func writeSteps(_ tuners: [StepSizeTuner], points: Int, chains: Int) throws {
        let steps = try parameters.createDataset("steps", of: Int64.self, shape: [points, chains])
        try steps.setAttribute("axes", "point, chain")
        try steps.writeFromRoot(tuners.map { Int64($0.steps) })
        let stepSize = try parameters.createDataset("step_size", of: Double.self, shape: [points, chains])
        try stepSize.setAttribute("axes", "point, chain")
        try stepSize.writeFromRoot(tuners.map(\.stepSize))
    }
}
