import Ising
import Numerics
import XCTest

/// Every update algorithm against exact finite-lattice results, at 4σ of its Γ-method error.
final class SamplerTests: XCTestCase {
    static let temperatures = [2.0, ExactIsing2D.criticalTemperature, 2.5]

    func checkAgainstExact(_ algorithms: [UpdateAlgorithm], sweeps4: Int, sweeps8: Int) throws {
        let exact4 = Enumeration(rows: 4, columns: 4)
        let small = try Sampled.run(extents: [4, 4], temperatures: Self.temperatures, algorithms: algorithms, sweeps: sweeps4)
        for (t, sample) in zip(Self.temperatures, small) {
            let exact = exact4.averages(beta: 1 / t)
            assertWithinFourSigma(sample.energy, exact.energyPerSite, "\(algorithms) L=4 T=\(t) energy")
            assertWithinFourSigma(sample.specificHeat, exact.specificHeatPerSite, "\(algorithms) L=4 T=\(t) specific heat")
            assertWithinFourSigma(sample.absMagnetization, exact.absoluteMagnetization, "\(algorithms) L=4 T=\(t) |m|")
        }
        let large = try Sampled.run(extents: [8, 8], temperatures: Self.temperatures, algorithms: algorithms, sweeps: sweeps8)
        for (t, sample) in zip(Self.temperatures, large) {
            let exact = ExactIsing2D.kaufman(rows: 8, columns: 8, beta: 1 / t)
            assertWithinFourSigma(sample.energy, exact.energyPerSite, "\(algorithms) L=8 T=\(t) energy")
            assertWithinFourSigma(sample.specificHeat, exact.specificHeatPerSite, "\(algorithms) L=8 T=\(t) specific heat")
        }
    }

    func testMetropolis() throws { try checkAgainstExact([.metropolis], sweeps4: 100_000, sweeps8: 60_000) }
    func testHeatBath() throws { try checkAgainstExact([.heatBath], sweeps4: 100_000, sweeps8: 60_000) }
    func testWolff() throws { try checkAgainstExact([.wolff], sweeps4: 100_000, sweeps8: 60_000) }
    func testSwendsenWang() throws { try checkAgainstExact([.swendsenWang], sweeps4: 60_000, sweeps8: 30_000) }

    /// The L = 4 energy histogram against the exact distribution, by a χ² test whose sample size is
    /// the effective one, N/(2τ_int).
    func testEnergyHistogramMatchesExactDistribution() throws {
        for algorithm in [UpdateAlgorithm.metropolis, .wolff] {
            let t = ExactIsing2D.criticalTemperature
            let sample = try Sampled.run(extents: [4, 4], temperatures: [t], algorithms: [algorithm], sweeps: 200_000)[0]
            let exact = Enumeration(rows: 4, columns: 4).energyDistribution(beta: 1 / t)
            let n = Double(sample.totalEnergies.count), effective = n / (2 * sample.energy.tauInt)
            var observed: [Int: Double] = [:]
            for e in sample.totalEnergies { observed[e, default: 0] += 1 }
            var chi2 = 0.0, bins = 0
            for (value, p) in zip(exact.values, exact.probabilities) where p * effective >= 5 {
                let o = (observed[value] ?? 0) / n
                chi2 += effective * (o - p) * (o - p) / p
                bins += 1
            }
            XCTAssertGreaterThan(bins, 3)
            // 99.9% quantile of χ² with `bins − 1` degrees of freedom, from the Wilson–Hilferty form.
            let k = Double(bins - 1), z = 3.09
            let limit = k * pow(1 - 2 / (9 * k) + z * (2 / (9 * k)).squareRoot(), 3)
            XCTAssertLessThan(chi2, limit, "\(algorithm): χ² = \(chi2) for \(bins - 1) degrees of freedom")
        }
    }

    func testReplicaExchangeKeepsExactResults() throws {
        let temperatures = [2.0, 2.2, ExactIsing2D.criticalTemperature, 2.5]
        let samples = try Sampled.run(extents: [4, 4], temperatures: temperatures, algorithms: [.metropolis], sweeps: 100_000, exchangeEvery: 1)
        let exact = Enumeration(rows: 4, columns: 4)
        for (t, sample) in zip(temperatures, samples) {
            assertWithinFourSigma(sample.energy, exact.averages(beta: 1 / t).energyPerSite, "tempering T=\(t) energy")
            assertWithinFourSigma(sample.specificHeat, exact.averages(beta: 1 / t).specificHeatPerSite, "tempering T=\(t) c")
        }
    }

    func testFieldIsHandledByEveryAlgorithm() throws {
        let exact = Enumeration(rows: 4, columns: 4).averages(beta: 1 / 2.5, field: 0.3)
        for algorithm in UpdateAlgorithm.allCases {
            let sample = try Sampled.run(extents: [4, 4], temperatures: [2.5], algorithms: [algorithm], sweeps: 60_000, field: 0.3)[0]
            // The enumeration's energy is the bond energy; the engine's includes −h·m.
            assertWithinFourSigma(sample.energy, exact.energyPerSite - 0.3 * exact.magnetization, "\(algorithm) h=0.3 energy")
        }
    }

    /// At T_c on L = 32, cluster updates decorrelate |m| far faster than Metropolis (reported and ordered).
    func testClusterAlgorithmsBeatMetropolisAtTc() throws {
        let t = ExactIsing2D.criticalTemperature
        var tau: [UpdateAlgorithm: Double] = [:]
        for algorithm in [UpdateAlgorithm.metropolis, .swendsenWang] {
            tau[algorithm] = try Sampled.run(extents: [32, 32], temperatures: [t], algorithms: [algorithm], sweeps: 20_000)[0].absMagnetization.tauInt
        }
        print("τ_int(|m|) at T_c, L = 32: Metropolis \(tau[.metropolis]!), Swendsen–Wang \(tau[.swendsenWang]!)")
        XCTAssertLessThan(tau[.swendsenWang]! * 4, tau[.metropolis]!)
    }
}
