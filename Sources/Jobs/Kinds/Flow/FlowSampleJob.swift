import Cluster
import Foundation
import Logging

/// A flow-sampling job: exact samples of φ⁴ from a trained flow, by independence Metropolis over
/// flow proposals, written in the φ⁴ run-file layout so that every reader of φ⁴ runs reads it.
public struct FlowSampleJob: JobDefinition {
    /// `kind = "flow-sample"` selects flow sampling; the summary is what `--help` and `ensemble validate` show.
    public static let kind = JobKind(
        "flow-sample", summary: "exact φ⁴ sampling with a trained flow: independence Metropolis over flow proposals, φ⁴ run-file layout")

    /// The top-level `kind`, `output` and `seed`.
    public var header: JobHeader
    /// The `[sampling]` section.
    public var sampling: Sampling

    /// Proposals made side by side.
    public var batch: Int { sampling.batch ?? 256 }
    /// Proposals between saved configurations (0: none).
    public var saveEvery: Int { sampling.saveEvery ?? 0 }
    /// Proposals between checkpoints.
    public var checkpointEvery: Int { sampling.checkpointEvery ?? max(1, sampling.proposals / 10) }

    /// Checks the keys; the model file is read by `validate(ranks:file:)`.
    public func validate(file: String) throws(JobError) {
        try Validator(file: file, section: "").require(output.hasSuffix(".h5"), "output", "\"\(output)\" must end in .h5")
        let s = Validator(file: file, section: "sampling")
        try s.require(sampling.model.hasSuffix(".h5"), "model", "\"\(sampling.model)\" must be the .h5 run file of a flow job")
        try s.require("proposals", sampling.proposals, in: 2...1_000_000_000)
        try s.require("batch", batch, in: 1...1 << 16)
        try s.require("save_every", saveEvery, in: 0...sampling.proposals)
        try s.require("checkpoint_every", checkpointEvery, in: 1...sampling.proposals)
    }

    /// The batch must split over the ranks, and the model must be a completed flow run.
    public func validate(ranks: Int, file: String) throws(JobError) {
        try Validator(file: file, section: "sampling").require(batch % ranks == 0, "batch",
                                                               "\(batch) cannot be split evenly over \(ranks) ranks; use a multiple of \(ranks)")
        _ = try FlowModel.read(sampling.model)
    }

    /// The model, the chain and what is saved.
    public func plan(ranks: Int) -> [String] {
        var lines = ["model: \(sampling.model)"]
        if let stored = try? FlowModel.read(sampling.model) {
            lines.append("target: φ⁴ on \(stored.extents.map(String.init).joined(separator: "×")), κ = \(stored.couplings.kappa), "
                         + "λ = \(stored.couplings.lambda); flow of \(stored.architecture.couplings) couplings, \(stored.precision.rawValue)")
        }
        lines.append("\(sampling.proposals) proposals, \(batch) at a time (\(batch / max(1, ranks)) per rank on \(ranks)), "
                     + (saveEvery > 0 ? "a configuration every \(saveEvery)" : "no configurations saved"))
        return lines
    }

    /// Runs the independence-Metropolis chain through the chain runner.
    public func execute(_ context: RunContext) throws -> RunOutcome {
        let stored = try FlowModel.read(sampling.model), runner = ChainRunner(context: context)
        return stored.precision == .float64 ? try runner.run(FlowSampleChain<Double>(job: self, stored: stored, context: context))
            : try runner.run(FlowSampleChain<Float>(job: self, stored: stored, context: context))
    }

    /// Series and configurations are written as the chain goes.
    public var recordsIncrementally: Bool { true }
    /// What the input files are to this job, for messages.
    public static let inputRole = "a trained flow"
    /// The model file, which no output may replace.
    public var inputFiles: [String] { [sampling.model] }



    /// Series of 13 + L₀ numbers per proposal, configurations, and the batch's fields per rank.
    public func resources(ranks: Int) -> RunResources {
        let extents = (try? FlowModel.read(sampling.model))?.extents ?? [8, 8], sites = Double(extents.reduce(1, *))
        let n = Double(sampling.proposals), samples = saveEvery > 0 ? n / Double(saveEvery) : 0
        let perProposal = Double(13 + extents[0]) * 8
        return RunResources(runFileBytes: n * perProposal + samples * sites * 8, checkpointBytes: sites * 8 + 1024,
                            memoryPerRankBytes: processBaseline + Double(batch) * (sites * 8 + perProposal) * 4 + n * perProposal)
    }

    /// The `[sampling]` section.
    public struct Sampling: Codable, Sendable {
        /// `model`: the run file of a completed flow job, whose flow proposes and whose target is sampled.
        public var model: String
        /// `proposals`: the chain's length; each proposal is a step and a measurement.
        public var proposals: Int
        /// `batch`: proposals made side by side over the ranks (a multiple of the ranks); default 256.
        public var batch: Int?
        /// `save_every`: proposals between saved configurations of the chain (0: none); default 0.
        public var saveEvery: Int?
        /// `checkpoint_every`: proposals between checkpoints and stop votes; default proposals / 10.
        public var checkpointEvery: Int?
    }
}
