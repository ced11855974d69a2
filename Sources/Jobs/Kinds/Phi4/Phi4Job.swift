import Foundation
import Lattice
import Phi4

/// A φ⁴ HMC job: a grid of (κ, λ) points × chains on one lattice, split over the ranks by
/// replicas or by domain.
public struct Phi4Job: JobDefinition {
    /// `kind = "phi4"` selects a φ⁴ HMC job; the summary is what `--help` and `ensemble validate` show.
    public static let kind = JobKind(
        "phi4", summary: "φ⁴ theory: Hybrid Monte Carlo (leapfrog or Omelyan) over a grid of (κ, λ) or (m₀², g) points",
        columns: Phi4Summary.columns,
        mainColumns: ["kappa", "lambda", "phi2", "abs_magnetization", "susceptibility", "binder", "correlation_length", "acceptance"])

    /// The top-level `kind`, `output` and `seed`.
    public var header: JobHeader
    /// The `[phi4]` section.
    public var phi4: Parameters

    /// Whether the points were given in the standard form (m₀², g).
    public var isStandardForm: Bool { phi4.massSquared != nil || phi4.coupling != nil }

    /// The points in the hopping form: every κ with every λ (λ outer, κ inner), or every m₀² with
    /// every g (g outer) converted. Points whose conversion fails are left out; `validate` reports them.
    public var points: [Phi4Couplings] {
        let d = phi4.extents.count
        if isStandardForm {
            return (phi4.coupling ?? []).flatMap { g in
                (phi4.massSquared ?? []).compactMap { Phi4Couplings(standard: StandardCouplings(massSquared: $0, quartic: g), dimension: d) }
            }
        }
        let kappas = phi4.kappa ?? phi4.kappaRange?.values ?? []
        return (phi4.lambda ?? [0]).flatMap { lambda in kappas.map { Phi4Couplings(kappa: $0, lambda: lambda) } }
    }

    /// Independent chains per point.
    public var chains: Int { phi4.chains ?? 1 }
    /// The molecular-dynamics integrator.
    public var integrator: Integrator { phi4.integrator ?? .omelyan }
    /// The molecular-dynamics time of a trajectory.
    public var trajectoryLength: Double { phi4.trajectoryLength ?? 1 }
    /// The acceptance the step count is tuned towards.
    public var targetAcceptance: Double { phi4.targetAcceptance ?? 0.8 }
    /// Tuning happens during thermalisation unless switched off.
    public var tunes: Bool { (phi4.tune ?? true) && phi4.thermalization > 0 }
    /// Trajectories between measurements.
    public var measureEvery: Int { phi4.measureEvery ?? 1 }
    /// Trajectories between saved configurations (0: none).
    public var saveEvery: Int { phi4.saveEvery ?? 0 }
    /// Trajectories between checkpoints.
    public var checkpointEvery: Int { phi4.checkpointEvery ?? max(1, (phi4.thermalization + phi4.trajectories) / 10) }
    /// Whether configurations are stored as float32.
    public var storesSinglePrecision: Bool { phi4.precision == .float32 }
    /// How the lattices are spread over the ranks.
    public var decomposition: Decomposition { phi4.decomposition ?? .replicas }
    /// How every chain's field starts.
    public var start: Phi4Start { phi4.start ?? .hot }
    /// Whether the kinetic term is Fourier-accelerated.
    public var fourierAccelerated: Bool { phi4.fourierAcceleration ?? false }
    /// m² of the Fourier kernel.
    public var fourierMass: Double { phi4.fourierMass ?? 1 }

    /// Measurements per chain and configurations saved per chain.
    public var measurements: Int { phi4.trajectories / measureEvery }
    /// Configurations saved per chain.
    public var samplesPerChain: Int { saveEvery > 0 ? phi4.trajectories / saveEvery : 0 }

    /// The engine's parameters.
    public var parameters: Phi4Parameters {
        Phi4Parameters(geometry: Geometry(extents: phi4.extents), points: points, chains: chains, integrator: integrator,
                       trajectoryLength: trajectoryLength, steps: phi4.steps, targetAcceptance: targetAcceptance,
                       decomposition: decomposition, start: start, fourierMass: fourierAccelerated ? fourierMass : nil,
                       clusterEvery: (phi4.clusterEvery ?? 0) > 0 ? phi4.clusterEvery : nil)
    }

    /// The `[phi4]` section; optional keys have the defaults in the README.
    public struct Parameters: Codable, Sendable {
        /// `extents`: the lattice size per direction, 2 to 4 dimensions, periodic.
        public var extents: [Int]
        /// `kappa`: the hopping parameters κ of the hopping form (one of this or `kappa_range`, with `lambda`).
        public var kappa: [Double]?
        /// `kappa_range`: κ as `{ from, to, count }`, evenly spaced.
        public var kappaRange: ValueRange?
        /// `lambda`: the quartic couplings λ of the hopping form; every κ with every λ; default [0].
        public var lambda: [Double]?
        /// `mass_squared`: m₀² of the standard form ½(∂φ)² + ½m₀²φ² + g/4! φ⁴ (with `coupling`, not with `kappa`).
        public var massSquared: [Double]?
        /// `coupling`: g of the standard form; every m₀² with every g.
        public var coupling: [Double]?
        /// `chains`: independent chains per point; default 1.
        public var chains: Int?
        /// `integrator`: `omelyan` (the default) or `leapfrog`.
        public var integrator: Integrator?
        /// `trajectory_length`: the molecular-dynamics time τ of a trajectory; default 1.
        public var trajectoryLength: Double?
        /// `steps`: integration steps per trajectory at the start (tuned during thermalisation unless `tune = false`).
        public var steps: Int
        /// `target_acceptance`: the acceptance the step count is tuned towards; default 0.8.
        public var targetAcceptance: Double?
        /// `tune`: whether the step count is tuned during thermalisation; default true.
        public var tune: Bool?
        /// `thermalization`: trajectories discarded before measuring.
        public var thermalization: Int
        /// `trajectories`: trajectories measured after thermalisation.
        public var trajectories: Int
        /// `measure_every`: trajectories between measurements; default 1.
        public var measureEvery: Int?
        /// `save_every`: trajectories between saved configurations; default 0, none saved.
        public var saveEvery: Int?
        /// `checkpoint_every`: trajectories between checkpoints; default a tenth of all trajectories.
        public var checkpointEvery: Int?
        /// `precision`: the stored configurations' precision, `float64` (the default) or `float32`; the simulation is float64.
        public var precision: Precision?
        /// `decomposition`: `replicas` (whole lattices over the ranks, the default) or `domain` (each lattice in slabs).
        public var decomposition: Decomposition?
        /// `start`: `hot` (φ uniform in (−1, 1), the default) or `cold` (φ = 1).
        public var start: Phi4Start?
        /// `cluster_every`: trajectories between embedded-Ising Swendsen–Wang updates; default 0, none.
        public var clusterEvery: Int?
        /// `fourier_acceleration`: Fourier-accelerated HMC (replicas only); default false.
        public var fourierAcceleration: Bool?
        /// `fourier_mass`: m² of the Fourier kernel M_p = (p̂² + m²)/(4d + m²); default 1.
        public var fourierMass: Double?
    }
}
