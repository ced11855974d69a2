import Foundation

/// The demo job: independent AR(1) chains xₜ = ρxₜ₋₁ + √(1−ρ²)ηₜ spread over the ranks, whose exact
/// integrated autocorrelation time ½(1+ρ)/(1−ρ) checks the whole path from random numbers through
/// collective writes to the Γ-method summary.
public struct DemoJob: JobDefinition {
    /// `kind = "demo"` selects the demo job; the summary is what `--help` and `ensemble validate` show.
    public static let kind = JobKind(
        "demo", summary: "AR(1) chains over the ranks, written collectively, checked against their exact τ_int",
        columns: DemoSummary.columns)

    /// The top-level `kind`, `output` and `seed`.
    public var header: JobHeader
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
    }
}
