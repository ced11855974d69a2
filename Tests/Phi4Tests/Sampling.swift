import Cluster
import Lattice
import Numerics
import Phi4
import XCTest

/// One HMC chain run in this process on a whole lattice, with its series.
struct Chain {
    let hmc: HybridMonteCarlo
    var deltaH: [Double] = []
    var accepted: [Double] = []
    var measurements: [Phi4Measurement] = []
    /// ⟨φₓ φₓ₊ê₀⟩ of each measured configuration, averaged over x.
    var nearestNeighbour: [Double] = []

    /// A chain on the whole lattice; with `fourierMass`, Fourier-accelerated with that m².
    init(extents: [Int], kappa: Double, lambda: Double, seed: UInt64 = 5, replica: Int = 0, fourierMass: Double? = nil) throws {
        let geometry = Geometry(extents: extents)
        let action = Phi4Action(geometry: geometry, couplings: Phi4Couplings(kappa: kappa, lambda: lambda))
        hmc = HybridMonteCarlo(action: action, decomposition: SlabDecomposition(geometry: geometry, parts: 1)!, part: 0,
                               replica: replica, seed: seed, communicator: try Communicator.world(),
                               accelerator: fourierMass.map { FourierAccelerator(geometry: geometry, mass: $0) })
    }

    /// Runs `thermalization` unrecorded then `count` recorded trajectories.
    mutating func run(_ count: Int, thermalization: Int, integrator: Integrator = .leapfrog, steps: Int, length: Double = 1) throws {
        for t in 0..<(thermalization + count) {
            let outcome = try hmc.trajectory(t, integrator: integrator, steps: steps, stepSize: length / Double(steps))
            guard t >= thermalization else { continue }
            deltaH.append(outcome.deltaH)
            accepted.append(outcome.accepted ? 1 : 0)
            measurements.append(try hmc.measure())
            let phi = hmc.field.owned, v = hmc.field.planeVolume, n = phi.count
            var sum = 0.0
            for i in 0..<n { sum += phi[i] * phi[(i + v) % n] }
            nearestNeighbour.append(sum / Double(n))
        }
    }
}

/// Asserts |estimate − exact| ≤ 4σ, with σ the Γ-method error (never widened).
func assertWithinFourSigma(_ series: [Double], _ exact: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let estimate = try GammaAnalysis(series)
    XCTAssertGreaterThan(estimate.error, 0, "\(what): no error estimate", file: file, line: line)
    XCTAssertLessThanOrEqual(abs(estimate.value - exact), 4 * estimate.error,
                             "\(what): \(estimate.value) ± \(estimate.error) vs exact \(exact) (τ_int \(estimate.tauInt))", file: file, line: line)
}

extension Chain {
    /// Like `run`, with one embedded-cluster update after every trajectory.
    mutating func runWithClusters(_ count: Int, thermalization: Int, integrator: Integrator = .omelyan, steps: Int) throws {
        let action = hmc.action
        let clusters = EmbeddedClusters(geometry: action.geometry, kappa: action.couplings.kappa, seed: hmc.seed)
        for t in 0..<(thermalization + count) {
            let outcome = try hmc.trajectory(t, integrator: integrator, steps: steps, stepSize: 1 / Double(steps))
            clusters.update(hmc.field.owned, replica: hmc.replica, update: t)
            guard t >= thermalization else { continue }
            deltaH.append(outcome.deltaH)
            accepted.append(outcome.accepted ? 1 : 0)
            measurements.append(try hmc.measure())
        }
    }
}
