import Cluster
import Foundation
import Ising
import Lattice
import Numerics

/// `ensemble bench ising`: checkerboard Metropolis (packed, multi-spin coded) of one L×L lattice at β_c split over all ranks.
public enum IsingBenchmark {
    /// One figure; printed as a record for Benchmarks/run, which sets it beside numba and C.
    public struct Figure: BenchmarkResult {
        /// The side L of the L × L lattice, the ranks it is split over and the sweeps timed.
        public let extent: Int, ranks: Int, sweeps: Int
        /// Wall time of the timed sweeps (the slowest rank).
        public let seconds: Double
        /// Memory a sweep moves per site, for the bandwidth comparison.
        public let bytesPerSite: Double

        /// Spin updates per nanosecond over all ranks.
        public var updatesPerNanosecond: Double { Double(extent * extent * sweeps) / seconds / 1e9 }
        /// The figure as the JSON-lines record `Benchmarks/run` reads.
        public var record: BenchmarkRecord {
            BenchmarkRecord(benchmark: "ising_metropolis", ranks: ranks,
                            parameters: ["L": .count(extent), "sweeps": .count(sweeps)],
                            figures: ["seconds": seconds, "updates_per_ns": updatesPerNanosecond,
                                      "updates_per_ns_per_core": updatesPerNanosecond / Double(ranks),
                                      "bytes_per_site": bytesPerSite, "seconds_per_sweep": seconds / Double(sweeps)])
        }
        /// The figure as one line for a person.
        public var text: String {
            String(format: "ising L=%-5d %d rank(s)  %4d sweeps  %.3f s  %.4f updates/ns (%.4f per core)  %.3g s/sweep  %.3g bytes/site",
                   extent, ranks, sweeps, seconds, updatesPerNanosecond, updatesPerNanosecond / Double(ranks), seconds / Double(sweeps), bytesPerSite)
        }
    }

    /// Times `sweeps` Metropolis sweeps after two untimed ones. Collective.
    public static func run(extent: Int, sweeps: Int, communicator: Communicator) throws -> Figure {
        let model = IsingModel(geometry: Geometry(extents: [extent, extent]))
        guard let slabs = SlabDecomposition(geometry: model.geometry, parts: communicator.size) else {
            throw JobError(file: "--sizes", "\(extent) planes cannot be split over \(communicator.size) ranks")
        }
        let field = PackedSpinField(decomposition: slabs, part: communicator.rank.index)
        // A random start, as the peers have: a cold one would leave almost every site uncertain.
        let bytes = HaloField<Int8>(decomposition: slabs, part: communicator.rank.index, initial: 1)
        var start = RandomStream(seed: 1, purpose: .isingStart, replica: 0, step: 0, site: communicator.rank.index)
        for i in bytes.owned.indices { bytes.owned[i] = start.nextUInt32() & 1 == 0 ? 1 : -1 }
        field.pack(from: bytes)
        let update = PackedCheckerboard(model: model, seed: 1)
        let table = DecisionTable(Thresholds(model: model, beta: ExactIsing2D.criticalCoupling), algorithm: .metropolis, dimension: 2)
        for sweep in 0..<2 {
            try update.sweep(field, table: table, replica: 0, sweep: sweep, communicator: communicator)
        }
        try communicator.barrier()
        let clock = MPIEnvironment.wallTime()
        for sweep in 2..<(2 + sweeps) {
            try update.sweep(field, table: table, replica: 0, sweep: sweep, communicator: communicator)
        }
        try communicator.barrier()
        let seconds = MPIEnvironment.wallTime() - clock
        // Packed spins with halos plus one chunk's random planes and scratch words, per owned site, on
        // this rank; the byte copy exists only to start from and is not part of the update.
        let total = Double(8 * field.storedWords + update.scratchBytes)
        return Figure(extent: extent, ranks: communicator.size, sweeps: sweeps, seconds: seconds,
                      bytesPerSite: total / Double(bytes.owned.count))
    }
}
