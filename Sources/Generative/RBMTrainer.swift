import Cluster
import Learning
import Numerics

/// How an RBM is trained by persistent contrastive divergence.
public struct RBMTrainingSettings: Sendable, Equatable {
    /// Persistent Gibbs chains over all ranks (a multiple of the ranks); chain c lives on rank c mod N.
    public var chains: Int
    /// Block-Gibbs sweeps of every chain per step.
    public var sweeps: Int
    /// Data shards per step (a multiple of the ranks); shard j is given to rank j mod N.
    public var shards: Int
    /// The update rule (applied to the negative log-likelihood).
    public var optimizer: OptimizerKind
    /// The learning rate by step.
    public var schedule: LearningRateSchedule
    /// The seed of the chains' Gibbs draws.
    public var seed: UInt64

    /// Settings as listed.
    public init(chains: Int, sweeps: Int, shards: Int, optimizer: OptimizerKind, schedule: LearningRateSchedule, seed: UInt64) {
        self.chains = chains
        self.sweeps = sweeps
        self.shards = shards
        self.optimizer = optimizer
        self.schedule = schedule
        self.seed = seed
    }
}

/// Data-parallel persistent contrastive divergence for a `GaussianRBM`: the data term from this
/// rank's shards of the batch, the model term from its persistent chains (Gibbs draws keyed by
/// (seed, chain, step)), both summed over ranks in shard and chain order, so any number of ranks
/// dividing the shards and chains trains bit for bit the same.
public final class RBMTrainer {
    /// The machine being trained (set it only to restore a checkpoint, on every rank alike).
    public var machine: GaussianRBM
    /// The ranks that train together.
    public let communicator: Communicator
    /// Chains, sweeps, shards, optimiser.
    public let settings: RBMTrainingSettings
    /// The optimiser and its state.
    public var optimizer: Optimizer<Double>
    /// This rank's chains (φ, h), chain c = rank + k·N at index k.
    public var chainStates: [(phi: [Double], h: [Double])]

    /// A trainer of `machine`; every rank must start from the same machine.
    public init(machine: GaussianRBM, settings: RBMTrainingSettings, communicator: Communicator) {
        let ranks = communicator.size
        precondition(settings.chains % ranks == 0 && settings.shards % ranks == 0,
                     "RBMTrainer: \(settings.chains) chains and \(settings.shards) shards on \(ranks) ranks")
        self.machine = machine
        self.communicator = communicator
        self.settings = settings
        optimizer = Optimizer(kind: settings.optimizer, parameterCount: machine.parameters.count)
        chainStates = Array(repeating: ([Double](repeating: 0, count: machine.visible), [Double](repeating: 0, count: machine.hidden)),
                            count: settings.chains / ranks)
    }

    /// One step on this rank's `shards` of the batch (each `fields × visible`, `fields` per shard,
    /// the same on every rank); returns the global batch's −½⟨Σφ²⟩ gap (data minus model), which
    /// goes to 0 as μ² fits. Collective.
    public func step(_ shards: [[Double]], fieldsPerShard: Int) throws -> Double {
        let step = optimizer.stepsTaken, ranks = communicator.size, rank = communicator.rank.index
        let width = machine.parameters.count
        precondition(shards.count == settings.shards / ranks, "RBMTrainer.step: \(shards.count) shards")
        var data = [Double](), model = [Double]()
        for shard in shards { data += RBMGradient.statistics(machine, fields: shard, count: fieldsPerShard) }
        for k in chainStates.indices {
            var random = RandomStream(seed: settings.seed, purpose: .rbmGibbs, replica: rank + k * ranks, step: step)
            var (phi, h) = chainStates[k]
            for _ in 0..<settings.sweeps { machine.gibbsSweep(&phi, &h, random: &random) }
            chainStates[k] = (phi, h)
            model += RBMGradient.statistics(machine, fields: phi, count: 1)
        }
        func ordered(_ local: [Double]) throws(MPIError) -> [Double] {
            var sum = [Double](repeating: 0, count: width)
            _ = try local.withUnsafeBufferPointer { (l) throws(MPIError) in
                try sum.withUnsafeMutableBufferPointer { (s) throws(MPIError) in
                    try ShardOrderedSum.sum(l, width: width, into: s, communicator: communicator)
                }
            }
            return sum
        }
        let dataSum = try ordered(data), modelSum = try ordered(model)
        let samples = Double(settings.shards * fieldsPerShard), chains = Double(settings.chains)
        // The optimiser descends: the gradient of the negative log-likelihood.
        var descent = (0..<width).map { modelSum[$0] / chains - dataSum[$0] / samples }
        guard descent.allSatisfy(\.isFinite) else { throw TrainingError.nonFinite(step: step, quantity: "gradient") }
        var parameters = machine.parameters
        parameters.withUnsafeMutableBufferPointer { p in
            descent.withUnsafeMutableBufferPointer { optimizer.update(parameters: p, gradients: UnsafeBufferPointer($0), learningRate: settings.schedule.rate(atStep: step)) }
        }
        machine.parameters = parameters
        return -descent[width - 1]
    }
}
