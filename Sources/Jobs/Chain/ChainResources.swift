import Foundation

// What the Markov-chain kinds need, from the sizes of what they hold. The bytes per site are the
// peak resident memory of single-rank runs on 1024² and 2048² lattices, rounded up (Ising: 2 B per
// site with checkerboard updates, 17–35 more with cluster updates; φ⁴: 42, 21 more with embedded
// clusters, 33 more with Fourier acceleration; a process starts at about 55 MB); the series every
// rank keeps for the summary are counted exactly.

/// What every rank holds before any lattice: the program, MPI, HDF5 and OpenBLAS.
let processBaseline = 64e6

extension DemoJob {
    public func resources(ranks: Int) -> RunResources {
        let points = Double(demo.autocorrelations.count), measurements = Double(demo.measurements)
        let chainsPerRank = (Double(demo.chains) / Double(ranks)).rounded(.up)
        return RunResources(runFileBytes: points * Double(demo.chains) * measurements * 8 + measurements * 8,
                            checkpointBytes: points * Double(demo.chains) * 8,
                            memoryPerRankBytes: processBaseline + points * chainsPerRank * (measurements + Double(demo.checkpointEvery)) * 8
                                + 2 * measurements * 8)
    }
}

extension IsingJob {
    public func resources(ranks: Int) -> RunResources {
        let volume = Double(model.geometry.volume), replicas = Double(temperatures.count * chains)
        let series = Double(isingSeries.count) * replicas * Double(measurements) * 8
        let configurations = replicas * Double(samplesPerChain) * volume
        // Replicas are whole lattices spread over the ranks, or every replica split in planes.
        let held = decomposition == .replicas ? (replicas / Double(ranks)).rounded(.up) * volume : replicas * (volume / Double(ranks)).rounded(.up)
        let cluster = algorithms.contains { !$0.isLocal } ? volume * (8 * Double(model.geometry.dimension) + 24) : 0
        return RunResources(runFileBytes: configurations + series + Double(samplesPerChain + measurements) * 8,
                            checkpointBytes: replicas * volume,
                            memoryPerRankBytes: processBaseline + 3 * held + cluster + 2 * series)
    }
}

extension Phi4Job {
    public func resources(ranks: Int) -> RunResources {
        let volume = Double(phi4.extents.reduce(1, *)), replicas = Double(points.count * chains), l0 = Double(phi4.extents[0])
        let series = replicas * Double(measurements) * (Double(phi4Series.count) + l0) * 8
        let configurations = replicas * Double(samplesPerChain) * volume * (storesSinglePrecision ? 4 : 8)
        let held = decomposition == .replicas ? (replicas / Double(ranks)).rounded(.up) * volume : replicas * (volume / Double(ranks)).rounded(.up)
        let fourier = fourierAccelerated ? 40 * volume : 0
        let clusters = (phi4.clusterEvery ?? 0) > 0 ? Double(points.count) * volume * 36 : 0
        return RunResources(runFileBytes: configurations + series + Double(samplesPerChain + measurements) * 8,
                            checkpointBytes: replicas * volume * 8,
                            memoryPerRankBytes: processBaseline + 48 * held + fourier + clusters + 2 * series)
    }
}
