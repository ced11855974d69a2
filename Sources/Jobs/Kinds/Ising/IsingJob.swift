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

    public func execute(_ context: RunContext) throws -> RunOutcome {
        try ChainRunner(context: context).run(IsingChain(job: self, context: context))
    }

    public var recordsIncrementally: Bool { true }
}
