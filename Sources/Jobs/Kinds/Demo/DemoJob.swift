import Foundation

/// The demo job: independent AR(1) chains xₜ = ρxₜ₋₁ + √(1−ρ²)ηₜ spread over the ranks, whose exact
/// integrated autocorrelation time ½(1+ρ)/(1−ρ) checks the whole path from random numbers through
/// collective writes to the Γ-method summary.
public struct DemoJob: JobDefinition {
    public static let kind = "demo"
    public static let summary = "AR(1) chains over the ranks, written collectively, checked against their exact τ_int"

    public var kind: String = DemoJob.kind
    public var output: String
    public var seed: UInt64
    public var demo: Parameters

    /// The `[demo]` section.
    public struct Parameters: Codable, Sendable {
        /// ρ of each point; |ρ| < 1.
        public var autocorrelations: [Double]
        /// Independent chains per point, spread over the ranks in contiguous blocks.
        public var chains: Int
        /// Measurements per chain.
        public var measurements: Int
        /// Measurements between checkpoints (and stop votes).
        public var checkpointEvery: Int

        enum CodingKeys: String, CodingKey {
            case autocorrelations, chains, measurements
            case checkpointEvery = "checkpoint_every"
        }
    }

    public func validate(file: String) throws(JobError) {
        let top = Validator(file: file, section: "")
        try top.require(!output.isEmpty, "output", "must name a file, e.g. \"demo.h5\"")
        try top.require(output.hasSuffix(".h5"), "output", "\"\(output)\" must end in .h5")
        let v = Validator(file: file, section: "demo")
        try v.require(!demo.autocorrelations.isEmpty, "autocorrelations", "the list is empty; give at least one ρ")
        try v.require(demo.autocorrelations.count <= 1000, "autocorrelations", "\(demo.autocorrelations.count) points; at most 1000")
        for (i, rho) in demo.autocorrelations.enumerated() {
            try v.require("autocorrelations[\(i)]", rho, in: -0.999...0.999)
        }
        try v.require("chains", demo.chains, in: 1...1_000_000)
        try v.require("measurements", demo.measurements, in: 16...100_000_000)
        try v.require("checkpoint_every", demo.checkpointEvery, in: 1...demo.measurements)
        let values = demo.autocorrelations.count * demo.chains * demo.measurements
        try v.require(values <= 2_000_000_000, "measurements",
                      "\(values) values in all (points × chains × measurements) is more than the 2·10⁹ a demo may write")
    }

    public func plan(ranks: Int) -> [String] {
        let points = demo.autocorrelations.count
        let perRank = (demo.chains + ranks - 1) / ranks
        let megabytes = Double(points * demo.chains * demo.measurements * 8) / 1e6
        return [
            "\(points) points (ρ = \(demo.autocorrelations.map { String($0) }.joined(separator: ", "))) × \(demo.chains) chains × \(demo.measurements) measurements",
            "\(ranks) rank(s), up to \(perRank) chain(s) per rank per point",
            "checkpoint and stop vote every \(demo.checkpointEvery) measurements",
            String(format: "writes %@ (%.1f MB of series)", output, megabytes),
        ]
    }

    public func resources(ranks: Int) -> RunResources {
        let points = Double(demo.autocorrelations.count), chains = Double(demo.chains), measurements = Double(demo.measurements)
        // Rank 0 keeps every series for the summary; every rank gathers a checkpoint's worth.
        return RunResources(runFileBytes: points * chains * measurements * 8 + measurements * 8,
                            checkpointBytes: points * chains * 8,
                            memoryPerRankBytes: processBaseline + points * chains * (measurements + Double(demo.checkpointEvery)) * 8
                                + 2 * measurements * 8)
    }

    public func execute(_ context: RunContext) throws -> RunOutcome {
        try ChainRunner(context: context).run(DemoChain(job: self, context: context))
    }

    public var recordsIncrementally: Bool { true }
}
