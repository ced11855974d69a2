import Foundation
import Ising
import Lattice

/// An Ising job: temperatures × chains of one lattice, split over the ranks by replicas or by domain.
public struct IsingJob: JobDefinition {
    public static let kind = "ising"
    public static let summary = "Ising model: checkerboard Metropolis/heat bath, Wolff and Swendsen–Wang clusters, replica exchange"

    public var kind: String = IsingJob.kind
    public var output: String
    public var seed: UInt64
    public var ising: Parameters

    /// The `[ising]` section; optional keys have the defaults in the README.
    public struct Parameters: Codable, Sendable {
        public var extents: [Int]
        public var coupling: Double?
        public var field: Double?
        public var temperatures: [Double]?
        public var temperatureRange: ValueRange?
        public var betas: [Double]?
        public var chains: Int?
        public var algorithms: [UpdateAlgorithm]
        public var decomposition: Decomposition?
        public var thermalization: Int
        public var sweeps: Int
        public var measureEvery: Int?
        public var saveEvery: Int?
        public var checkpointEvery: Int?
        public var exchangeEvery: Int?

        enum CodingKeys: String, CodingKey {
            case extents, coupling, field, temperatures, betas, chains, algorithms, decomposition, thermalization, sweeps
            case temperatureRange = "temperature_range"
            case measureEvery = "measure_every"
            case saveEvery = "save_every"
            case checkpointEvery = "checkpoint_every"
            case exchangeEvery = "exchange_every"
        }
    }

    /// The temperatures of the points, in the order given.
    public var temperatures: [Double] {
        if let list = ising.temperatures { return list }
        if let betas = ising.betas { return betas.map { 1 / $0 } }
        return ising.temperatureRange?.values ?? []
    }

    /// The inverse temperatures, exactly as given when the job lists `betas`.
    public var betas: [Double] { ising.betas ?? temperatures.map { 1 / $0 } }

    public var chains: Int { ising.chains ?? 1 }
    public var measureEvery: Int { ising.measureEvery ?? 1 }
    public var saveEvery: Int { ising.saveEvery ?? 0 }
    public var checkpointEvery: Int { ising.checkpointEvery ?? max(1, ising.sweeps / 10) }
    public var decomposition: Decomposition { ising.decomposition ?? .replicas }
    public var algorithms: [UpdateAlgorithm] { ising.algorithms }
    public var model: IsingModel {
        IsingModel(geometry: Geometry(extents: ising.extents), coupling: ising.coupling ?? 1, field: ising.field ?? 0)
    }

    /// The engine's parameters.
    public var parameters: IsingParameters {
        IsingParameters(model: model, betas: betas, chains: chains, algorithms: algorithms,
                        decomposition: decomposition, exchangeEvery: (ising.exchangeEvery ?? 0) > 0 ? ising.exchangeEvery : nil)
    }

    /// Measurements per chain and configurations saved per chain.
    public var measurements: Int { ising.sweeps / measureEvery }
    public var samplesPerChain: Int { saveEvery > 0 ? ising.sweeps / saveEvery : 0 }

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

    public func validate(ranks: Int, file: String) throws(JobError) {
        try Validator(file: file, section: "ising").requireRanks(ranks, decomposition: decomposition, replicas: temperatures.count * chains,
                                                                 what: "temperatures × chains", planes: ising.extents[0])
    }

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
}
