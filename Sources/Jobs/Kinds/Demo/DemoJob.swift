import Foundation

/// The demo job: independent AR(1) chains xₜ = ρxₜ₋₁ + √(1−ρ²)ηₜ spread over the ranks, whose exact
/// integrated autocorrelation time ½(1+ρ)/(1−ρ) checks the whole path from random numbers through
/// collective writes to the Γ-method summary.
public struct DemoJob: JobDefinition {
    /// `demo`: the value of `kind` that selects the demo job.
    public static let kind = "demo"
    /// The line `ensemble validate` and `--help` show for this kind.
    public static let summary = "AR(1) chains over the ranks, written collectively, checked against their exact τ_int"

    /// The file's `kind` key, always `demo`.
    public var kind: String = DemoJob.kind
    /// `output`: the run file written (the chains' series and their Γ-method summary); must end in .h5.
    public var output: String
    /// `seed`: the root of every random number; the same seed gives the same run bit for bit on any number of ranks.
    public var seed: UInt64
    /// The `[demo]` section.
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

    /// Runs the chains through the chain runner: advance, measure, checkpoint, summarise.
    public func execute(_ context: RunContext) throws -> RunOutcome {
        try ChainRunner(context: context).run(DemoChain(job: self, context: context))
    }

    /// The series is written as the run goes, so a resume continues the run file.
    public var recordsIncrementally: Bool { true }
}
