import Foundation
import Generative
import Learning

extension FlowJob {
    /// Checks the output, the target's lattice and couplings, the architecture and the training keys.
    public func validate(file: String) throws(JobError) {
        try Validator(file: file, section: "").require(output.hasSuffix(".h5"), "output", "\"\(output)\" must end in .h5")
        try phi4.check(Validator(file: file, section: "phi4"))
        let f = Validator(file: file, section: "flow")
        try f.require("couplings", flow.couplings, in: 2...64)
        try f.require(!flow.hidden.isEmpty && flow.hidden.count <= 8, "hidden", "\(flow.hidden): give 1 to 8 hidden convolutions' channels")
        for (i, c) in flow.hidden.enumerated() { try f.require("hidden[\(i)]", c, in: 1...256) }
        try f.require((flow.kernel ?? 3) % 2 == 1, "kernel", "\(flow.kernel ?? 3) must be odd")
        try f.require("kernel", flow.kernel ?? 3, in: 1...min(phi4.extents.min() ?? 1, 15))
        let t = Validator(file: file, section: "training")
        try t.require("steps", training.steps, in: 1...100_000_000)
        try t.require("batch", training.batch, in: 1...1 << 20)
        let rate = training.learningRate ?? 1e-3
        try t.require(rate.isFinite && rate > 0 && rate < 1, "learning_rate", "\(rate) must be a number between 0 and 1")
        try t.require("deterministic_shards", training.deterministicShards ?? 0, in: 0...training.batch)
        if let shards = deterministicShards {
            try t.require(training.batch % shards == 0, "deterministic_shards", "\(shards) does not divide the batch of \(training.batch)")
        }
        try t.require("checkpoint_every", checkpointEvery, in: 1...100_000_000)
    }

    /// The batch and the shards must split over the ranks.
    public func validate(ranks: Int, file: String) throws(JobError) {
        let t = Validator(file: file, section: "training")
        if let shards = deterministicShards {
            try t.require(shards % ranks == 0, "deterministic_shards", "\(shards) shards cannot be spread evenly over \(ranks) ranks")
        } else {
            try t.require(training.batch % ranks == 0, "batch", "\(training.batch) cannot be split evenly over \(ranks) ranks; use a multiple of \(ranks)")
        }
    }

    /// The target, the flow and the training.
    public func plan(ranks: Int) -> [String] {
        let c = couplings!
        return ["target: φ⁴ on \(phi4.extents.map(String.init).joined(separator: "×")), κ = \(c.kappa), λ = \(c.lambda) (hopping form)",
                "flow: \(flow.couplings) affine couplings, periodic \(flow.kernel ?? 3)×\(flow.kernel ?? 3) convolutions "
                    + "\(([1] + flow.hidden + [2]).map(String.init).joined(separator: " → ")) channels, \((flow.precision ?? .float32).rawValue)",
                "\(training.steps) steps of reverse KL, batch \(training.batch) (\(training.batch / max(1, ranks)) per rank on \(ranks)), Adam at "
                    + "\(training.learningRate ?? 1e-3)" + (deterministicShards.map { ", deterministic over \($0) shards" } ?? ", one allreduce")]
    }

    /// The flow's parameters and history in the run file; parameters and Adam's moments in a checkpoint.
    public func resources(ranks: Int) -> RunResources {
        let parameters = Double((try? CouplingFlow<Double>(extents: phi4.extents, architecture: architecture))?.parameterCount ?? 0)
        let scalar = (flow.precision ?? .float32) == .float64 ? 8.0 : 4.0
        let batchPerRank = Double(training.batch / max(1, ranks)), sites = Double(phi4.extents.reduce(1, *))
        return RunResources(runFileBytes: parameters * scalar + Double(training.steps) * 16, checkpointBytes: 3 * parameters * scalar + Double(training.steps) * 16,
                            memoryPerRankBytes: processBaseline + batchPerRank * sites * Double(flow.couplings) * Double(3 + 2 * (flow.hidden.max() ?? 1)) * 2 * scalar)
    }
}

extension FlowJob.Target {
    /// Checks the lattice and that exactly one form of the couplings is given, with a ground state.
    func check(_ p: Validator) throws(JobError) {
        try p.require(extents.count == 2, "extents", "\(extents): the flow is two-dimensional; give two extents")
        for (i, l) in extents.enumerated() {
            try p.require(l >= 4 && l <= 256 && l % 2 == 0, "extents[\(i)]", "\(l) must be even and between 4 and 256")
        }
        let hopping = kappa != nil || lambda != nil, standard = massSquared != nil || coupling != nil
        try p.require(hopping != standard, "kappa",
                      "give kappa (and lambda) for the hopping form, or mass_squared and coupling for the standard form, not both or neither")
        if hopping {
            try p.require(kappa != nil, "kappa", "missing: the hopping form needs kappa (lambda defaults to 0)")
            try p.require(kappa!.isFinite && kappa! > 0, "kappa", "\(kappa!) must be a positive number")
            try p.require((lambda ?? 0).isFinite && (lambda ?? 0) >= 0, "lambda", "\(lambda ?? 0) must be a number ≥ 0")
            try p.require((lambda ?? 0) > 0 || kappa! < 0.25, "kappa",
                          "\(kappa!) with lambda = 0 has no ground state in 2D: the free field needs kappa < 1/4")
        } else {
            try p.require(massSquared != nil && coupling != nil, massSquared == nil ? "mass_squared" : "coupling",
                          "missing: the standard form needs both mass_squared and coupling")
            try p.require(couplings != nil, "coupling",
                          "m₀² = \(massSquared!), g = \(coupling!) has no hopping form (need g ≥ 0 and m₀² > −2d)")
        }
    }
}
