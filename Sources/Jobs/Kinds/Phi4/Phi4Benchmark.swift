import Cluster
import Foundation
import Lattice
import Phi4

/// `ensemble bench hmc`: leapfrog HMC trajectories of one φ⁴ lattice split over all ranks, the
/// workload of Benchmarks/peers/hmc_{numpy,numba,c}.
public enum HMCBenchmark {
    /// What one run measured.
    public struct Figure: BenchmarkResult {
        /// The lattice (d dimensions of side L), the ranks, the trajectories timed and the leapfrog steps of each.
        public let dimension: Int, extent: Int, ranks: Int, trajectories: Int, steps: Int
        /// Wall time of the timed trajectories (the slowest rank).
        public let seconds: Double
        /// The fraction of trajectories accepted, to compare with the peers' (same physics, same step).
        public let acceptance: Double
        /// ⟨ΔH⟩ over the timed trajectories.
        public let meanDeltaH: Double
        /// The ranks' summed memory copy bandwidth (bytes read + written per second), measured alongside.
        public let copyBandwidth: Double

        /// Memory a site moves per force evaluation at the least: the drift fused with the kick
        /// passes each plane through the cache once per step, reading and writing φ and π (32 B).
        public static let forceBytesPerSite = 32.0

        /// Sites of the lattice, Lᵈ.
        public var volume: Int { Int(pow(Double(extent), Double(dimension))) }
        /// Site-force evaluations per nanosecond over all ranks ((steps + 1) per site per trajectory).
        public var forcesPerSitePerNanosecond: Double {
            Double((steps + 1) * volume * trajectories) / seconds / 1e9
        }
        /// The figure as the JSON-lines record `Benchmarks/run` reads.
        public var record: BenchmarkRecord {
            BenchmarkRecord(benchmark: "hmc", ranks: ranks,
                            parameters: ["d": .count(dimension), "L": .count(extent), "trajectories": .count(trajectories),
                                         "steps": .count(steps)],
                            figures: ["seconds": seconds, "trajectories_per_second": Double(trajectories) / seconds,
                                      "force_per_site_per_ns": forcesPerSitePerNanosecond,
                                      "force_per_site_per_ns_per_core": forcesPerSitePerNanosecond / Double(ranks),
                                      "acceptance": acceptance, "mean_delta_h": meanDeltaH,
                                      "copy_bandwidth_GBps": copyBandwidth / 1e9, "force_bytes_per_site": Self.forceBytesPerSite])
        }
        /// The figure as one line for a person.
        public var text: String {
            let traffic = forcesPerSitePerNanosecond * Self.forceBytesPerSite
            return String(format: "hmc d=%d L=%-4d %d rank(s)  %d traj × %d steps  %.3f s  %.1f traj/s  %.4f forces/site/ns (%.4f per core)  acc %.2f  ⟨ΔH⟩ %.3g  kernel %.1f GB/s vs copy %.1f GB/s",
                          dimension, extent, ranks, trajectories, steps, seconds, Double(trajectories) / seconds, forcesPerSitePerNanosecond,
                          forcesPerSitePerNanosecond / Double(ranks), acceptance, meanDeltaH, traffic, copyBandwidth / 1e9)
        }
    }

    /// Times `trajectories` leapfrog trajectories (τ = 1) after one untimed one. Collective.
    public static func run(dimension: Int, extent: Int, trajectories: Int, steps: Int, kappa: Double, lambda: Double,
                           communicator: Communicator) throws -> Figure {
        let geometry = Geometry(extents: [Int](repeating: extent, count: dimension))
        guard let slabs = SlabDecomposition(geometry: geometry, parts: communicator.size) else {
            throw JobError(file: "--L", "\(extent) planes cannot be split over \(communicator.size) ranks")
        }
        let hmc = HybridMonteCarlo(action: Phi4Action(geometry: geometry, couplings: Phi4Couplings(kappa: kappa, lambda: lambda)),
                                   decomposition: slabs, part: communicator.rank.index, replica: 0, seed: 1, communicator: communicator)
        // One untimed trajectory, always kept (as the peers do): from the random start its ΔH is
        // large enough that a rejection would leave the field at the start for good.
        hmc.drawMomenta(trajectory: 0)
        try hmc.integrate(.leapfrog, steps: steps, stepSize: 1 / Double(steps))
        try communicator.barrier()
        let start = MPIEnvironment.wallTime()
        var accepted = 0, deltaH = 0.0
        for t in 1...trajectories {
            let outcome = try hmc.trajectory(t, integrator: .leapfrog, steps: steps, stepSize: 1 / Double(steps))
            accepted += outcome.accepted ? 1 : 0
            deltaH += outcome.deltaH
        }
        try communicator.barrier()
        let seconds = MPIEnvironment.wallTime() - start
        return Figure(dimension: dimension, extent: extent, ranks: communicator.size, trajectories: trajectories, steps: steps,
                      seconds: seconds, acceptance: Double(accepted) / Double(trajectories), meanDeltaH: deltaH / Double(trajectories),
                      copyBandwidth: try copyBandwidth(communicator))
    }

    /// Bytes read + written per second by memcpy of a 256 MiB buffer on every rank at once (best
    /// of five), summed over the ranks: what the ranks' kernels share. Collective.
    public static func copyBandwidth(_ communicator: Communicator) throws -> Double {
        try communicator.barrier()
        return try communicator.allreduce(copyBandwidth(), .sum)
    }

    /// Bytes read + written per second by memcpy of a 256 MiB buffer on this rank, best of five.
    static func copyBandwidth() -> Double {
        let count = 32 << 20
        let a = UnsafeMutableBufferPointer<Double>.allocate(capacity: count), b = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
        defer { a.deallocate(); b.deallocate() }
        a.initialize(repeating: 1)
        b.initialize(repeating: 0)
        var best = Double.infinity
        for _ in 0..<5 {
            let start = MPIEnvironment.wallTime()
            memcpy(b.baseAddress!, a.baseAddress!, count * 8)
            best = min(best, MPIEnvironment.wallTime() - start)
        }
        return Double(2 * count * 8) / best
    }
}
