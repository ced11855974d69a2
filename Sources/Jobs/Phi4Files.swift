import Cluster
import Lattice
import Phi4
import Store

/// The scalar series stored per measurement, in this order; the correlator G(t) follows them.
let phi4Series = ["phi2", "magnetization", "abs_magnetization", "magnetization2", "magnetization4", "action_density",
                  "delta_h", "exp_minus_delta_h", "accepted"]

/// The datasets of a φ⁴ run file and the collective writes that fill them.
struct Phi4Files {
    let observables: [Dataset]
    let correlator: Dataset
    let trajectoryIndex: Dataset
    let configurations: Dataset?
    let configurationTrajectory: Dataset?
    let steps: Dataset
    let stepSize: Dataset
    let checkpoint: Group
    let state: Dataset
    let logStepSize: Dataset
    let averageLogStepSize: Dataset
    let tunerUpdates: Dataset
    let slabs: ReplicaSlabs

    init(job: Phi4Job, root: Group, resuming: Bool, communicator: Communicator) throws {
        let extents = job.phi4.extents, points = job.points, replicas = points.count * job.chains
        slabs = ReplicaSlabs(communicator: communicator, extents: extents)
        if resuming {
            let group = try root.openGroup("observables"), parameters = try root.openGroup("parameters")
            observables = try phi4Series.map { try group.openDataset($0) }
            correlator = try group.openDataset("correlator")
            trajectoryIndex = try group.openDataset("trajectory")
            configurations = job.samplesPerChain > 0 ? try root.openDataset("configurations") : nil
            configurationTrajectory = job.samplesPerChain > 0 ? try root.openDataset("configuration_trajectory") : nil
            steps = try parameters.openDataset("steps")
            stepSize = try parameters.openDataset("step_size")
            checkpoint = try root.openGroup("checkpoint")
            state = try checkpoint.openDataset("state")
            logStepSize = try checkpoint.openDataset("log_step_size")
            averageLogStepSize = try checkpoint.openDataset("average_log_step_size")
            tunerUpdates = try checkpoint.openDataset("tuner_updates")
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
        steps = try parameters.createDataset("steps", of: Int64.self, shape: [p, job.chains])
        try steps.setAttribute("axes", "point, chain")
        stepSize = try parameters.createDataset("step_size", of: Double.self, shape: [p, job.chains])
        try stepSize.setAttribute("axes", "point, chain")
        let group = try root.createGroup("observables")
        observables = try phi4Series.map { name in
            let d = try group.createDataset(name, of: Double.self, shape: [p, job.chains, job.measurements])
            try d.setAttribute("axes", "point, chain, measurement")
            return d
        }
        correlator = try group.createDataset("correlator", of: Double.self, shape: [p, job.chains, job.measurements, extents[0]])
        try correlator.setAttribute("axes", "point, chain, measurement, t")
        try correlator.setAttribute("definition", "G(t) = V^-1 sum_tau Phi(tau) Phi(tau + t), Phi(tau) = sum of phi over plane tau of axis 0")
        trajectoryIndex = try group.createDataset("trajectory", of: Int64.self, shape: [job.measurements])
        if job.samplesPerChain > 0 {
            let shape = [p, job.chains * job.samplesPerChain] + extents, chunk = [1, 1] + extents
            let d = job.storesSinglePrecision ? try root.createDataset("configurations", of: Float.self, shape: shape, chunk: chunk)
                                              : try root.createDataset("configurations", of: Double.self, shape: shape, chunk: chunk)
            try d.setAttribute("axes", "point, sample, " + (0..<extents.count).map { "x\($0)" }.joined(separator: ", "))
            try d.setAttribute("field", "hopping-form phi (phi_std = sqrt(2 kappa) phi)")
            try d.setAttribute("sample_order", "chain-major: sample = chain · samples_per_chain + k, saved after trajectory configuration_trajectory[k]")
            configurations = d
            configurationTrajectory = try root.createDataset("configuration_trajectory", of: Int64.self, shape: [job.samplesPerChain])
        } else {
            configurations = nil
            configurationTrajectory = nil
        }
        checkpoint = try root.createGroup("checkpoint")
        state = try checkpoint.createDataset("state", of: Double.self, shape: [replicas] + extents, chunk: [1] + extents)
        logStepSize = try checkpoint.createDataset("log_step_size", of: Double.self, shape: [replicas])
        averageLogStepSize = try checkpoint.createDataset("average_log_step_size", of: Double.self, shape: [replicas])
        tunerUpdates = try checkpoint.createDataset("tuner_updates", of: Int64.self, shape: [replicas])
        try checkpoint.setAttribute("trajectories_done", Int64(0))
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

    /// Writes every replica's field, the tuners, the tuned steps and the trajectory count. Collective.
    func checkpoint(_ simulation: Phi4Simulation, trajectoriesDone: Int) throws {
        try slabs.write(fields(simulation), into: state) { [$0] }
        let tuners = try simulation.allTuners(), isRoot = simulation.communicator.isRoot, n = tuners.count
        try logStepSize.write(isRoot ? tuners.map(\.logStepSize) : [], at: [0], count: [isRoot ? n : 0])
        try averageLogStepSize.write(isRoot ? tuners.map(\.averageLogStepSize) : [], at: [0], count: [isRoot ? n : 0])
        try tunerUpdates.write(isRoot ? tuners.map { Int64($0.updates) } : [], at: [0], count: [isRoot ? n : 0])
        let chains = simulation.parameters.chains, points = simulation.parameters.points.count
        try steps.write(isRoot ? tuners.map { Int64($0.steps) } : [], at: [0, 0], count: isRoot ? [points, chains] : [0, 0])
        try stepSize.write(isRoot ? tuners.map(\.stepSize) : [], at: [0, 0], count: isRoot ? [points, chains] : [0, 0])
        try checkpoint.setAttribute("trajectories_done", Int64(trajectoriesDone))
    }

    /// Reads the checkpoint back into `simulation`; returns the trajectories done. Collective.
    func restore(into simulation: Phi4Simulation) throws -> Int {
        guard case let .integer(done) = try checkpoint.attribute("trajectories_done") else {
            throw StoreError.mismatch("checkpoint/trajectories_done is missing")
        }
        try slabs.read(fields(simulation), from: state) { [$0] }
        let logs = try logStepSize.readAll(Double.self), updates = try tunerUpdates.readAll(Int64.self)
        let averages = try averageLogStepSize.readAll(Double.self), p = simulation.parameters
        simulation.restore(tuners: logs.indices.map {
            StepSizeTuner(trajectoryLength: p.trajectoryLength, target: p.targetAcceptance, logStepSize: logs[$0],
                          updates: Int(updates[$0]), averageLogStepSize: averages[$0])
        })
        return Int(done)
    }
}
