import Cluster
import Foundation
import Logging

extension RBMJob {
    /// Checks every key's range.
    public func validate(file: String) throws(JobError) {
        try Validator(file: file, section: "").require(output.hasSuffix(".h5"), "output", "\"\(output)\" must end in .h5")
        let d = Validator(file: file, section: "data")
        try d.require(data.file.hasSuffix(".h5"), "file", "\"\(data.file)\" must be the .h5 run file of a φ⁴ job")
        try d.require("point", data.point ?? 0, in: 0...1_000_000)
        let r = Validator(file: file, section: "rbm")
        try r.require("hidden", rbm.hidden, in: 1...4096)
        try r.require((rbm.sigma ?? 1).isFinite && (rbm.sigma ?? 1) > 0, "sigma", "\(rbm.sigma ?? 1) must be a positive number")
        try r.require((rbm.massSquared ?? 4).isFinite && (rbm.massSquared ?? 4) > 0, "mass_squared", "\(rbm.massSquared ?? 4) must be a positive number")
        try r.require("samples", samples, in: 0...1_000_000)
        let t = Validator(file: file, section: "training")
        try t.require("steps", training.steps, in: 1...100_000_000)
        try t.require("shards", shards, in: 1...4096)
        try t.require("batch", batch, in: 1...1 << 20)
        try t.require(batch % shards == 0, "batch", "\(batch) is not a multiple of the \(shards) shards")
        try t.require("chains", chains, in: 1...1 << 20)
        try t.require("sweeps", training.sweeps ?? 1, in: 1...10_000)
        let rate = training.learningRate ?? 0.01
        try t.require(rate.isFinite && rate > 0 && rate < 1, "learning_rate", "\(rate) must be a number between 0 and 1")
        try t.require("warmup_steps", training.warmupSteps ?? training.steps / 10, in: 0...training.steps)
        try t.require("checkpoint_every", checkpointEvery, in: 1...training.steps)
    }

    /// Shards and chains must split over the ranks, and the data must be a free-field φ⁴ run.
    public func validate(ranks: Int, file: String) throws(JobError) {
        let t = Validator(file: file, section: "training")
        try t.require(shards % ranks == 0, "shards", "\(shards) shards cannot be spread evenly over \(ranks) ranks")
        try t.require(chains % ranks == 0, "chains", "\(chains) chains cannot be spread evenly over \(ranks) ranks")
        _ = try RBMData(job: self, readingConfigurations: false)
    }

    /// The data, the machine and the training.
    public func plan(ranks: Int) -> [String] {
        var lines = ["data: \(data.file), point \(data.point ?? 0)"]
        if let d = try? RBMData(job: self, readingConfigurations: false) {
            lines.append("\(d.count) configurations of \(d.extents.map(String.init).joined(separator: "×")), κ = \(d.kappa), λ = 0")
        }
        lines.append("RBM: N_h = \(rbm.hidden), σ = \(rbm.sigma ?? 1), μ² from \(rbm.massSquared ?? 4); \(training.steps) PCD steps, batch \(batch) "
                     + "in \(shards) shards, \(chains) chains × \(training.sweeps ?? 1) sweep(s), Adam at \(training.learningRate ?? 0.01)")
        return lines
    }

    /// What the input files are to this job, for messages.
    public static let inputRole = "RBM training data"
    /// The data file, which no output may replace.
    public var inputFiles: [String] { [data.file] }



    /// The kernel and weights, generated configurations, and the data on every rank.
    public func resources(ranks: Int) -> RunResources {
        let d = try? RBMData(job: self, readingConfigurations: false), v = Double(d?.sites ?? 64), h = Double(rbm.hidden)
        let state = (v * h + h + 1) * 8 * 3 + Double(chains) * (v + h) * 8
        return RunResources(runFileBytes: v * v * 8 + v * h * 8 + Double(samples) * v * 8 + Double(training.steps) * 16, checkpointBytes: state,
                            memoryPerRankBytes: processBaseline + Double((d?.count ?? 0) * (d?.sites ?? 0)) * 8 + v * v * 8 * 4 + state)
    }
}
