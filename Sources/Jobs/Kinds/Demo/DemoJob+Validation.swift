import Foundation

extension DemoJob {
    /// Checks every key: |ρ| < 1, chains, measurements and the checkpoint interval.
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

    /// The points, chains per rank and measurements, for `ensemble validate`.
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

    /// The run file (every measurement of every chain), the checkpoint and the memory per rank.
    public func resources(ranks: Int) -> RunResources {
        let points = Double(demo.autocorrelations.count), chains = Double(demo.chains), measurements = Double(demo.measurements)
        // Rank 0 keeps every series for the summary; every rank gathers a checkpoint's worth.
        return RunResources(runFileBytes: points * chains * measurements * 8 + measurements * 8,
                            checkpointBytes: points * chains * 8,
                            memoryPerRankBytes: processBaseline + points * chains * (measurements + Double(demo.checkpointEvery)) * 8
                                + 2 * measurements * 8)
    }
}
