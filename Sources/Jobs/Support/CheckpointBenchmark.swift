import Cluster
import Foundation
import Store

extension RuntimeBenchmarks {
    /// One checkpoint of `bytes` of doubles, each rank its contiguous share, through the mechanism
    /// every run uses: written collectively with its checksums, read back and verified, synced and
    /// renamed into place. The rate counts the state's bytes once. Collective.
    public static func checkpointWrite(bytes: Int, directory: String, communicator: Communicator) throws -> BenchmarkFigure {
        let total = bytes / 8
        let mine = communicator.share(of: total)
        var values = [Double](repeating: 0, count: mine.count)
        for i in values.indices { values[i] = Double(mine.lowerBound + i) * 0.5 }
        let paths = RunPaths(output: try communicator.broadcast("\(directory)/ensemble-bench-\(getpid()).h5"))
        let identity = CheckpointIdentity(kind: "bench", job: "", seed: 0)
        let header = CheckpointHeader(identity: identity, step: 1, unit: "step", stateVersion: 1, ranks: communicator.size,
                                      runCreated: Provenance.timestamp(), resumes: 0)
        try communicator.barrier()
        let start = MPIEnvironment.wallTime()
        try Checkpoint.write(paths, header: header, ledger: [], communicator: communicator) { state in
            try values.withUnsafeBufferPointer { buffer in
                try state.put("values", shape: [total], blocks: [StateBlock(offset: [mine.lowerBound], count: [mine.count], values: buffer)])
            }
        }
        try communicator.barrier()
        let seconds = MPIEnvironment.wallTime() - start
        if communicator.isRoot { unlink(paths.checkpoint) }
        return BenchmarkFigure(benchmark: "checkpoint_write", bytes: total * 8, ranks: communicator.size, seconds: seconds,
                               throughputName: "mb_per_s", throughput: Double(total * 8) / seconds / 1e6)
    }

    /// The content checksum of `bytes` of doubles on one core (the best of five passes), as every
    /// checkpoint, ledger and seal computes it.
    public static func contentChecksum(bytes: Int) -> BenchmarkFigure {
        let count = bytes / 8
        let values = (0..<count).map { Double($0) * 0.25 }
        var best = Double.infinity, sink: UInt64 = 0
        for _ in 0..<5 {
            let start = MPIEnvironment.wallTime()
            let sum = values.withUnsafeBytes {
                ContentChecksum.block($0, elementSize: 8, shape: [count], offset: [0], count: [count], key: 1)
            }
            best = min(best, MPIEnvironment.wallTime() - start)
            sink ^= sum.value
        }
        precondition(sink != 1)  // keeps the work observable
        return BenchmarkFigure(benchmark: "content_checksum", bytes: count * 8, ranks: 1, seconds: best,
                               throughputName: "gb_per_s", throughput: Double(count * 8) / best / 1e9)
    }
}
