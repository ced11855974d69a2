import Cluster
import Foundation
import Logging

/// A flow-sampling job: exact samples of φ⁴ from a trained flow, by independence Metropolis over
/// flow proposals, written in the φ⁴ run-file layout so that every reader of φ⁴ runs reads it.
public struct FlowSampleJob: JobDefinition {
    /// `kind = "flow-sample"` selects flow sampling; the summary is what `--help` and `ensemble validate` show.
    public static let kind = JobKind(
        "flow-sample", summary: "exact φ⁴ sampling with a trained flow: independence Metropolis over flow proposals, φ⁴ run-file layout",
        columns: Phi4Summary.columns,
        mainColumns: ["kappa", "lambda", "phi2", "abs_magnetization", "susceptibility", "binder", "correlation_length", "acceptance"])

    /// The top-level `kind`, `output` and `seed`.
    public var header: JobHeader
    /// The `[sampling]` section.
    public var sampling: Sampling
    /// The optional `[phi4]` section: the lattice and couplings the model must have been trained for,
    /// in the keys of a flow job; stated, it guards against sampling with the wrong model.
    public var phi4: FlowJob.Target?

    /// Proposals made side by side.
    public var batch: Int { sampling.batch ?? 256 }
    /// Proposals between saved configurations (0: none).
    public var saveEvery: Int { sampling.saveEvery ?? 0 }
    /// Whether proposals get a random global sign.
    public var symmetrize: Bool { sampling.symmetrize ?? true }
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
        if let reference = sampling.reference {
            try s.require(reference.hasSuffix(".h5"), "reference", "\"\(reference)\" must be the .h5 run file of a φ⁴ job")
        }
        try phi4?.check(Validator(file: file, section: "phi4"))
    }

    /// The batch must split over the ranks, and the model must be a completed flow run.
    public func validate(ranks: Int, file: String) throws(JobError) {
        try Validator(file: file, section: "sampling").require(batch % ranks == 0, "batch",
                                                               "\(batch) cannot be split evenly over \(ranks) ranks; use a multiple of \(ranks)")
        let stored = try FlowModel.read(sampling.model)
        if let phi4 {
            let p = Validator(file: file, section: "phi4"), c = phi4.couplings!
            try p.require(phi4.extents == stored.extents, "extents",
                          "\(phi4.extents) is not the lattice \(stored.extents) the model \(sampling.model) was trained on")
            try p.require(FlowReference.same(c.kappa, stored.couplings.kappa) && FlowReference.same(c.lambda, stored.couplings.lambda),
                          phi4.kappa != nil ? "kappa" : "coupling", "κ = \(c.kappa), λ = \(c.lambda) is not the point κ = \(stored.couplings.kappa), "
                              + "λ = \(stored.couplings.lambda) the model \(sampling.model) was trained for")
        }
        if let reference = sampling.reference { _ = try FlowReference(reference, extents: stored.extents, couplings: stored.couplings) }
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
        if symmetrize { lines.append("each proposal given a random global sign (exact: the action is even in φ)") }
        if let reference = sampling.reference { lines.append("results put beside those of \(reference)") }
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
    public static let inputRole = "a trained flow or a reference run"
    /// The model file and the reference run, which no output may replace.
    public var inputFiles: [String] { [sampling.model] + (sampling.reference.map { [$0] } ?? []) }



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
        /// `symmetrize`: give each proposal a random global sign, exact because the φ⁴ action is even in
        /// φ, so that a flow that learned one of the broken phase's two peaks samples both; default true.
        public var symmetrize: Bool?
        /// `reference`: a completed φ⁴ run (HMC) with a point at the model's lattice and couplings; its
        /// results are printed and stored beside the flow's, each difference in combined σ.
        public var reference: String?
    }
}
