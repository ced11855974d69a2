import Foundation
import Lattice
import Numerics

/// The Ising model H = −J Σ⟨ij⟩ sᵢsⱼ − h Σᵢ sᵢ on a periodic hypercubic lattice, spins ±1 as `Int8`.
public struct IsingModel: Sendable, Equatable {
    /// The lattice.
    public let geometry: Geometry
    /// The coupling J (ferromagnetic when positive).
    public let coupling: Double
    /// The external field h.
    public let field: Double

    public init(geometry: Geometry, coupling: Double = 1, field: Double = 0) {
        self.geometry = geometry
        self.coupling = coupling
        self.field = field
    }
}

/// The update algorithms; a sweep of a job is one step of each listed algorithm, in order.
public enum UpdateAlgorithm: String, Sendable, CaseIterable {
    /// Checkerboard Metropolis: every site once, one colour after the other.
    case metropolis
    /// Checkerboard heat bath: every site drawn anew from its conditional distribution.
    case heatBath = "heat_bath"
    /// One Wolff single cluster (Wolff 1989).
    case wolff
    /// Swendsen–Wang: all clusters, each flipped with its conditional probability (Swendsen & Wang 1987).
    case swendsenWang = "swendsen_wang"

    /// Whether it updates sites one colour at a time and so can run on a decomposed lattice.
    public var isLocal: Bool { self == .metropolis || self == .heatBath }
}

extension RandomStream.Purpose {
    /// Checkerboard updates: the random bit-planes of `RandomPlanes`.
    public static let isingLocal = RandomStream.Purpose(rawValue: 32)
    /// Wolff: the seed site and bond activations of a cluster.
    public static let isingWolff = RandomStream.Purpose(rawValue: 33)
    /// Swendsen–Wang: bond activations (by site and axis) and cluster flips (by root site).
    public static let isingSwendsenWang = RandomStream.Purpose(rawValue: 34)
    /// Replica exchange decisions.
    public static let isingExchange = RandomStream.Purpose(rawValue: 35)
    /// Initial configurations.
    public static let isingStart = RandomStream.Purpose(rawValue: 36)
}

/// Acceptance thresholds for the 32-bit random words of the checkerboard updates: a word u accepts
/// when u < threshold, so a probability p becomes ⌊p·2³²⌋ (2³² for certainty).
///
/// Metropolis is indexed by (spin is +1) · (2d+1) + (Σ neighbours + 2d)/2; heat bath by the
/// neighbour-sum index alone and gives the probability of +1.
public struct Thresholds: Sendable {
    public let metropolis: [UInt64]
    public let heatBath: [UInt64]

    public init(model: IsingModel, beta: Double) {
        let d = model.geometry.dimension, j = model.coupling, h = model.field
        func threshold(_ p: Double) -> UInt64 { p >= 1 ? 1 << 32 : UInt64((p * 4_294_967_296).rounded(.down)) }
        var metropolis: [UInt64] = []
        for spin in [-1.0, 1.0] {
            for k in 0...(2 * d) {
                let sum = Double(2 * k - 2 * d)
                let deltaE = 2 * spin * (j * sum + h)
                metropolis.append(threshold(deltaE <= 0 ? 1 : exp(-beta * deltaE)))
            }
        }
        self.metropolis = metropolis
        self.heatBath = (0...(2 * d)).map { k in
            let local = j * Double(2 * k - 2 * d) + h
            return threshold(1 / (1 + exp(-2 * beta * local)))
        }
    }
}
