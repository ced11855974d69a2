import Cluster
import Ising
import Lattice
import Numerics
import XCTest

/// Runs an Ising simulation in this process (one rank) and analyses its series with the Γ-method.
struct Sampled {
    let energy: GammaAnalysis
    let specificHeat: GammaAnalysis
    let absMagnetization: GammaAnalysis
    let binder: GammaAnalysis
    /// Energies E = V·e of every measurement, for histogram tests.
    let totalEnergies: [Int]

    /// Samples temperature `index` of a simulation (all its chains concatenated is not needed: one chain).
    static func run(extents: [Int], temperatures: [Double], algorithms: [UpdateAlgorithm], sweeps: Int,
                    thermalization: Int = 200, exchangeEvery: Int? = nil, field: Double = 0, seed: UInt64 = 11) throws -> [Sampled] {
        let model = IsingModel(geometry: Geometry(extents: extents), coupling: 1, field: field)
        let parameters = IsingParameters(model: model, betas: temperatures.map { 1 / $0 }, chains: 1, algorithms: algorithms,
                                         decomposition: .replicas, exchangeEvery: exchangeEvery)
        let simulation = IsingSimulation(parameters: parameters, seed: seed, communicator: try Communicator.world())
        var e = [[Double]](repeating: [], count: temperatures.count), m = e
        for sweep in 0..<(thermalization + sweeps) {
            try simulation.sweep(sweep)
            guard sweep >= thermalization else { continue }
            for value in try simulation.measure() {
                e[value.temperature].append(value.measurement.energy)
                m[value.temperature].append(value.measurement.magnetization)
            }
        }
        let volume = Double(model.geometry.volume)
        return try temperatures.indices.map { t in
            let beta = 1 / temperatures[t]
            let a = m[t].map(abs), m2 = m[t].map { $0 * $0 }
            return Sampled(
                energy: try GammaAnalysis(e[t]),
                specificHeat: try GammaAnalysis([e[t], e[t].map { $0 * $0 }]) { beta * beta * volume * ($0[1] - $0[0] * $0[0]) },
                absMagnetization: try GammaAnalysis(a),
                binder: try GammaAnalysis.binderCumulant(m2: m2, m4: m2.map { $0 * $0 }),
                totalEnergies: e[t].map { Int(($0 * volume).rounded()) })
        }
    }
}

/// Asserts |estimate − exact| ≤ 4σ, with σ the Γ-method error (never widened).
func assertWithinFourSigma(_ estimate: GammaAnalysis, _ exact: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertGreaterThan(estimate.error, 0, "\(what): no error estimate", file: file, line: line)
    XCTAssertLessThanOrEqual(abs(estimate.value - exact), 4 * estimate.error,
                             "\(what): \(estimate.value) ± \(estimate.error) vs exact \(exact) (τ_int \(estimate.tauInt))", file: file, line: line)
}
