import Foundation
import Ising
import Lattice

/// An Ising job: temperatures × chains of one lattice, split over the ranks by replicas or by domain.
public struct IsingJob: JobDefinition {
    /// `kind = "ising"` selects an Ising job; the summary is what `--help` and `ensemble validate` show.
    public static let kind = JobKind(
        "ising", summary: "Ising model: checkerboard Metropolis/heat bath, Wolff and Swendsen–Wang clusters, replica exchange",
        columns: IsingSummary.columns,
        mainColumns: ["temperature", "energy", "specific_heat", "abs_magnetization", "susceptibility", "binder"])

    /// The top-level `kind`, `output` and `seed`.
    public var header: JobHeader
    /// The `[ising]` section.
    public var ising: Parameters

    /// The temperatures of the points, in the order given.
    public var temperatures: [Double] {
        if let list = ising.temperatures { return list }
        if let betas = ising.betas { return betas.map { 1 / $0 } }
        return ising.temperatureRange?.values ?? []
    }

    /// The inverse temperatures, exactly as given when the job lists `betas`.
    public var betas: [Double] { ising.betas ?? temperatures.map { 1 / $0 } }

    /// Independent chains per temperature.
    public var chains: Int { ising.chains ?? 1 }
    /// Sweeps between measurements.
    public var measureEvery: Int { ising.measureEvery ?? 1 }
    /// Sweeps between saved configurations (0: none).
    public var saveEvery: Int { ising.saveEvery ?? 0 }
    /// Sweeps between checkpoints.
    public var checkpointEvery: Int { ising.checkpointEvery ?? max(1, ising.sweeps / 10) }
    /// How the lattices are spread over the ranks.
    public var decomposition: Decomposition { ising.decomposition ?? .replicas }
    /// The updates of one sweep, in order.
    public var algorithms: [UpdateAlgorithm] { ising.algorithms }
    /// The lattice, coupling and field.
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
    /// Configurations saved per chain.
    public var samplesPerChain: Int { saveEvery > 0 ? ising.sweeps / saveEvery : 0 }

    /// The `[ising]` section; optional keys have the defaults in the README.
    public struct Parameters: Codable, Sendable {
        /// `extents`: the lattice size per direction, 2D or 3D, periodic.
        public var extents: [Int]
        /// `coupling`: J of H = −J Σ sᵢsⱼ − h Σ sᵢ; default 1.
        public var coupling: Double?
        /// `field`: h of H = −J Σ sᵢsⱼ − h Σ sᵢ; default 0.
        public var field: Double?
        /// `temperatures`: the points as a list of T (one of this, `temperature_range` or `betas`).
        public var temperatures: [Double]?
        /// `temperature_range`: the points as `{ from, to, count }`, evenly spaced in T.
        public var temperatureRange: ValueRange?
        /// `betas`: the points as inverse temperatures β = 1/T, kept exactly as given.
        public var betas: [Double]?
        /// `chains`: independent chains per temperature; default 1.
        public var chains: Int?
        /// `algorithms`: one sweep is one step of each, in this order (metropolis, heat_bath, wolff, swendsen_wang).
        public var algorithms: [UpdateAlgorithm]
        /// `decomposition`: `replicas` (whole lattices over the ranks, the default) or `domain` (each lattice in slabs).
        public var decomposition: Decomposition?
        /// `thermalization`: sweeps discarded before measuring.
        public var thermalization: Int
        /// `sweeps`: sweeps measured after thermalisation.
        public var sweeps: Int
        /// `measure_every`: sweeps between measurements; default 1.
        public var measureEvery: Int?
        /// `save_every`: sweeps between saved configurations; default 0, none saved.
        public var saveEvery: Int?
        /// `checkpoint_every`: sweeps between checkpoints; default a tenth of `sweeps`.
        public var checkpointEvery: Int?
        /// `exchange_every`: sweeps between replica-exchange rounds of neighbouring temperatures; default 0, none.
        public var exchangeEvery: Int?
    }
}
