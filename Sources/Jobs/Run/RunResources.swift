import Foundation
import Store

// The Markov-chain kinds estimate their memory from the sizes of what they hold. The bytes per
// site are the peak resident memory of single-rank runs on 1024² and 2048² lattices, rounded up
// (Ising: 2 B per site with checkerboard updates, 17–35 more with cluster updates; φ⁴: 42, 21 more
// with embedded clusters, 33 more with Fourier acceleration; a process starts at about 55 MB); the
// series rank 0 keeps for the summary are counted exactly.

/// What every rank holds before any lattice: the program, MPI, HDF5 and OpenBLAS.
let processBaseline = 64e6

/// What a run will need, estimated from its job before anything starts, so that a run that cannot
/// fit is refused at once (exit 2) instead of failing hours later.
public struct RunResources: Sendable {
    /// The finished run file.
    public var runFileBytes: Double
    /// One checkpoint (two exist while the next replaces the last).
    public var checkpointBytes: Double
    /// The memory of the busiest rank.
    public var memoryPerRankBytes: Double

    /// Makes the estimate from the run file's size, one checkpoint's size and the busiest rank's memory, in bytes.
    public init(runFileBytes: Double, checkpointBytes: Double, memoryPerRankBytes: Double) {
        self.runFileBytes = runFileBytes
        self.checkpointBytes = checkpointBytes
        self.memoryPerRankBytes = memoryPerRankBytes
    }

    /// HDF5's own structures and the provenance: a run file or checkpoint is never smaller.
    static let overhead = 1_048_576.0

    /// Fails if the disk cannot hold the run file and two checkpoints (less what an interrupted run
    /// being resumed already occupies), or the ranks on this node cannot hold their state.
    func check(_ paths: RunPaths, resuming: Bool, ranks: Int, flag: String) throws(JobError) {
        var needed = runFileBytes + 2 * checkpointBytes + 3 * Self.overhead
        if resuming { needed -= OutputCheck.allocated(paths.partial) + OutputCheck.allocated(paths.checkpoint) }
        try OutputCheck.space(needed, for: paths, what: "the run file \(ByteCount(runFileBytes)) and two checkpoints of \(ByteCount(checkpointBytes))",
                              flag: flag)
        let node = NodeMemory.current(ranks: ranks)
        guard memoryPerRankBytes <= node.perRank else {
            throw JobError(file: flag, "each rank needs about \(ByteCount(memoryPerRankBytes)) of memory, but \(node.description); "
                           + "use more ranks (or nodes), a smaller lattice or fewer replicas")
        }
    }
}

/// The memory a rank on this node may use: what the node (or the job's cgroup, or Slurm's
/// allocation) has available, shared by the ranks placed here.
struct NodeMemory: CustomStringConvertible {
    let available: Double
    let ranksHere: Int
    let source: String

    var perRank: Double { available / Double(max(1, ranksHere)) }

    var description: String {
        "\(source) has \(ByteCount(available)) available for \(ranksHere) rank(s) here, \(ByteCount(perRank)) each"
    }

    static func current(ranks: Int) -> NodeMemory {
        let environment = ProcessInfo.processInfo.environment
        var available = meminfo("MemAvailable") ?? Double(ProcessInfo.processInfo.physicalMemory)
        var source = "this node"
        if let limit = cgroupLimit(), limit < available {
            available = limit
            source = "this job's control group"
        }
        if let megabytes = environment["SLURM_MEM_PER_NODE"].flatMap(Double.init), megabytes * 1_048_576 < available {
            available = megabytes * 1_048_576
            source = "the Slurm allocation on this node"
        }
        let here = environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init)
            ?? environment["SLURM_NTASKS_PER_NODE"].flatMap { Int($0.prefix { $0.isNumber }) }
            ?? perNode(environment) ?? ranks
        if let perCPU = environment["SLURM_MEM_PER_CPU"].flatMap(Double.init) {
            let cpus = Double(environment["SLURM_CPUS_PER_TASK"].flatMap(Int.init) ?? 1)
            let allocation = perCPU * 1_048_576 * cpus * Double(max(1, here))
            if allocation < available {
                available = allocation
                source = "the Slurm allocation on this node"
            }
        }
        return NodeMemory(available: available, ranksHere: max(1, min(here, ranks)), source: source)
    }

    /// Ranks per node from Slurm's task and node counts.
    private static func perNode(_ environment: [String: String]) -> Int? {
        guard let tasks = environment["SLURM_NTASKS"].flatMap(Int.init), let nodes = environment["SLURM_NNODES"].flatMap(Int.init), nodes > 0 else { return nil }
        return (tasks + nodes - 1) / nodes
    }

    private static func meminfo(_ key: String) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            let digits = line.split(separator: " ").dropFirst().first.flatMap { Double($0) }
            return digits.map { $0 * 1024 }
        }
        return nil
    }

    /// cgroup v2's memory.max less what the group already uses, when a limit is set.
    private static func cgroupLimit() -> Double? {
        guard let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
              let limit = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        let used = (try? String(contentsOfFile: "/sys/fs/cgroup/memory.current", encoding: .utf8))
            .flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        return max(0, limit - used)
    }
}
