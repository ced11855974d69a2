import Foundation
import Ising
import XCTest

/// Exhaustive enumeration against REFERENCE.md, the literature's 4 × 4 density of states, and a
/// plain loop over states and bonds written independently of the bit tricks.
final class ExactEnumerationTests: XCTestCase {
    func testReferenceMagnetisationForL4AtCriticalPoint() {
        let a = Enumeration(rows: 4, columns: 4).averages(beta: ExactIsing2D.criticalCoupling)
        XCTAssertEqual(a.logPartitionFunction, 15.521915458755, accuracy: 1e-10)
        XCTAssertEqual(a.energyPerSite, -1.565623787638, accuracy: 1e-10)
        XCTAssertEqual(a.specificHeatPerSite, 0.783266825929, accuracy: 1e-10)
        XCTAssertEqual(a.absoluteMagnetization, 0.843860444813, accuracy: 1e-10)
        XCTAssertEqual(a.magnetizationSquared, 0.761358908569, accuracy: 1e-10)
        XCTAssertEqual(a.binderCumulant, 0.617199318412, accuracy: 1e-10)
        XCTAssertEqual(a.magnetization, 0, accuracy: 1e-15)
        XCTAssertEqual(a.susceptibility,
                       ExactIsing2D.criticalCoupling * 16 * (a.magnetizationSquared - pow(a.absoluteMagnetization, 2)),
                       accuracy: 1e-12)
        XCTAssertEqual(a.connectedSusceptibility, ExactIsing2D.criticalCoupling * 16 * a.magnetizationSquared,
                       accuracy: 1e-12)
    }

    /// g(E) of the 4 × 4 torus as tabulated by Beale, Phys. Rev. Lett. 76, 78 (1996).
    func testDensityOfStatesOf4x4MatchesLiterature() {
        let g = Enumeration(rows: 4, columns: 4).energyDensityOfStates
        let expected: [(Int, UInt64)] = [(-32, 2), (-24, 32), (-20, 64), (-16, 424), (-12, 1728), (-8, 6688),
                                          (-4, 13568), (0, 20524), (4, 13568), (8, 6688), (12, 1728), (16, 424),
                                          (20, 64), (24, 32), (32, 2)]
        XCTAssertEqual(g.map(\.energy), expected.map(\.0))
        XCTAssertEqual(g.map(\.count), expected.map(\.1))
    }

    /// Every g(E, M) against a plain loop over states and over each site's right and lower bond.
    func testDensityOfStatesMatchesPlainLoop() {
        for (rows, columns) in [(2, 2), (2, 3), (3, 2), (3, 3), (2, 5), (3, 4), (4, 4)] {
            let enumeration = Enumeration(rows: rows, columns: columns)
            let n = rows * columns
            var counts = [Int: [Int: UInt64]]()
            for state in 0..<(1 << n) {
                let (energy, magnetization) = plainEnergyAndMagnetization(state, rows: rows, columns: columns)
                counts[energy, default: [:]][magnetization, default: 0] += 1
            }
            let levels = counts.flatMap { e, byM in byM.map { (e, $0.key, $0.value) } }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            XCTAssertEqual(enumeration.levels.map(\.energy), levels.map(\.0), "\(rows) × \(columns)")
            XCTAssertEqual(enumeration.levels.map(\.magnetization), levels.map(\.1), "\(rows) × \(columns)")
            XCTAssertEqual(enumeration.levels.map(\.count), levels.map(\.2), "\(rows) × \(columns)")
            XCTAssertEqual(enumeration.levels.reduce(0) { $0 + $1.count }, UInt64(1) << UInt64(n))
            XCTAssertEqual(enumeration.bonds, 2 * n)
        }
    }

    /// On a side of length 2 a site's two neighbours along it are one site, bonded twice: the 2 × 2
    /// torus has 8 bonds, ground energy −8, and one flipped spin breaks 4 bonds (E = 0).
    func testSideOfTwoBondsEachPairTwice() {
        let e = Enumeration(rows: 2, columns: 2)
        XCTAssertEqual(e.bonds, 8)
        XCTAssertEqual(e.count(energy: -8, magnetization: 4), 1)
        XCTAssertEqual(e.count(energy: -8, magnetization: -4), 1)
        XCTAssertEqual(e.count(energy: 0, magnetization: 2), 4)
        XCTAssertEqual(e.count(energy: 0, magnetization: 0), 4) // two spins side by side: 4 of 8 bonds broken
        XCTAssertEqual(e.count(energy: 8, magnetization: 0), 2) // the two checkerboards
        XCTAssertEqual(e.count(energy: -6, magnetization: 4), 0)
    }

    /// Every average at h ≠ 0 against a direct Boltzmann sum over the 64 states of a 2 × 3 lattice.
    func testFieldAveragesMatchDirectSumOverStates() {
        let (rows, columns) = (2, 3)
        let enumeration = Enumeration(rows: rows, columns: columns)
        for (beta, field) in [(0.7, 0.3), (0.25, -0.45), (ExactIsing2D.criticalCoupling, 0.0), (2.0, 1e-3)] {
            let n = Double(rows * columns)
            var z = 0.0, e = 0.0, e2 = 0.0, m = 0.0, absM = 0.0, m2 = 0.0, m4 = 0.0
            var pE = [Int: Double](), pM = [Int: Double]()
            for state in 0..<(1 << (rows * columns)) {
                let (energy, magnetization) = plainEnergyAndMagnetization(state, rows: rows, columns: columns)
                let w = exp(-beta * (Double(energy) - field * Double(magnetization)))
                let x = Double(magnetization) / n
                z += w; e += w * Double(energy); e2 += w * Double(energy * energy)
                m += w * x; absM += w * abs(x); m2 += w * x * x; m4 += w * x * x * x * x
                pE[energy, default: 0] += w; pM[magnetization, default: 0] += w
            }
            (e, e2, m, absM, m2, m4) = (e / z, e2 / z, m / z, absM / z, m2 / z, m4 / z)
            let a = enumeration.averages(beta: beta, field: field)
            let label = "β = \(beta), h = \(field)"
            XCTAssertEqual(a.logPartitionFunction, log(z), accuracy: 1e-12, label)
            XCTAssertEqual(a.energyPerSite, e / n, accuracy: 1e-12, label)
            XCTAssertEqual(a.specificHeatPerSite, beta * beta * (e2 - e * e) / n, accuracy: 1e-11, label)
            XCTAssertEqual(a.magnetization, m, accuracy: 1e-12, label)
            XCTAssertEqual(a.absoluteMagnetization, absM, accuracy: 1e-12, label)
            XCTAssertEqual(a.magnetizationSquared, m2, accuracy: 1e-12, label)
            XCTAssertEqual(a.magnetizationFourth, m4, accuracy: 1e-12, label)
            XCTAssertEqual(a.susceptibility, beta * n * (m2 - absM * absM), accuracy: 1e-11, label)
            XCTAssertEqual(a.connectedSusceptibility, beta * n * (m2 - m * m), accuracy: 1e-11, label)
            XCTAssertEqual(a.binderCumulant, 1 - m4 / (3 * m2 * m2), accuracy: 1e-12, label)
            let energies = enumeration.energyDistribution(beta: beta, field: field)
            XCTAssertEqual(energies.values, pE.keys.sorted(), label)
            for (value, p) in zip(energies.values, energies.probabilities) {
                XCTAssertEqual(p, pE[value]! / z, accuracy: 1e-14, label)
            }
            let magnetizations = enumeration.magnetizationDistribution(beta: beta, field: field)
            XCTAssertEqual(magnetizations.values, pM.keys.sorted(), label)
            for (value, p) in zip(magnetizations.values, magnetizations.probabilities) {
                XCTAssertEqual(p, pM[value]! / z, accuracy: 1e-14, label)
            }
        }
    }

    /// ⟨∂ ln Z/∂h⟩ = βN⟨m⟩ and ∂⟨m⟩/∂h = χ_c: the field enters the weights correctly and with its sign.
    func testFieldDerivativesAreMagnetisationAndConnectedSusceptibility() {
        let enumeration = Enumeration(rows: 3, columns: 4)
        let (beta, field, step) = (0.4, 0.2, 1e-5)
        let a = enumeration.averages(beta: beta, field: field)
        let up = enumeration.averages(beta: beta, field: field + step)
        let down = enumeration.averages(beta: beta, field: field - step)
        XCTAssertGreaterThan(a.magnetization, 0)
        XCTAssertEqual((up.logPartitionFunction - down.logPartitionFunction) / (2 * step), beta * 12 * a.magnetization,
                       accuracy: 1e-7)
        XCTAssertEqual((up.magnetization - down.magnetization) / (2 * step), a.connectedSusceptibility, accuracy: 1e-7)
    }

    func testDistributionsAreNormalisedAndSymmetricAtZeroField() {
        let enumeration = Enumeration(rows: 4, columns: 5)
        for beta in [0.1, 0.3, ExactIsing2D.criticalCoupling, 0.6, 3.0, 100.0] {
            let a = enumeration.averages(beta: beta)
            let energies = enumeration.energyDistribution(beta: beta)
            let magnetizations = enumeration.magnetizationDistribution(beta: beta)
            XCTAssertEqual(energies.probabilities.reduce(0, +), 1, accuracy: 1e-14)
            XCTAssertEqual(magnetizations.probabilities.reduce(0, +), 1, accuracy: 1e-14)
            let meanEnergy = zip(energies.values, energies.probabilities).reduce(0) { $0 + Double($1.0) * $1.1 }
            XCTAssertEqual(meanEnergy / 20, a.energyPerSite, accuracy: 1e-13)
            for (value, p) in zip(magnetizations.values, magnetizations.probabilities) {
                XCTAssertEqual(p, magnetizations.probability(of: -value), accuracy: 1e-15)
            }
            XCTAssertEqual(magnetizations.probability(of: 1), 0) // M has the parity of N
            XCTAssertTrue(a.specificHeatPerSite.isFinite && a.susceptibility.isFinite)
        }
        // β = 100: only the two ground states are left.
        let cold = enumeration.averages(beta: 100)
        XCTAssertEqual(cold.energyPerSite, -2, accuracy: 1e-15)
        XCTAssertEqual(cold.absoluteMagnetization, 1, accuracy: 1e-15)
        XCTAssertEqual(cold.binderCumulant, 2.0 / 3, accuracy: 1e-15)
    }

    /// The largest lattice allowed, 2²⁵ states, in well under a second (release), and Kaufman's
    /// formula on this odd × odd square.
    func testLargestEnumerationIsFast() {
        let start = Date()
        let e = Enumeration(rows: 5, columns: 5)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(Enumeration.maximumSites, 25)
        XCTAssertEqual(e.levels.reduce(0) { $0 + $1.count }, UInt64(1) << 25)
        #if !DEBUG
        XCTAssertLessThan(elapsed, 2.0) // unoptimised builds take about 15 times longer
        #endif
        for t in [1.0, 2.0, ExactIsing2D.criticalTemperature, 2.5, 5.0] {
            let exact = e.averages(beta: 1 / t)
            let k = ExactIsing2D.kaufman(rows: 5, columns: 5, beta: 1 / t)
            XCTAssertEqual(k.logPartitionFunction, exact.logPartitionFunction, accuracy: 1e-10, "T = \(t)")
            XCTAssertEqual(k.energyPerSite, exact.energyPerSite, accuracy: 1e-10, "T = \(t)")
            XCTAssertEqual(k.specificHeatPerSite, exact.specificHeatPerSite, accuracy: 1e-10, "T = \(t)")
        }
    }

    /// E and M of a state (bit i·columns + j set ⇔ spin (i, j) up), site by site, bond by bond.
    private func plainEnergyAndMagnetization(_ state: Int, rows: Int, columns: Int) -> (energy: Int, magnetization: Int) {
        func spin(_ i: Int, _ j: Int) -> Int {
            (state >> (((i + rows) % rows) * columns + (j + columns) % columns)) & 1 == 1 ? 1 : -1
        }
        var energy = 0, magnetization = 0
        for i in 0..<rows {
            for j in 0..<columns {
                energy -= spin(i, j) * (spin(i, j + 1) + spin(i + 1, j))
                magnetization += spin(i, j)
            }
        }
        return (energy, magnetization)
    }
}
