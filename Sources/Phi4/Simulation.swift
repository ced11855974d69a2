import Cluster
import Lattice

/// What a φ⁴ HMC run simulates: the lattice, the (κ, λ) points, the chains and the trajectories.
public struct Phi4Parameters: Sendable {
    /// The lattice.
    public var geometry: Geometry
    /// The points of the scan, in the hopping form.
    public var points: [Phi4Couplings]
    /// Independent chains per point.
    public var chains: Int
    /// The molecular-dynamics integrator (leapfrog or Omelyan).
    public var integrator: Integrator
    /// The trajectory length τ.
    public var trajectoryLength: Double
    /// Steps per trajectory at the start (the tuner may change it during thermalisation).
    public var steps: Int
    /// The acceptance the step-size tuner aims at.
    public var targetAcceptance: Double
    /// Whole lattices over the ranks (`.replicas`) or each lattice in slabs (`.domain`).
    public var decomposition: Decomposition
    /// The first configuration: hot (random) or cold.
    public var start: Phi4Start
    /// Trajectories between embedded-cluster updates (whole lattices only); nil for none.
    public var clusterEvery: Int?
    /// The mass m² of Fourier acceleration, or nil for plain HMC; only with `.replicas`.
    public var fourierMass: Double?

    /// The parameters as listed; Fourier acceleration and cluster updates are off by default.
    public init(geometry: Geometry, points: [Phi4Couplings], chains: Int, integrator: Integrator, trajectoryLength: Double,
                steps: Int, targetAcceptance: Double, decomposition: Decomposition, start: Phi4Start = .hot,
                fourierMass: Double? = nil, clusterEvery: Int? = nil) {
        self.geometry = geometry
        self.points = points
        self.chains = chains
        self.integrator = integrator
        self.trajectoryLength = trajectoryLength
        self.steps = steps
        self.targetAcceptance = targetAcceptance
        self.decomposition = decomposition
        self.start = start
        self.clusterEvery = clusterEvery
        self.fourierMass = fourierMass
    }

    /// All replicas: replica r runs point r / chains as chain r % chains.
    public var replicaCount: Int { points.count * chains }
}

/// The HMC chains this rank holds, each with its own step-size tuner.
public final class Phi4Simulation {
    /// What is simulated.
    public let parameters: Phi4Parameters
    /// The root of every random number.
    public let seed: UInt64
    /// The ranks that share the chains.
    public let communicator: Communicator
    /// The replicas this rank holds (all of them in domain mode, each as a slab).
    public let replicas: Range<Int>
    /// Each held replica's chain, in `replicas` order.
    public let chains: [HybridMonteCarlo]
    /// Each held replica's tuner, in `replicas` order.
    public private(set) var tuners: [StepSizeTuner]
    /// The embedded-cluster update of each point, when the run uses them.
    private let clusters: [EmbeddedClusters]

    /// Sets up the chains from their starts. Collective.
    public init(parameters: Phi4Parameters, seed: UInt64, communicator: Communicator) {
        self.parameters = parameters
        self.seed = seed
        self.communicator = communicator
        let geometry = parameters.geometry
        let layout = parameters.decomposition.layout(replicaCount: parameters.replicaCount, geometry: geometry, communicator: communicator)
        let (slabs, part) = (layout.slabs, layout.part)
        replicas = layout.replicas
        let actions = parameters.points.map { Phi4Action(geometry: geometry, couplings: $0) }
        // One accelerator serves every chain: they run one after another and it keeps no state between calls.
        let accelerator = parameters.fourierMass.map { FourierAccelerator(geometry: geometry, mass: $0) }
        chains = replicas.map { r in
            HybridMonteCarlo(action: actions[r / parameters.chains], decomposition: slabs, part: part, replica: r, seed: seed,
                             communicator: communicator, start: parameters.start, accelerator: accelerator)
        }
        precondition(parameters.clusterEvery == nil || parameters.decomposition == .replicas, "cluster updates need whole lattices")
        clusters = parameters.clusterEvery == nil ? [] : parameters.points.map {
            EmbeddedClusters(geometry: geometry, kappa: $0.kappa, seed: seed)
        }
        tuners = replicas.map { _ in
            StepSizeTuner(trajectoryLength: parameters.trajectoryLength, steps: parameters.steps, target: parameters.targetAcceptance)
        }
    }

    /// Trajectory `index` of every held chain, followed by an embedded-cluster update when one is
    /// due; while `tuning`, each tuner learns from its ΔH.
    /// Collective. Returns (replica, outcome) for the held replicas.
    public func trajectory(_ index: Int, tuning: Bool) throws(MPIError) -> [(replica: Int, outcome: TrajectoryOutcome)] {
        var outcomes: [(Int, TrajectoryOutcome)] = []
        for (slot, chain) in chains.enumerated() {
            let tuner = tuners[slot]
            let outcome = try chain.trajectory(index, integrator: parameters.integrator, steps: tuner.steps, stepSize: tuner.stepSize)
            if tuning { tuners[slot].record(deltaH: outcome.deltaH) }
            if let every = parameters.clusterEvery, (index + 1) % every == 0 {
                clusters[chain.replica / parameters.chains].update(chain.field.owned, replica: chain.replica, update: index)
            }
            outcomes.append((chain.replica, outcome))
        }
        return outcomes
    }

    /// Ends tuning: every held tuner settles on its averaged step size.
    public func freezeTuners() {
        for slot in tuners.indices { tuners[slot].freeze() }
    }

    /// Measures every held chain. Collective.
    public func measure() throws(MPIError) -> [(replica: Int, measurement: Phi4Measurement)] {
        var result: [(Int, Phi4Measurement)] = []
        for chain in chains { result.append((chain.replica, try chain.measure())) }
        return result
    }

    /// The tuners of all replicas, on every rank, in replica order. Collective.
    public func allTuners() throws(MPIError) -> [StepSizeTuner] {
        var logs = [Double](repeating: 0, count: parameters.replicaCount)
        var averages = logs
        var counts = [Int64](repeating: 0, count: parameters.replicaCount)
        for (slot, r) in replicas.enumerated() {
            logs[r] = tuners[slot].logStepSize
            averages[r] = tuners[slot].averageLogStepSize
            counts[r] = Int64(tuners[slot].updates)
        }
        // Each replica lives on exactly one rank, so the sums assemble the arrays exactly.
        if parameters.decomposition == .replicas {
            try communicator.allreduce(&logs, .sum)
            try communicator.allreduce(&averages, .sum)
            try communicator.allreduce(&counts, .sum)
        }
        return (0..<parameters.replicaCount).map {
            StepSizeTuner(trajectoryLength: parameters.trajectoryLength, target: parameters.targetAcceptance,
                          logStepSize: logs[$0], updates: Int(counts[$0]), averageLogStepSize: averages[$0])
        }
    }

    /// Restores the held replicas' tuners from the tuners of all replicas.
    public func restore(tuners all: [StepSizeTuner]) {
        precondition(all.count == parameters.replicaCount)
        tuners = replicas.map { all[$0] }
    }
}
