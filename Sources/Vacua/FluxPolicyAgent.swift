// Reinforcement learning in flux space: an actor-critic agent (A2C) whose episodes step through
// genomes by ±1 on one flux quantum per action. It is rewarded for each vacuum it is the first to
// find (much more for one in the target set) and penalised for leaving the tadpole window
// 0 < N_flux ≤ L. Every rank runs its own episodes; the policy-gradient and value losses go through
// `Learning`'s DataParallelTrainer, so the gradients are averaged over all ranks' actors and every
// rank keeps the same policy.
//
// Status: with 20 000 evaluations at L = 10 and 20 it finds 4 target vacua where uniform random
// search over [−L, L]⁸ finds none, but an untrained copy (learning rate ~0) walking from the same
// in-window starts finds 6: the gain comes from the local walk, and the policy updates do not yet
// improve on it at this budget. Reward shaping and longer training are the next steps.

import Cluster
import Learning
import Numerics
#if canImport(Glibc)
import Glibc
#endif

extension RandomStream.Purpose {
    /// RL actions and start genomes: replica = rank, step = update.
    public static let vacuaPolicy = RandomStream.Purpose(rawValue: 130)
}

/// How the agent learns.
public struct PolicySettings: Sendable, Equatable {
    /// Episodes per rank per update, run side by side as one batch.
    public var episodes: Int
    /// Actions per episode.
    public var steps: Int
    /// Discount of future rewards.
    public var discount: Double
    public var learningRate: Double
    /// Weight of the entropy bonus (keeps the policy exploring).
    public var entropy: Double
    /// Weight of the value loss.
    public var valueWeight: Double
    /// Hidden units of the two tanh layers.
    public var hidden: Int

    /// Settings with every field given.
    public init(episodes: Int, steps: Int, discount: Double, learningRate: Double, entropy: Double, valueWeight: Double, hidden: Int) {
        self.episodes = episodes
        self.steps = steps
        self.discount = discount
        self.learningRate = learningRate
        self.entropy = entropy
        self.valueWeight = valueWeight
        self.hidden = hidden
    }
}

/// The A2C agent on one rank; `run` is collective.
public struct FluxPolicyAgent {
    public let target: VacuumTarget
    public let settings: PolicySettings
    public let seed: UInt64
    public let communicator: Communicator

    /// 16 actions: flux k up (2k) or down (2k + 1); one more output is the state's value.
    static let actions = 16

    public init(target: VacuumTarget, settings: PolicySettings, seed: UInt64, communicator: Communicator) {
        self.target = target
        self.settings = settings
        self.seed = seed
        self.communicator = communicator
    }

    /// The state a network sees: the quanta and N_flux scaled by L.
    func features(_ g: FluxGenome) -> [Double] {
        let l = Double(target.fluxLimit)
        return g.quanta.map { Double($0) / l } + [Double(g.fluxNumber) / l]
    }

    /// Runs updates until about `evaluations` genomes are evaluated on this rank. Collective.
    public func run(evaluations budget: Int) throws -> LandscapeEvaluator {
        let e = settings.episodes, t = settings.steps, h = settings.hidden
        let specs = try ["dense units=\(h) init=glorot", "tanh", "dense units=\(h) init=glorot", "tanh",
                         "dense units=\(Self.actions + 1) init=glorot"].map { try LayerSpecification(parsing: $0) }
        let network = try Network<Double>(inputShape: [9], specifications: specs)
        network.initializeParameters(seed: seed)
        let schedule = LearningRateSchedule(base: settings.learningRate, warmupSteps: 0, totalSteps: 1, minimum: settings.learningRate, cosine: false)
        let trainer = DataParallelTrainer(network: network, settings: TrainingSettings(
            loss: .meanSquaredError, optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8), weightDecay: 0,
            schedule: schedule, bucketBytes: 1 << 16, deterministicShards: nil, seed: seed), communicator: communicator)
        trainer.objective = objective
        try trainer.synchronizeParameters()
        var evaluator = LandscapeEvaluator(target: target)
        let updates = max(1, budget / (e * t))
        let l = target.fluxLimit
        var outputs = [Double](repeating: 0, count: e * (Self.actions + 1))
        for update in 0..<updates {
            var random = RandomStream(seed: seed, purpose: .vacuaPolicy, replica: communicator.rank.index, step: update)
            // Start genomes inside the window, drawn from a box of half-width L/2.
            var genomes = (0..<e).map { _ -> FluxGenome in
                for _ in 0..<10_000 {
                    let g = FluxGenome((0..<8).map { _ in random.integer(below: l + 1) - l / 2 })
                    if g.fluxNumber > 0 && g.fluxNumber <= l { return g }
                }
                return FluxGenome([1, 1, 0, 0, 0, 0, -1, -1])
            }
            var states: [[Double]] = [], actions: [Int] = [], rewards = [[Double]](repeating: [], count: e)
            for _ in 0..<t {
                let x = genomes.flatMap(features)
                x.withUnsafeBufferPointer { xb in
                    outputs.withUnsafeMutableBufferPointer { network.forward(xb, batch: e, pass: .inference(batch: e), output: $0) }
                }
                for k in 0..<e {
                    let logits = outputs[(k * (Self.actions + 1))..<(k * (Self.actions + 1) + Self.actions)]
                    let p = Self.softmax(Array(logits))
                    var u = random.uniform(), a = Self.actions - 1
                    for (i, pi) in p.enumerated() { u -= pi; if u <= 0 { a = i; break } }
                    states.append(features(genomes[k]))
                    actions.append(a)
                    var q = genomes[k].quanta
                    q[a / 2] = min(l, max(-l, q[a / 2] + (a % 2 == 0 ? 1 : -1)))
                    let next = FluxGenome(q)
                    let (found, hits) = (evaluator.discoveries.count, evaluator.targetCount)
                    _ = evaluator.evaluate(next, width: 1)
                    let n = next.fluxNumber
                    rewards[k].append(Double(evaluator.targetCount - hits) + 0.1 * Double(evaluator.discoveries.count - found - (evaluator.targetCount - hits))
                                      - (n > 0 && n <= l ? 0 : 0.2))
                    genomes[k] = next
                }
            }
            // Discounted returns, laid out as the states were (step-major, episode-minor).
            var returns = [Double](repeating: 0, count: e * t)
            for k in 0..<e {
                var g = 0.0
                for s in stride(from: t - 1, through: 0, by: -1) {
                    g = rewards[k][s] + settings.discount * g
                    returns[s * e + k] = g
                }
            }
            let batch = LocalBatch<Double>(inputs: states.flatMap { $0 },
                                           targets: (0..<(e * t)).flatMap { [Double(actions[$0]), returns[$0]] },
                                           sampleIDs: Array(0..<(e * t)))
            _ = try trainer.step([batch], globalBatch: e * t * communicator.size)
        }
        return evaluator
    }

    /// −A log π(a) + c_v (V − G)² − β H(π) per sample, with A = G − V (V held fixed in A);
    /// targets are (action, return) per sample.
    public var objective: DataParallelTrainer<Double>.Objective {
        let width = Self.actions + 1, beta = settings.entropy, cv = settings.valueWeight
        return { outputs, targets, batch, gradient in
            var total = 0.0
            for n in 0..<batch {
                let base = n * width
                let p = Self.softmax(Array(outputs[base..<(base + Self.actions)]))
                let a = Int(targets[2 * n]), g = targets[2 * n + 1], v = outputs[base + Self.actions]
                let advantage = g - v
                var entropy = 0.0
                for pi in p where pi > 0 { entropy -= pi * log(pi) }
                total += -advantage * log(max(p[a], 1e-300)) + cv * (v - g) * (v - g) - beta * entropy
                for i in 0..<Self.actions {
                    let logP = log(max(p[i], 1e-300))
                    gradient[base + i] = advantage * (p[i] - (i == a ? 1 : 0)) + beta * p[i] * (logP + entropy)
                }
                gradient[base + Self.actions] = 2 * cv * (v - g)
            }
            return total
        }
    }

    static func softmax(_ z: [Double]) -> [Double] {
        let m = z.max() ?? 0
        let e = z.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }
}
