import ArgumentParser
import Cluster
import Foundation
import Jobs

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Ensemble's building blocks; `make bench` sets each beside its peer (C, h5py, …) as a ratio.",
        subcommands: [ClusterBench.self, StoreBench.self, CheckpointBench.self, IsingBench.self, HMCBench.self, TrainBench.self, FlowBench.self, VacuaBench.self])
}

/// Flags every benchmark takes.
struct BenchOutput: ParsableArguments {
    @Flag(help: "Print one JSON object per figure (for Benchmarks/run).")
    var json = false

    /// Rank 0 speaks for all: every rank holds the same figure after the collective timing.
    func report(_ result: some BenchmarkResult, on world: Communicator) throws {
        guard world.isRoot else { return }
        print(json ? try result.record.json() : result.text)
    }
}

struct ClusterBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "In-place allreduce (sum) of doubles, median time per call; compare with Benchmarks/peers/allreduce.c.")

    @Option(help: "Buffer sizes in bytes, comma-separated.")
    var bytes: String = "8000000,80000000"

    @Option(help: "Timed calls per size.")
    var repetitions: Int = 100

    @OptionGroup var output: BenchOutput

    var sizes: [Int] { bytes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 8 }), repetitions >= 1 else {
            throw ValidationError("--bytes \"\(bytes)\" must be comma-separated sizes of at least 8 bytes, with --repetitions ≥ 1")
        }
    }

    func run() throws {
        try withMPI { world in
            for size in sizes {
                try output.report(try RuntimeBenchmarks.allreduce(bytes: size, repetitions: repetitions, communicator: world), on: world)
            }
        }
    }
}

struct StoreBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Collective write of one float64 dataset from all ranks; compare with h5py and dd (Benchmarks/run).")

    @OptionGroup var size: BenchWrite

    @OptionGroup var output: BenchOutput

    func run() throws {
        try withMPI { world in
            try output.report(try RuntimeBenchmarks.collectiveWrite(bytes: size.bytes, directory: size.directory, communicator: world), on: world)
        }
    }
}

/// The size and folder of a benchmark that writes a file.
struct BenchWrite: ParsableArguments {
    @Option(help: "Megabytes (MiB) to write.")
    var megabytes: Int = 256

    @Option(help: "Folder to write the temporary file in.")
    var directory: String = "."

    var bytes: Int { megabytes << 20 }

    /// Bad values are bad input: exit 2 before MPI starts.
    func validate() throws {
        guard megabytes >= 1 else { throw ValidationError("--megabytes \(megabytes) must be at least 1") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
              access(directory, W_OK) == 0 else {
            throw ValidationError("--directory \"\(directory)\" is not a writable folder")
        }
    }
}

struct CheckpointBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "A checkpoint of float64 state from all ranks (checksummed, read back, synced, renamed) and the content checksum's rate on one core; compare with h5py + fsync and zlib.crc32 (Benchmarks/run).")

    @OptionGroup var size: BenchWrite

    @OptionGroup var output: BenchOutput

    func run() throws {
        try withMPI { world in
            try output.report(try RuntimeBenchmarks.checkpointWrite(bytes: size.bytes, directory: size.directory, communicator: world), on: world)
            if world.isRoot { try output.report(RuntimeBenchmarks.contentChecksum(bytes: size.bytes), on: world) }
        }
    }
}

struct IsingBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ising",
        abstract: "Checkerboard Metropolis of one 2D lattice at T_c over all ranks, in site updates per ns; compare with numba and C.")

    @Option(help: "Lattice extents and sweeps, comma-separated L:sweeps pairs.")
    var sizes: String = "256:4000,4096:50"  // long enough to time the packed kernel (~0.1 s at L = 256)

    @OptionGroup var output: BenchOutput

    var pairs: [[Int]] { sizes.split(separator: ",").map { $0.split(separator: ":").compactMap { Int($0) } } }

    func validate() throws {
        guard !pairs.isEmpty, pairs.allSatisfy({ $0.count == 2 && $0[0] >= 2 && $0[0] % 2 == 0 && $0[1] >= 1 }) else {
            throw ValidationError("--sizes \"\(sizes)\" must be L:sweeps pairs with even L ≥ 2, e.g. 256:400,4096:20")
        }
    }

    func run() throws {
        try withMPI { world in
            for pair in pairs {
                try output.report(try IsingBenchmark.run(extent: pair[0], sweeps: pair[1], communicator: world), on: world)
            }
        }
    }
}

struct HMCBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hmc",
        abstract: "Leapfrog HMC of one φ⁴ lattice over all ranks, in force evaluations per site per ns; compare with numpy, numba and C.")

    @Option(help: "Dimension (2, 3 or 4).")
    var d: Int = 2

    @Option(name: .customLong("L"), help: "Extent in every direction.")
    var extent: Int = 64

    @Option(help: "Timed trajectories.")
    var trajectories: Int = 100

    @Option(help: "Leapfrog steps per trajectory of length 1.")
    var steps: Int = 16

    @Option(help: "Hopping parameter κ.")
    var kappa: Double = 0.28

    @Option(help: "Quartic coupling λ.")
    var lambda: Double = 0.022

    @OptionGroup var output: BenchOutput

    func validate() throws {
        guard (2...4).contains(d) else { throw ValidationError("--d \(d) must be 2, 3 or 4") }
        guard extent >= 2 else { throw ValidationError("--L \(extent) must be at least 2") }
        guard trajectories >= 1, steps >= 1 else { throw ValidationError("--trajectories and --steps must be at least 1") }
        guard kappa.isFinite, kappa >= 0, lambda.isFinite, lambda >= 0 else {
            throw ValidationError("κ = \(kappa) and λ = \(lambda) must be finite and ≥ 0")
        }
    }

    func run() throws {
        try withMPI { world in
            let figure = try HMCBenchmark.run(dimension: d, extent: extent, trajectories: trajectories, steps: steps,
                                              kappa: kappa, lambda: lambda, communicator: world)
            try output.report(figure, on: world)
        }
    }
}

struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Data-parallel training of a small CNN on L×L ±1 configurations, in samples per second; compare with PyTorch DDP (gloo).",
        discussion: "Also reports the rate of the convolutions against OpenBLAS gemm calls of the same shapes.")

    @Option(name: .customLong("L"), help: "Lattice extent L (inputs are 1×L×L).")
    var L: Int = 32

    @Option(help: "Samples per rank per step (the global batch is this × ranks).")
    var batch: Int = 64

    @Option(help: "Timed steps.")
    var steps: Int = 40

    @Option(help: "Untimed steps first.")
    var warmup: Int = 5

    @Option(help: "Arithmetic of the network and its gradients.")
    var precision: Precision = .float32

    @Option(help: "Samples per forward/backward pass, gradients accumulated over the batch (0: the whole batch).")
    var microBatch: Int = 0

    @OptionGroup var output: BenchOutput

    func validate() throws {
        guard L >= 3, batch >= 1, batch <= 1024, microBatch >= 0, steps >= 1, warmup >= 0 else {
            throw ValidationError("need --L ≥ 3, 1 ≤ --batch ≤ 1024, --micro-batch ≥ 0, --steps ≥ 1 and --warmup ≥ 0")
        }
    }

    func run() throws {
        try withMPI { world in
            let figure = precision == .float64
                ? try TrainBenchmark.run(Double.self, extent: L, batchPerRank: batch, microBatch: microBatch, steps: steps, warmup: warmup, communicator: world)
                : try TrainBenchmark.run(Float.self, extent: L, batchPerRank: batch, microBatch: microBatch, steps: steps, warmup: warmup, communicator: world)
            try output.report(figure, on: world)
        }
    }
}

struct FlowBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Reverse-KL training of a normalizing flow toward φ⁴ (L×L, affine couplings), in fields per second; compare with PyTorch.",
        discussion: "The flow of Albergo et al.'s tutorial (arXiv 2101.08176): couplings with 8+8-channel periodic 3×3 convolutions, Adam, at κ = 1/4, λ = 1/2.")

    @Option(name: .customLong("L"), help: "Lattice extent L (even).")
    var L: Int = 8

    @Option(help: "Affine coupling layers.")
    var couplings: Int = 16

    @Option(help: "Fields per rank per step (the global batch is this × ranks).")
    var batch: Int = 64

    @Option(help: "Timed steps.")
    var steps: Int = 20

    @Option(help: "Untimed steps first.")
    var warmup: Int = 3

    @Option(help: "Arithmetic of the flow and its gradients.")
    var precision: Precision = .float32

    @OptionGroup var output: BenchOutput

    func validate() throws {
        guard L >= 4, L % 2 == 0, couplings >= 1, couplings <= 64, batch >= 1, batch <= 4096, steps >= 1, warmup >= 0 else {
            throw ValidationError("need an even --L ≥ 4, 1 ≤ --couplings ≤ 64, 1 ≤ --batch ≤ 4096, --steps ≥ 1 and --warmup ≥ 0")
        }
    }

    func run() throws {
        try withMPI { world in
            let figure = precision == .float64
                ? try FlowBenchmark.run(Double.self, extent: L, couplings: couplings, batchPerRank: batch, steps: steps, warmup: warmup, communicator: world)
                : try FlowBenchmark.run(Float.self, extent: L, couplings: couplings, batchPerRank: batch, steps: steps, warmup: warmup, communicator: world)
            try output.report(figure, on: world)
        }
    }
}

struct VacuaBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vacua",
        abstract: "Flux-vacuum solver evaluations per second, and the genetic search on all ranks; compare with numpy + DEAP.")

    @Option(name: .customLong("L"), help: "Tadpole bound L.")
    var L: Int = 20

    @Option(help: "Solver evaluations (genomes with 0 < N_flux ≤ L) on rank 0.")
    var solverEvaluations: Int = 200_000

    @Option(help: "Genetic-search evaluations per island.")
    var evaluations: Int = 100_000

    @Option(help: "Islands of the genetic search, spread evenly over the ranks (default: one per rank); the same number on 1 and N ranks times the same search.")
    var islands: Int?

    @Option(help: "Population per island.")
    var population: Int = 100

    @Option(help: "Seed of the genetic search (the islands' genomes follow from it).")
    var seed: UInt64 = 3

    @OptionGroup var output: BenchOutput

    func validate() throws {
        guard L >= 1, solverEvaluations >= 1, evaluations >= population, population >= 2 else {
            throw ValidationError("need --L ≥ 1, --solver-evaluations ≥ 1, --population ≥ 2 and --evaluations ≥ --population")
        }
        let ranks = MPIEnvironment.launcherSize
        if let islands, islands < ranks || islands % ranks != 0 {
            throw ValidationError("--islands \(islands) must be a multiple of the \(ranks) rank(s)")
        }
    }

    func run() throws {
        try withMPI { world in
            if world.isRoot { try output.report(VacuaBenchmark.solver(limit: L, evaluations: solverEvaluations), on: world) }
            try output.report(try VacuaBenchmark.genetic(limit: L, evaluations: evaluations, population: population, islands: islands,
                                                         seed: seed, communicator: world), on: world)
        }
    }
}

extension Precision: ExpressibleByArgument {}
