import Foundation
import Generative
import Learning
import Phi4

/// A flow job: a normalizing flow trained data-parallel by reverse Kullback–Leibler toward the φ⁴
/// action at one point, written out with its architecture so that it can sample later.
public struct FlowJob: JobDefinition {
    /// `kind = "flow"` selects a flow job; the summary is what `--help` and `ensemble validate` show.
    public static let kind = JobKind(
        "flow", summary: "normalizing flow (affine checkerboard couplings) trained data-parallel by reverse KL toward φ⁴",
        columns: FlowModel.columns)

    /// The top-level `kind`, `output` and `seed`.
    public var header: JobHeader
    /// The `[phi4]` section: the target, with the keys of a φ⁴ job at one point.
    public var phi4: Target
    /// The `[flow]` section: the architecture.
    public var flow: Architecture
    /// The `[training]` section.
    public var training: Training

    /// The flow's lattice, and its one point in either form of the φ⁴ action.
    public struct Target: Codable, Sendable {
        /// `extents`: the lattice, two even extents (the couplings' checkerboards need them even).
        public var extents: [Int]
        /// `kappa`: κ of the hopping form (with `lambda`; or `mass_squared` and `coupling`).
        public var kappa: Double?
        /// `lambda`: λ of the hopping form; default 0.
        public var lambda: Double?
        /// `mass_squared`: m₀² of the standard form ½(∂φ)² + ½m₀²φ² + g/4! φ⁴.
        public var massSquared: Double?
        /// `coupling`: g of the standard form.
        public var coupling: Double?

        /// κ and λ, from either form.
        public var couplings: Phi4Couplings? {
            if let kappa { return Phi4Couplings(kappa: kappa, lambda: lambda ?? 0) }
            guard let massSquared, let coupling else { return nil }
            return Phi4Couplings(standard: StandardCouplings(massSquared: massSquared, quartic: coupling), dimension: extents.count)
        }
    }

    /// The `[flow]` section.
    public struct Architecture: Codable, Sendable {
        /// `couplings`: affine coupling layers, frozen parity alternating; 2–64.
        public var couplings: Int
        /// `hidden`: channels of each hidden periodic convolution of a coupling's network, e.g. [8, 8].
        public var hidden: [Int]
        /// `kernel`: the convolutions' window, odd; default 3.
        public var kernel: Int?
        /// `precision`: `float32` or `float64` arithmetic of the flow; default float32.
        public var precision: Precision?
    }

    /// The `[training]` section.
    public struct Training: Codable, Sendable {
        /// `steps`: optimiser steps, each on a fresh batch drawn from the flow.
        public var steps: Int
        /// `batch`: fields per step over all ranks, a multiple of the ranks.
        public var batch: Int
        /// `learning_rate`: Adam's learning rate; default 1e-3.
        public var learningRate: Double?
        /// `deterministic_shards`: > 0 sums the batch's gradients in that many shards in a fixed order, so any
        /// rank count dividing it trains bit for bit the same; default 0 (one allreduce).
        public var deterministicShards: Int?
        /// `checkpoint_every`: steps between checkpoints and stop votes; default 100.
        public var checkpointEvery: Int?
    }

    /// κ and λ of the target, from either form.
    public var couplings: Phi4Couplings? { phi4.couplings }

    /// The flow's shape.
    public var architecture: FlowArchitecture {
        FlowArchitecture(couplings: flow.couplings, hidden: flow.hidden, kernel: flow.kernel ?? 3)
    }

    /// Steps between checkpoints.
    public var checkpointEvery: Int { training.checkpointEvery ?? 100 }
    /// The gradient's shards, nil for one allreduce.
    public var deterministicShards: Int? { (training.deterministicShards ?? 0) > 0 ? training.deterministicShards : nil }

    /// Trains the flow through the chain runner (a step is an optimiser step), then writes it.
    public func execute(_ context: RunContext) throws -> RunOutcome {
        let runner = ChainRunner(context: context)
        return (flow.precision ?? .float32) == .float64 ? try runner.run(FlowChain<Double>(job: self, context: context))
            : try runner.run(FlowChain<Float>(job: self, context: context))
    }

    /// The loss and ESS series are written as the run goes, so a resume continues the run file.
    public var recordsIncrementally: Bool { true }
}
