import Cluster
import Generative
import Learning
import Numerics
import Phi4

/// `ensemble bench flow`: reverse-KL training steps of the coupling flow of Albergo et al.'s
/// tutorial (arXiv 2101.08176: L = 8, 16 affine couplings, hidden convolutions of 8 and 8
/// channels, kernel 3, batch 64) toward φ⁴ at their couplings m² = −4, λ = 8, i.e. the hopping
/// form κ = ¼, λ = ½ (REFERENCE.md), exactly as Benchmarks/peers/flow_torch.py trains it in PyTorch.
public enum FlowBenchmark {
    /// One measurement.
    public struct Figure: BenchmarkResult {
        /// The ranks, fields per rank per step, lattice side, couplings and steps timed.
        public var ranks: Int, batchPerRank: Int, extent: Int, couplings: Int, steps: Int
        /// `float32` or `float64`.
        public var precision: String
        /// Wall time of the timed steps (slowest rank).
        public var seconds: Double
        /// The last step's loss (KL − log Z) and effective sample size, to see that it trains.
        public var finalLoss: Double, finalEffectiveSampleSize: Double

        /// Fields drawn, pushed through the flow and back-propagated per second over all ranks.
        public var fieldsPerSecond: Double { Double(steps * batchPerRank * ranks) / seconds }

        /// The figure as the JSON-lines record the benchmark driver reads.
        public var record: BenchmarkRecord {
            BenchmarkRecord(benchmark: "flow", ranks: ranks,
                            parameters: ["batch_per_rank": .count(batchPerRank), "global_batch": .count(batchPerRank * ranks),
                                         "L": .count(extent), "couplings": .count(couplings), "precision": .word(precision),
                                         "steps": .count(steps), "threads_per_rank": .count(BLAS.threads)],
                            figures: ["seconds": seconds, "fields_per_s": fieldsPerSecond,
                                      "fields_per_s_per_rank": fieldsPerSecond / Double(ranks), "final_loss": finalLoss,
                                      "final_ess": finalEffectiveSampleSize])
        }

        /// The figure as one line for a person.
        public var text: String {
            "flow \(extent)×\(extent), \(couplings) couplings, \(ranks) rank(s) × batch \(batchPerRank), \(precision): "
                + "\(Int(fieldsPerSecond.rounded())) fields/s; last loss \(finalLoss), ESS \(finalEffectiveSampleSize)"
        }
    }

    /// Times `steps` training steps after `warmup`. Collective.
    public static func run<Scalar: NetworkScalar>(_: Scalar.Type, extent: Int, couplings: Int, batchPerRank: Int, steps: Int,
                                                  warmup: Int, communicator: Communicator) throws -> Figure {
        let flow = try CouplingFlow<Scalar>(extents: [extent, extent], architecture: FlowArchitecture(couplings: couplings, hidden: [8, 8], kernel: 3))
        flow.initializeParameters(seed: 1, identity: true)
        let target = Phi4Target(extents: [extent, extent], couplings: Phi4Couplings(kappa: 0.25, lambda: 0.5))
        let settings = FlowTrainingSettings(batch: batchPerRank * communicator.size, deterministicShards: nil,
                                            optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8),
                                            schedule: LearningRateSchedule(base: 1e-3), seed: 1)
        let trainer = FlowTrainer(flow: flow, action: target, settings: settings, communicator: communicator)
        try trainer.synchronizeParameters()
        var last = try trainer.step()
        for _ in 1..<max(1, warmup) { last = try trainer.step() }
        try communicator.barrier()
        let start = MPIEnvironment.wallTime()
        for _ in 0..<steps { last = try trainer.step() }
        let elapsed = try communicator.allreduce(MPIEnvironment.wallTime() - start, .max)
        return Figure(ranks: communicator.size, batchPerRank: batchPerRank, extent: extent, couplings: couplings, steps: steps,
                      precision: Scalar.precisionName, seconds: elapsed, finalLoss: last.loss, finalEffectiveSampleSize: last.effectiveSampleSize)
    }
}
