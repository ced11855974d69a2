import Cluster
import Foundation
import Store

/// One `ensemble bench` measurement as the flat JSON object Benchmarks/run reads beside its peers' lines.
///
/// The peers (C, numba, h5py, …) print the same flat layout, so the driver reads every side alike:
/// `benchmark`, `implementation`, `ranks`, then the parameters (L, sweeps, bytes, …) and figures
/// (seconds, rates) of that benchmark. Encoded with sorted keys, so a line is stable to diff.
public struct BenchmarkRecord: Encodable, Sendable, Equatable {
    /// A parameter of the measurement: a count (L, sweeps, bytes) or a word (precision).
    public enum Parameter: Encodable, Sendable, Equatable {
        case count(Int)
        case word(String)

        /// As a bare JSON number or string.
        public func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .count(let value): try container.encode(value)
            case .word(let value): try container.encode(value)
            }
        }
    }

    /// The benchmark's name, shared with its peers' lines (`ising_metropolis`, `hmc`, …).
    public let benchmark: String
    /// The ranks that ran it.
    public let ranks: Int
    /// What was run: sizes, counts, words (the driver matches the peers' lines on these).
    public let parameters: [String: Parameter]
    /// What was measured: seconds and rates.
    public let figures: [String: Double]

    /// A record of `benchmark` on `ranks` ranks; `parameters` and `figures` share no name (both are top-level keys).
    public init(benchmark: String, ranks: Int, parameters: [String: Parameter], figures: [String: Double]) {
        self.benchmark = benchmark
        self.ranks = ranks
        self.parameters = parameters
        self.figures = figures
    }

    /// Names known only at run time: the keys of `parameters` and `figures`.
    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Flat, as the peers print theirs: the driver should not care which side wrote a line.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(benchmark, forKey: Key("benchmark"))
        try container.encode("ensemble", forKey: Key("implementation"))
        try container.encode(ranks, forKey: Key("ranks"))
        for (name, value) in parameters { try container.encode(value, forKey: Key(name)) }
        for (name, value) in figures { try container.encode(value, forKey: Key(name)) }
    }

    /// One line of JSON, keys sorted. A non-finite figure is spelled "nan"/"inf" rather than
    /// refused, so the line still reaches the driver, which names the field that is not a number.
    public func json() throws -> String {
        String(decoding: try JSONNumbers.encoder.encode(self), as: UTF8.self)
    }
}

/// What `ensemble bench` prints for one measurement: a record for Benchmarks/run (`--json`), a line for a person.
public protocol BenchmarkResult: Sendable {
    /// The measurement as Benchmarks/run reads it.
    var record: BenchmarkRecord { get }
    /// The measurement as one line for a person.
    var text: String { get }
}

extension BenchmarkRecord: BenchmarkResult {
    /// A record is its own record (vacua has no figure type of its own).
    public var record: BenchmarkRecord { self }

    /// `benchmark  key=value …`, parameters then figures, each sorted by name.
    public var text: String {
        let parameterText = parameters.sorted { $0.key < $1.key }.map { name, value -> String in
            switch value {
            case .count(let n): return "\(name)=\(n)"
            case .word(let w): return "\(name)=\(w)"
            }
        }
        let figureText = figures.sorted { $0.key < $1.key }.map { "\($0.key)=\(String(format: "%.6g", $0.value))" }
        return ([benchmark, "ranks=\(ranks)"] + parameterText + figureText).joined(separator: "  ")
    }
}

/// A runtime benchmark figure (allreduce, writes, checksums): bytes moved and the time it took.
public struct BenchmarkFigure: BenchmarkResult {
    /// Which benchmark, e.g. `allreduce`.
    public let benchmark: String
    /// Bytes moved (or checksummed) by one operation.
    public let bytes: Int
    /// Ranks taking part.
    public let ranks: Int
    /// Wall time of one operation (the median or best of its repeats).
    public let seconds: Double
    /// The name of the throughput figure, e.g. `bytes_per_s`.
    public let throughputName: String
    /// The throughput, in the unit its name says.
    public let throughput: Double

    /// The figure as the JSON-lines record `Benchmarks/run` reads.
    public var record: BenchmarkRecord {
        BenchmarkRecord(benchmark: benchmark, ranks: ranks, parameters: ["bytes": .count(bytes)],
                        figures: ["seconds": seconds, throughputName: throughput])
    }

    /// The figure as one line for a person.
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
