import Cluster
import Foundation
import Learning
import Numerics

/// `ensemble bench train`: the CNN of the training issue (two 3×3 periodic convolutions with 16
/// channels, global pooling, a dense head) trained data-parallel on synthetic ±1 configurations,
/// exactly as Benchmarks/peers/train_torch.py trains it with PyTorch DDP; and the rate its
/// convolutions reach against OpenBLAS's own gemm on the same shapes.
public enum TrainBenchmark {
    /// The network both sides train.
    public static let layers = ["conv2d channels=16 kernel=3", "relu", "conv2d channels=16 kernel=3", "relu",
                                "global_average_pool", "dense units=2"]

    /// One measurement.
    public struct Figure: BenchmarkResult {
        /// The ranks, the samples per rank per step, the side L of the inputs and the steps timed.
        public var ranks: Int, batchPerRank: Int, extent: Int, steps: Int
        /// `float32` or `float64`.
        public var precision: String
        /// Wall time of the timed steps.
        public var seconds: Double
        /// The loss of the last step, to see that both sides train.
        public var finalLoss: Double
        /// GFLOP/s of the convolutions' forward + backward inside a step (their gemm-equivalent flops).
        public var convolutionGflops: Double
        /// GFLOP/s of plain gemm calls of the same shapes, through the same OpenBLAS.
        public var gemmGflops: Double

        /// Training samples per second over all ranks.
        public var samplesPerSecond: Double { Double(steps * batchPerRank * ranks) / seconds }

        /// The figure as the JSON-lines record `Benchmarks/run` reads.
        public var record: BenchmarkRecord {
            BenchmarkRecord(benchmark: "train", ranks: ranks,
                            parameters: ["batch_per_rank": .count(batchPerRank), "global_batch": .count(batchPerRank * ranks),
                                         "L": .count(extent), "precision": .word(precision), "steps": .count(steps),
                                         "threads_per_rank": .count(BLAS.threads)],
                            figures: ["seconds": seconds, "samples_per_s": samplesPerSecond,
                                      "samples_per_s_per_rank": samplesPerSecond / Double(ranks), "final_loss": finalLoss,
                                      "conv_gflops": convolutionGflops, "gemm_gflops_same_shapes": gemmGflops])
        }

        /// The figure as one line for a person.
        public var text: String {
            String(format: "train %d×%d, %d rank(s) × batch %d, %@: %.1f samples/s (%.1f per rank); convolutions %.2f GFLOP/s, gemm of the same shapes %.2f GFLOP/s",
                   extent, extent, ranks, batchPerRank, precision, samplesPerSecond, samplesPerSecond / Double(ranks),
                   convolutionGflops, gemmGflops)
        }
    }

    /// Times `steps` training steps after `warmup` (the slowest rank's time). Collective.
    public static func run<Scalar: NetworkScalar>(_: Scalar.Type, extent: Int, batchPerRank: Int, microBatch: Int = 0,
                                                  steps: Int, warmup: Int,
                                                  communicator: Communicator) throws -> Figure {
        let network = try Network<Scalar>(inputShape: [1, extent, extent], specifications: layers.map { try LayerSpecification(parsing: $0) })
        network.initializeParameters(seed: 1)
        let schedule = LearningRateSchedule(base: 0.01, warmupSteps: 0, totalSteps: steps + warmup, minimum: 0.01, cosine: false)
        let trainer = DataParallelTrainer(network: network, settings: TrainingSettings(
            loss: .softmaxCrossEntropy, optimizer: .sgd(momentum: 0.9, nesterov: false), weightDecay: 0, schedule: schedule,
            bucketBytes: 1 << 20, deterministicShards: nil, seed: 1, microBatch: microBatch), communicator: communicator)
        try trainer.synchronizeParameters()
        // A fixed synthetic set of 1024 samples per rank, cycled through, as the peer does.
        let sites = extent * extent, pool = 1024
        var words = RandomStream(seed: 7, purpose: .demo, replica: communicator.rank.index)
        let inputs = (0..<(pool * sites)).map { _ in words.nextUInt32() & 1 == 0 ? Scalar(-1) : Scalar(1) }
        let labels = (0..<pool).map { _ in Scalar(words.nextUInt32() & 1) }
        func batch(_ step: Int) -> LocalBatch<Scalar> {
            let start = (step * batchPerRank) % (pool - batchPerRank + 1)
            return LocalBatch(inputs: Array(inputs[(start * sites)..<((start + batchPerRank) * sites)]),
                              targets: Array(labels[start..<(start + batchPerRank)]),
                              sampleIDs: Array(start..<(start + batchPerRank)))
        }
        let global = batchPerRank * communicator.size
        var lossSum = Double.nan
        for step in 0..<warmup { lossSum = try trainer.step([batch(step)], globalBatch: global).lossSum }
        let prepared = (0..<steps).map { batch(warmup + $0) }
        try communicator.barrier()
        let start = MPIEnvironment.wallTime()
        for b in prepared { lossSum = try trainer.step([b], globalBatch: global).lossSum }
        let elapsed = try communicator.allreduce(MPIEnvironment.wallTime() - start, .max)
        let (convolution, gemm) = try convolutionRates(Scalar.self, network: network, batch: batchPerRank, extent: extent)
        return Figure(ranks: communicator.size, batchPerRank: batchPerRank, extent: extent, steps: steps,
                      precision: Scalar.precisionName, seconds: elapsed, finalLoss: lossSum / Double(global),
                      convolutionGflops: convolution, gemmGflops: gemm)
    }

    /// The second convolution's forward + backward alone, and gemm calls of its shapes (per sample:
    /// forward 16×L²×144, weight gradient 16×144×L², input gradient 144×L²×16), as GFLOP/s.
    static func convolutionRates<Scalar: NetworkScalar>(_: Scalar.Type, network: Network<Scalar>, batch: Int,
                                                        extent: Int) throws -> (Double, Double) {
        let layer = network.layers[2], range = network.parameterRanges[2]
        let n = extent * extent, c = 16, k = 144
        let x = [Scalar](repeating: 0.5, count: batch * layer.inputSize)
        var y = [Scalar](repeating: 0, count: batch * layer.outputSize)
        var dx = x, gradient = [Scalar](repeating: 0, count: range.count)
        let parameters = Array(network.parameters[range])
        let pass = Pass.inference(batch: batch)
        let flops = 3.0 * 2 * Double(c * k * n * batch)
        func convolution() {
            x.withUnsafeBufferPointer { xb in
                parameters.withUnsafeBufferPointer { p in
                    y.withUnsafeMutableBufferPointer { yb in layer.forward(xb, output: yb, batch: batch, parameters: p, pass: pass) }
                    y.withUnsafeBufferPointer { yb in
                        dx.withUnsafeMutableBufferPointer { dxb in
                            gradient.withUnsafeMutableBufferPointer { g in
                                layer.backward(input: xb, output: yb, outputGradient: yb, inputGradient: dxb, batch: batch,
                                               parameters: p, parameterGradient: g, pass: pass)
                            }
                        }
                    }
                }
            }
        }
        let a = [Scalar](repeating: 0.25, count: max(c * k, k * n) * batch)
        var out = [Scalar](repeating: 0, count: k * n * batch)
        func gemms() {
            a.withUnsafeBufferPointer { ab in
                out.withUnsafeMutableBufferPointer { o in
                    for _ in 0..<batch {
                        Scalar.gemm(transA: .none, transB: .none, m: c, n: n, k: k, alpha: 1, a: ab, lda: nil, b: ab, ldb: nil, beta: 0, c: o, ldc: nil)
                        Scalar.gemm(transA: .none, transB: .transposed, m: c, n: k, k: n, alpha: 1, a: ab, lda: nil, b: ab, ldb: nil, beta: 0, c: o, ldc: nil)
                        Scalar.gemm(transA: .transposed, transB: .none, m: k, n: n, k: c, alpha: 1, a: ab, lda: nil, b: ab, ldb: nil, beta: 0, c: o, ldc: nil)
                    }
                }
            }
        }
        return (rate(flops, convolution), rate(flops, gemms))
    }

    /// GFLOP/s of `body` (`flops` per call): the median of 5 timings of enough calls for 0.2 s.
    private static func rate(_ flops: Double, _ body: () -> Void) -> Double {
        body()
        var calls = 1
        while true {
            let start = MPIEnvironment.wallTime()
            for _ in 0..<calls { body() }
            if MPIEnvironment.wallTime() - start > 0.2 { break }
            calls *= 2
        }
        let times = (0..<5).map { _ -> Double in
            let start = MPIEnvironment.wallTime()
            for _ in 0..<calls { body() }
            return (MPIEnvironment.wallTime() - start) / Double(calls)
        }.sorted()
        return flops / times[2] / 1e9
    }
}
