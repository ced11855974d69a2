import Foundation
import Ising
import Lattice

extension IsingJob {
    /// Checks every key: lattice, couplings, points, algorithms against the decomposition, and the intervals.
    public func validate(file: String) throws(JobError) {
        let top = Validator(file: file, section: "")
        try top.require(output.hasSuffix(".h5"), "output", "\"\(output)\" must end in .h5")
        let v = Validator(file: file, section: "ising")
        let p = ising
        try v.require(p.extents.count == 2 || p.extents.count == 3, "extents",
                      "\(p.extents) has \(p.extents.count) entries; give 2 (a 2D lattice) or 3 (3D), e.g. [32, 32]")
        for (i, l) in p.extents.enumerated() { try v.require("extents[\(i)]", l, in: 2...1 << 20) }
        let volume = p.extents.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
        try v.require(volume <= 1 << 34, "extents", "\(p.extents) has \(volume) sites; at most 2³⁴")
        try v.requireFinite("coupling", p.coupling ?? 1)
        try v.requireFinite("field", p.field ?? 0)
        let given = [p.temperatures != nil, p.temperatureRange != nil, p.betas != nil].filter { $0 }.count
        try v.require(given == 1, "temperatures",
                      "give exactly one of temperatures = [...], temperature_range = { from, to, count } or betas = [...]")
        if let list = p.betas {
            try v.require(!list.isEmpty, "betas", "the list is empty; give at least one β")
            for (i, b) in list.enumerated() {
                try v.require(b.isFinite && b > 0, "betas[\(i)]", "\(b) is not valid: β must be positive and finite")
            }
        }
        if let list = p.temperatures {
            try v.require(!list.isEmpty, "temperatures", "the list is empty; give at least one temperature")
            for (i, t) in list.enumerated() {
                try v.require(t.isFinite && t > 0, "temperatures[\(i)]", "\(t) is not valid: a temperature must be positive and finite")
            }
        }
        if let r = p.temperatureRange {
            try r.validate(v, key: "temperature_range", what: "a temperature must be positive and finite") { $0 > 0 }
        }
        try v.require("chains", chains, in: 1...100_000)
        try v.require(!p.algorithms.isEmpty, "algorithms", "the list is empty; give one or more of \(UpdateAlgorithm.validWords)")
        if algorithms.contains(where: \.isLocal) {
            for (i, l) in p.extents.enumerated() where l % 2 != 0 {
                throw JobError(file: file, key: "ising.extents[\(i)]", "\(l) is odd; the checkerboard updates (metropolis, heat_bath) need even extents")
            }
        }
        if decomposition == .domain {
            let cluster = algorithms.filter { !$0.isLocal }.map(\.rawValue)
            try v.require(cluster.isEmpty, "algorithms", "\(cluster.joined(separator: ", ")) cannot run on a decomposed lattice; use metropolis or heat_bath with decomposition = \"domain\"")
        }
        try v.require("thermalization", p.thermalization, in: 0...1 << 30)
        try v.require("sweeps", p.sweeps, in: 1...1 << 30)
        try v.require("measure_every", measureEvery, in: 1...p.sweeps)
        try v.require("save_every", saveEvery, in: 0...p.sweeps)
        try v.require("checkpoint_every", checkpointEvery, in: 1...(p.thermalization + p.sweeps))
        try v.require("exchange_every", p.exchangeEvery ?? 0, in: 0...(p.thermalization + p.sweeps))
        let stored = Double(temperatures.count * chains * samplesPerChain) * Double(volume)
        try v.require(stored <= 64e9, "save_every", "would store \(Int(stored / 1e9)) GB of configurations; at most 64 GB")
    }

    /// Checks that the ranks can split the work: no more ranks than replicas, or than planes of a decomposed lattice.
    public func validate(ranks: Int, file: String) throws(JobError) {
        try Validator(file: file, section: "ising").requireRanks(ranks, decomposition: decomposition, replicas: temperatures.count * chains,
                                                                 what: "temperatures × chains", planes: ising.extents[0])
    }

    /// The lattice, points, chains, updates and decomposition, for `ensemble validate`.
    public func plan(ranks: Int) -> [String] {
        let t = temperatures
        return [
            "\(ising.extents.map(String.init).joined(separator: "×")) lattice, J = \(ising.coupling ?? 1), h = \(ising.field ?? 0)",
            "\(t.count) temperatures from \(t.min()!) to \(t.max()!) × \(chains) chain(s), \(decomposition.rawValue) over \(ranks) rank(s)",
            "sweep = \(ising.algorithms.map(\.rawValue).joined(separator: " + ")); \(ising.thermalization) thermalization + \(ising.sweeps) measured sweeps",
            "measure every \(measureEvery), save a configuration every \(saveEvery == 0 ? "never" : String(saveEvery)), checkpoint every \(checkpointEvery)"
                + ((ising.exchangeEvery ?? 0) > 0 ? ", replica exchange every \(ising.exchangeEvery!)" : ""),
        ]
    }

    /// The run file (series and saved configurations), the checkpoint (every spin) and the memory per rank.
    public func resources(ranks: Int) -> RunResources {
        let volume = Double(model.geometry.volume), replicas = Double(temperatures.count * chains)
        let series = Double(IsingChain.observables.count) * replicas * Double(measurements) * 8
        let configurations = replicas * Double(samplesPerChain) * volume
        // Replicas are whole lattices spread over the ranks, or every replica split in planes.
        let held = decomposition == .replicas ? (replicas / Double(ranks)).rounded(.up) * volume : replicas * (volume / Double(ranks)).rounded(.up)
        let cluster = algorithms.contains { !$0.isLocal } ? volume * (8 * Double(model.geometry.dimension) + 24) : 0
        return RunResources(runFileBytes: configurations + series + Double(samplesPerChain + measurements) * 8,
                            checkpointBytes: replicas * volume,
                            memoryPerRankBytes: processBaseline + 3 * held + cluster + 2 * series)
    }
}
