import Foundation
import Lattice
import Phi4

extension Phi4Job {
    /// Checks every key: lattice, couplings in either form, integrator and tuning, intervals, and what the decomposition allows.
    public func validate(file: String) throws(JobError) {
        let top = Validator(file: file, section: "")
        try top.require(output.hasSuffix(".h5"), "output", "\"\(output)\" must end in .h5")
        let v = Validator(file: file, section: "phi4")
        let p = phi4, d = p.extents.count
        try v.require((2...4).contains(d), "extents", "\(p.extents) has \(d) entries; φ⁴ runs in 2, 3 or 4 dimensions, e.g. [32, 32]")
        for (i, l) in p.extents.enumerated() { try v.require("extents[\(i)]", l, in: 2...1 << 20) }
        let volume = p.extents.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
        try v.require(volume <= 1 << 32, "extents", "\(p.extents) has \(volume) sites; at most 2³²")
        if isStandardForm {
            try v.require(p.kappa == nil && p.kappaRange == nil && p.lambda == nil, "mass_squared",
                          "give the points either in the hopping form (kappa or kappa_range, and lambda) or in the standard form (mass_squared and coupling), not both")
            try validateStandardForm(v, dimension: d)
        } else {
            try v.require((p.kappa != nil) != (p.kappaRange != nil), "kappa", "give exactly one of kappa = [...] or kappa_range = { from, to, count }")
            try list(v, "kappa", p.kappa, "κ must be finite and ≥ 0") { $0 >= 0 }
            try p.kappaRange?.validate(v, key: "kappa_range", what: "κ must be finite and ≥ 0") { $0 >= 0 }
            try list(v, "lambda", p.lambda, "λ must be finite and ≥ 0") { $0 >= 0 }
        }
        try v.require(points.count <= 100_000, "kappa", "\(points.count) points; at most 100000")
        try v.require("chains", chains, in: 1...100_000)
        try v.require(trajectoryLength.isFinite && trajectoryLength > 0 && trajectoryLength <= 1000, "trajectory_length",
                      "\(trajectoryLength) is not valid: the trajectory length must be positive, finite and at most 1000")
        try v.require("steps", p.steps, in: 1...StepSizeTuner.maximumSteps)
        try v.require(targetAcceptance.isFinite && targetAcceptance > 0 && targetAcceptance < 1, "target_acceptance",
                      "\(targetAcceptance) is not valid: give an acceptance strictly between 0 and 1, e.g. 0.8")
        try v.require("thermalization", p.thermalization, in: 0...1 << 30)
        try v.require("trajectories", p.trajectories, in: 1...1 << 30)
        try v.require("measure_every", measureEvery, in: 1...p.trajectories)
        try v.require("save_every", saveEvery, in: 0...p.trajectories)
        try v.require("checkpoint_every", checkpointEvery, in: 1...(p.thermalization + p.trajectories))
        if let every = p.clusterEvery {
            try v.require("cluster_every", every, in: 0...(p.thermalization + p.trajectories))
            try v.require(every == 0 || decomposition == .replicas, "cluster_every",
                          "embedded-cluster updates need whole lattices; use decomposition = \"replicas\" or cluster_every = 0")
        }
        try v.require(fourierMass.isFinite && fourierMass > 0, "fourier_mass", "\(fourierMass) is not valid: the mass must be finite and > 0, e.g. 1.0")
        try v.require(!fourierAccelerated || decomposition == .replicas, "fourier_acceleration",
                      "Fourier acceleration transforms whole lattices, so it needs decomposition = \"replicas\", not \"\(decomposition.rawValue)\"")
        let bytes = Double(points.count * chains * samplesPerChain) * Double(volume) * (storesSinglePrecision ? 4 : 8)
        try v.require(bytes <= 64e9, "save_every", "would store \(Int(bytes / 1e9)) GB of configurations; at most 64 GB")
    }

    private func validateStandardForm(_ v: Validator, dimension d: Int) throws(JobError) {
        let p = phi4
        try v.require(p.massSquared != nil && p.coupling != nil, "mass_squared", "the standard form needs both mass_squared = [...] and coupling = [...]")
        try list(v, "mass_squared", p.massSquared, "m₀² must be finite") { _ in true }
        try list(v, "coupling", p.coupling, "g must be finite and ≥ 0") { $0 >= 0 }
        for g in p.coupling ?? [] {
            for m2 in p.massSquared ?? [] where Phi4Couplings(standard: StandardCouplings(massSquared: m2, quartic: g), dimension: d) == nil {
                throw JobError(file: v.file, key: "phi4.mass_squared",
                               "m₀² = \(m2) with g = \(g) has no hopping form with κ > 0 (at g = 0, m₀² must exceed −2d = \(-2 * d))")
            }
        }
    }

    /// A non-empty list whose entries are finite and pass `valid`.
    private func list(_ v: Validator, _ key: String, _ values: [Double]?, _ what: String, valid: (Double) -> Bool) throws(JobError) {
        guard let values else { return }
        try v.require(!values.isEmpty, key, "the list is empty; give at least one value")
        for (i, x) in values.enumerated() {
            try v.require(x.isFinite && valid(x), "\(key)[\(i)]", "\(x) is not valid: \(what)")
        }
    }

    /// Checks that the ranks can split the work: no more ranks than replicas, or than planes of a decomposed lattice.
    public func validate(ranks: Int, file: String) throws(JobError) {
        try Validator(file: file, section: "phi4").requireRanks(ranks, decomposition: decomposition, replicas: points.count * chains,
                                                                what: "points × chains", planes: phi4.extents[0])
    }

    /// The lattice, points, integrator, chains and decomposition, for `ensemble validate`.
    public func plan(ranks: Int) -> [String] {
        let d = phi4.extents.count, points = self.points
        let kappas = Set(points.map(\.kappa)).sorted(), lambdas = Set(points.map(\.lambda)).sorted()
        return [
            "\(phi4.extents.map(String.init).joined(separator: "×")) lattice (d = \(d)), \(points.count) points × \(chains) chain(s), \(decomposition.rawValue) over \(ranks) rank(s)",
            "κ from \(kappas.first!) to \(kappas.last!), λ from \(lambdas.first!) to \(lambdas.last!)"
                + (isStandardForm ? " (converted from m₀², g)" : ""),
            "\(start.rawValue) start, \(integrator.rawValue), τ = \(trajectoryLength), \(phi4.steps) steps at the start"
                + ((phi4.clusterEvery ?? 0) > 0 ? ", embedded clusters every \(phi4.clusterEvery!) trajectories" : "")
                + (tunes ? ", tuned to acceptance \(targetAcceptance) during thermalization" : ", not tuned")
                + (fourierAccelerated ? ", Fourier-accelerated (m² = \(fourierMass))" : ""),
            "\(phi4.thermalization) thermalization + \(phi4.trajectories) trajectories; measure every \(measureEvery), save every "
                + "\(saveEvery == 0 ? "never" : String(saveEvery)) (\(storesSinglePrecision ? "float32" : "float64")), checkpoint every \(checkpointEvery)",
        ]
    }

    /// The run file (series and saved configurations), the checkpoint (every field) and the memory per rank.
    public func resources(ranks: Int) -> RunResources {
        let volume = Double(phi4.extents.reduce(1, *)), replicas = Double(points.count * chains)
        let series = replicas * Double(measurements) * Double(Phi4Chain.observables(timeExtent: phi4.extents[0]).map(\.width).reduce(0, +)) * 8
        let configurations = replicas * Double(samplesPerChain) * volume * (storesSinglePrecision ? 4 : 8)
        let held = decomposition == .replicas ? (replicas / Double(ranks)).rounded(.up) * volume : replicas * (volume / Double(ranks)).rounded(.up)
        let fourier = fourierAccelerated ? 40 * volume : 0
        let clusters = (phi4.clusterEvery ?? 0) > 0 ? Double(points.count) * volume * 36 : 0
        return RunResources(runFileBytes: configurations + series + Double(samplesPerChain + measurements) * 8,
                            checkpointBytes: replicas * volume * 8,
                            memoryPerRankBytes: processBaseline + 48 * held + fourier + clusters + 2 * series)
    }
}
