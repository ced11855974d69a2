import Cluster
import Foundation
import Store

/// A benchmark figure, printed as one JSON line so `Benchmarks/run` can set it beside its peer's.
public struct BenchmarkFigure: Sendable {
    public let benchmark: String
    public let bytes: Int
    public let ranks: Int
    public let seconds: Double
    public let throughputName: String
    public let throughput: Double

    public var json: String {
        String(format: "{\"benchmark\":\"%@\",\"implementation\":\"ensemble\",\"bytes\":%d,\"ranks\":%d,\"seconds\":%.9g,\"%@\":%.6g}",
               benchmark, bytes, ranks, seconds, throughputName, throughput)
    }

    public var text: String {
        String(format: "%-17@ %10.1f MB  %d ranks  %.6f s  %.3f %@", benchmark, Double(bytes) / 1e6, ranks, seconds,
               throughput, throughputName.replacingOccurrences(of: "_per_s", with: "/s"))
    }
}

/// The runtime benchmarks of `ensemble bench` (engines add theirs in later issues).
public enum RuntimeBenchmarks {
    /// In-place allreduce (sum) of doubles: warm-up calls, then the median of timed calls, each
    /// after a barrier so that every rank starts together. Collective.
    public static func allreduce(bytes: Int, repetitions: Int, communicator: Communicator) throws -> BenchmarkFigure {
        let count = bytes / MemoryLayout<Double>.stride
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 1)
        for _ in 0..<10 { try communicator.allreduce(buffer, .sum) }
        var times: [Double] = []
        for _ in 0..<repetitions {
            try communicator.barrier()
            let start = MPIEnvironment.wallTime()
            try communicator.allreduce(buffer, .sum)
            times.append(MPIEnvironment.wallTime() - start)
        }
        // The slowest rank sets the pace of a collective.
        var slowest = times
        try communicator.allreduce(&slowest, .max)
        let median = slowest.sorted()[slowest.count / 2]
        return BenchmarkFigure(benchmark: "allreduce", bytes: count * 8, ranks: communicator.size, seconds: median,
                               throughputName: "gb_per_s", throughput: Double(count * 8) / median / 1e9)
    }

    /// A collective write of `bytes` of doubles, each rank its contiguous share, into a new file in
    /// `directory`: create, write and close are timed; the file is deleted afterwards. Collective.
    public static func collectiveWrite(bytes: Int, directory: String, communicator: Communicator) throws -> BenchmarkFigure {
        let total = bytes / 8
        let mine = communicator.share(of: total), share = mine.count, offset = mine.lowerBound
        var values = [Double](repeating: 0, count: share)
        for i in 0..<share { values[i] = Double(offset + i) }
        let path = try communicator.broadcast("\(directory)/ensemble-bench-\(getpid()).h5")
        try communicator.barrier()
        let start = MPIEnvironment.wallTime()
        let file = try File.create(path, communicator: communicator)
        let dataset = try file.root().createDataset("values", of: Double.self, shape: [total])
        try dataset.write(values, at: [offset], count: [share])
        try file.close()
        try communicator.barrier()
        let seconds = MPIEnvironment.wallTime() - start
        if communicator.isRoot { unlink(path) }
        return BenchmarkFigure(benchmark: "collective_write", bytes: total * 8, ranks: communicator.size, seconds: seconds,
                               throughputName: "mb_per_s", throughput: Double(total * 8) / seconds / 1e6)
    }
}
