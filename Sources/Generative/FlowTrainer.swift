import Cluster
import Learning
import Numerics

/// How a flow is trained: the global batch, how it is cut over ranks, the optimiser and its schedule.
public struct FlowTrainingSettings: Sendable, Equatable {
    /// Fields drawn per step over all ranks.
    public var batch: Int
    /// With a value K: the batch is cut into K shards (K a multiple of the ranks) summed in shard
    /// order, so any rank count dividing K trains bit for bit the same. Without: each rank takes
    /// batch/ranks fields and the gradients are summed by one allreduce.
    public var deterministicShards: Int?
    /// The update rule.
    public var optimizer: OptimizerKind
    /// Weight decay (L2 for SGD, decoupled for Adam).
    public var weightDecay: Double
    /// The learning rate by step.
    public var schedule: LearningRateSchedule
    /// The seed of the prior draws.
    public var seed: UInt64

    /// Settings as listed.
    public init(batch: Int, deterministicShards: Int?, optimizer: OptimizerKind, weightDecay: Double = 0,
                schedule: LearningRateSchedule, seed: UInt64) {
        self.batch = batch
        self.deterministicShards = deterministicShards
        self.optimizer = optimizer
        self.weightDecay = weightDecay
        self.schedule = schedule
        self.seed = seed
    }
}

/// What one training step did, over the global batch.
public struct FlowStepResult: Sendable, Equatable {
    /// The mean of log q + S: KL(q‖p) − log Z, which falls as the flow learns.
    public var loss: Double
    /// The effective sample size fraction of the batch's weights, (Σw)²/(N Σw²).
    public var effectiveSampleSize: Double
    /// The learning rate used.
    public var learningRate: Double
}

/// Data-parallel reverse-KL training of a coupling flow. Field k of step t's global batch is drawn
/// from the prior substream (seed, step t, site k) by whichever rank holds it, so ranks only
/// change who computes what; the summed gradient gives every rank the same optimiser step.
public final class FlowTrainer<Scalar: NetworkScalar> {
    /// The flow being trained (its parameters are updated in place).
    public let flow: CouplingFlow<Scalar>
    /// The target.
    public let objective: ReverseKullbackLeibler<Scalar>
    /// The ranks that train together.
    public let communicator: Communicator
    /// Batch, reduction, optimiser and schedule.
    public let settings: FlowTrainingSettings
    /// The optimiser and its state (checkpointed).
    public var optimizer: Optimizer<Scalar>

    /// A trainer of `flow` toward `action`'s distribution. Call `synchronizeParameters()` first.
    public init(flow: CouplingFlow<Scalar>, action: any LatticeAction, settings: FlowTrainingSettings, communicator: Communicator) {
        let ranks = communicator.size
        precondition(settings.deterministicShards.map { $0 % ranks == 0 && settings.batch % $0 == 0 } ?? (settings.batch % ranks == 0),
                     "FlowTrainer: batch \(settings.batch) with \(settings.deterministicShards.map(String.init) ?? "no") shards on \(ranks) ranks")
        self.flow = flow
        self.objective = ReverseKullbackLeibler(action: action)
        self.communicator = communicator
        self.settings = settings
        self.optimizer = Optimizer(kind: settings.optimizer, weightDecay: settings.weightDecay, parameterCount: flow.parameterCount)
    }

    /// Steps taken so far.
    public var stepsTaken: Int { optimizer.stepsTaken }

    /// Copies rank 0's parameters to every rank. Collective.
    public func synchronizeParameters() throws(MPIError) {
        var parameters = flow.parameters
        try parameters.withUnsafeMutableBufferPointer { (p) throws(MPIError) in try communicator.broadcast(p) }
        flow.parameters = parameters
    }

    /// One optimiser step on a fresh global batch. Collective.
    public func step() throws -> FlowStepResult {
        let step = optimizer.stepsTaken, p = flow.parameterCount, ranks = communicator.size, rank = communicator.rank.index
        let shards = settings.deterministicShards ?? ranks, size = settings.batch / shards
        // Shard j (samples j·size ..< (j+1)·size) is computed by rank j mod N.
        let mine = Array(stride(from: rank, to: shards, by: ranks))
        var local = [Scalar](repeating: 0, count: mine.count * p)
        var values = [Double](repeating: 0, count: mine.count)
        var logWeights = [Double](repeating: 0, count: mine.count * size)
        local.withUnsafeMutableBufferPointer { l in
            for (k, j) in mine.enumerated() {
                var prior = [Scalar](repeating: 0, count: size * flow.sites)
                prior.withUnsafeMutableBufferPointer {
                    flow.drawPrior($0, count: size, first: j * size, seed: settings.seed, purpose: .flowTrainingPrior, step: step)
                }
                let outcome = objective.evaluate(flow, prior: prior, batch: size,
                                                 gradient: UnsafeMutableBufferPointer(rebasing: l[(k * p)..<((k + 1) * p)]))
                values[k] = outcome.lossSum
                logWeights.replaceSubrange((k * size)..<((k + 1) * size), with: outcome.logWeights)
            }
        }
        var gradient = [Scalar](repeating: 0, count: p)
        let lossSum: Double
        if settings.deterministicShards == nil {
            gradient = local
            try gradient.withUnsafeMutableBufferPointer { (g) throws(MPIError) in try communicator.allreduce(g, .sum) }
            var total = values
            try communicator.allreduce(&total, .sum)
            lossSum = total[0]
        } else {
            lossSum = try local.withUnsafeBufferPointer { (l) throws(MPIError) in
                try gradient.withUnsafeMutableBufferPointer { (g) throws(MPIError) in
                    try ShardOrderedSum.sum(l, values: values, width: p, into: g, communicator: communicator)
                }
            }[0]
        }
        guard lossSum.isFinite else { throw TrainingError.nonFinite(step: step, quantity: "loss") }
        let scale = 1 / Scalar(settings.batch)
        for i in gradient.indices {
            gradient[i] *= scale
            guard gradient[i].isFinite else { throw TrainingError.nonFinite(step: step, quantity: "gradient") }
        }
        let rate = settings.schedule.rate(atStep: step)
        var parameters = flow.parameters
        parameters.withUnsafeMutableBufferPointer { q in
            gradient.withUnsafeBufferPointer { optimizer.update(parameters: q, gradients: $0, learningRate: rate) }
        }
        flow.parameters = parameters
        // The weights in shard order, so that the ESS too is the same on any number of ranks.
        let gathered = try communicator.allgatherVariable(logWeights)
        var ordered: [Double] = []
        for j in 0..<shards {
            let start = (j / ranks) * size
            ordered += gathered[j % ranks][start..<(start + size)]
        }
        return FlowStepResult(loss: lossSum / Double(settings.batch), effectiveSampleSize: effectiveSampleSizeFraction(logWeights: ordered),
                              learningRate: rate)
    }
}
