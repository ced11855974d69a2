import Foundation
import Lattice
import Phi4

/// A φ⁴ HMC job: a grid of (κ, λ) points × chains on one lattice, split over the ranks by
/// replicas or by domain.
public struct Phi4Job: JobDefinition {
    public static let kind = "phi4"
    public static let summary = "φ⁴ theory: Hybrid Monte Carlo (leapfrog or Omelyan) over a grid of (κ, λ) or (m₀², g) points"

    public var kind: String = Phi4Job.kind
    public var output: String
    public var seed: UInt64
    public var phi4: Parameters

    /// The `[phi4]` section; optional keys have the defaults in the README.
    public struct Parameters: Codable, Sendable {
        public var extents: [Int]
        public var kappa: [Double]?
        public var kappaRange: ValueRange?
        public var lambda: [Double]?
        public var massSquared: [Double]?
        public var coupling: [Double]?
        public var chains: Int?
        public var integrator: Integrator?
        public var trajectoryLength: Double?
        public var steps: Int
        public var targetAcceptance: Double?
        public var tune: Bool?
        public var thermalization: Int
        public var trajectories: Int
        public var measureEvery: Int?
        public var saveEvery: Int?
        public var checkpointEvery: Int?
        public var precision: Precision?
        public var decomposition: Decomposition?
        public var start: Phi4Start?
        public var clusterEvery: Int?
        public var fourierAcceleration: Bool?
        public var fourierMass: Double?

        enum CodingKeys: String, CodingKey {
            case extents, kappa, lambda, coupling, chains, integrator, steps, tune, thermalization, trajectories, precision, decomposition, start
            case kappaRange = "kappa_range"
            case massSquared = "mass_squared"
            case trajectoryLength = "trajectory_length"
            case targetAcceptance = "target_acceptance"
            case measureEvery = "measure_every"
            case saveEvery = "save_every"
            case checkpointEvery = "checkpoint_every"
            case clusterEvery = "cluster_every"
            case fourierAcceleration = "fourier_acceleration"
            case fourierMass = "fourier_mass"
        }
    }

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

    public var chains: Int { phi4.chains ?? 1 }
    public var integrator: Integrator { phi4.integrator ?? .omelyan }
    public var trajectoryLength: Double { phi4.trajectoryLength ?? 1 }
    public var targetAcceptance: Double { phi4.targetAcceptance ?? 0.8 }
    /// Tuning happens during thermalisation unless switched off.
    public var tunes: Bool { (phi4.tune ?? true) && phi4.thermalization > 0 }
    public var measureEvery: Int { phi4.measureEvery ?? 1 }
    public var saveEvery: Int { phi4.saveEvery ?? 0 }
    public var checkpointEvery: Int { phi4.checkpointEvery ?? max(1, (phi4.thermalization + phi4.trajectories) / 10) }
    public var storesSinglePrecision: Bool { phi4.precision == .float32 }
    public var decomposition: Decomposition { phi4.decomposition ?? .replicas }
    public var start: Phi4Start { phi4.start ?? .hot }
    public var fourierAccelerated: Bool { phi4.fourierAcceleration ?? false }
    public var fourierMass: Double { phi4.fourierMass ?? 1 }

    /// Measurements per chain and configurations saved per chain.
    public var measurements: Int { phi4.trajectories / measureEvery }
    public var samplesPerChain: Int { saveEvery > 0 ? phi4.trajectories / saveEvery : 0 }

    /// The engine's parameters.
    public var parameters: Phi4Parameters {
        Phi4Parameters(geometry: Geometry(extents: phi4.extents), points: points, chains: chains, integrator: integrator,
                       trajectoryLength: trajectoryLength, steps: phi4.steps, targetAcceptance: targetAcceptance,
                       decomposition: decomposition, start: start, fourierMass: fourierAccelerated ? fourierMass : nil,
                       clusterEvery: (phi4.clusterEvery ?? 0) > 0 ? phi4.clusterEvery : nil)
    }

    public func execute(_ context: RunContext) throws -> RunOutcome {
        try ChainRunner(context: context).run(Phi4Chain(job: self, context: context))
    }

    public var recordsIncrementally: Bool { true }
}
