import Vacua
import XCTest

/// The exact solver and the canonical keys against the known facts of REFERENCE.md and the issue.
final class VacuumSolverTests: XCTestCase {
    let rho = Complex(-0.5, 3.0.squareRoot() / 2)

    /// F = (1, n, 0, 0), H = (0, 0, −1, −n): τ = i n, φ = i n², N_flux = 4n, g_s = 16/N_flux².
    func testTheWeakCouplingFamily() throws {
        for n in 1...6 {
            let genome = FluxGenome([1, n, 0, 0, 0, 0, -1, -n])
            XCTAssertEqual(genome.fluxNumber, 4 * n)
            let vacua = try VacuumSolver.vacua(of: genome)
            let match = vacua.first { ($0.tau - Complex(0, Double(n))).magnitude < 1e-9 }
            let vacuum = try XCTUnwrap(match, "n = \(n): \(vacua)")
            XCTAssertEqual(vacuum.phi.re, 0, accuracy: 1e-9)
            XCTAssertEqual(vacuum.phi.im, Double(n * n), accuracy: 1e-9 * Double(n * n))
            XCTAssertEqual(vacuum.stringCoupling, 16 / Double(16 * n * n), accuracy: 1e-12)
            XCTAssertTrue(VacuumSolver.residuals(vacuum).allSatisfy { $0 < 1e-12 }, "\(VacuumSolver.residuals(vacuum))")
        }
    }

    /// The W = 0 vacuum at N_flux = 3 lies on the degenerate branch C ≡ 0, at τ = φ = e^{2πi/3}.
    func testTheDegenerateBranchKeepsTheWZeroVacuum() throws {
        let genome = FluxGenome([2, -1, -1, -1, -1, 0, 0, -1])
        XCTAssertEqual(genome.fluxNumber, 3)
        let vacua = try VacuumSolver.vacua(of: genome)
        XCTAssertEqual(vacua.count, 1)
        let canonical = Dualities.canonical(vacua[0])
        XCTAssertLessThan((canonical.tau - rho).magnitude, 1e-9, "\(canonical)")
        XCTAssertLessThan((canonical.phi - rho).magnitude, 1e-9, "\(canonical)")
        XCTAssertLessThan(vacua[0].superpotential.magnitude, 1e-9)
    }

    /// F = (3, 0, 0, −4), H = (2, −3, −4, −5) (N_flux = 7) has a double root of the cubic at the
    /// cusp τ = −4/3, where rounding left Im τ ≈ 1.7e-8 and Im φ ≈ 1e-21 with tiny residuals; it is
    /// not a vacuum (reduced to the fundamental domain it would have Im τ ≈ 1e8 ≫ N_flux).
    func testACuspIsNotAVacuum() throws {
        for genome in [FluxGenome([3, 0, 0, -4, 2, -3, -4, -5]), FluxGenome([1, 3, 4, 1, 2, -3, -4, -5])] {
            for v in try VacuumSolver.vacua(of: genome) {
                XCTAssertGreaterThan(v.tau.im, 1e-3, "\(v)")
                XCTAssertGreaterThan(v.phi.im, 1e-3, "\(v)")
            }
        }
    }

    /// Genomes with p01 = p02 = 0 have only flat directions; the cubic's coefficients are exact.
    func testFlatDirectionsAndOverflow() throws {
        XCTAssertEqual(try VacuumSolver.vacua(of: FluxGenome([0, 0, 1, 2, 0, 0, 3, 1])), [])
        XCTAssertThrowsError(try VacuumSolver.vacua(of: FluxGenome([1 << 20, 3, -(1 << 20), 5, 7, -(1 << 20), 1, 1 << 20])))
    }

    /// Every duality image of a vacuum (τ- and φ-words, and N → −N) has the same canonical key;
    /// checked on every vacuum with 1 ≤ N_flux ≤ 6 of the genomes in [−1, 1]⁸.
    func testDualityImagesShareTheKey() throws {
        var generator = SplitMix64(seed: 7)
        var checked = 0, vacua = 0
        for code in 0..<6561 {
            var c = code
            let genome = FluxGenome((0..<8).map { _ in defer { c /= 3 }; return c % 3 - 1 })
            guard (1...6).contains(genome.fluxNumber) else { continue }
            for vacuum in try VacuumSolver.vacua(of: genome) {
                vacua += 1
                let key = Dualities.canonical(vacuum).genome
                for _ in 0..<5 {
                    var image = vacuum
                    for _ in 0..<Int.random(in: 1...8, using: &generator) {
                        let g = ModularGenerator.allCases.randomElement(using: &generator)!
                        image = Bool.random(using: &generator) ? Dualities.actOnTau(g, image) : Dualities.actOnPhi(g, image)
                    }
                    if Bool.random(using: &generator) { image.genome = -image.genome }
                    XCTAssertTrue(VacuumSolver.residuals(image).allSatisfy { $0 < 1e-7 }, "an image is still a vacuum: \(image)")
                    XCTAssertEqual(Dualities.canonical(image).genome, key, "\(vacuum) → \(image)")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(vacua, 50)
        XCTAssertEqual(checked, 5 * vacua)
    }

    /// Brute force over all genomes in [−3, 3]⁸: no vacuum with N_flux = 1 or 2, exactly two with
    /// N_flux = 3 (both at τ = φ = e^{2πi/3}), and 27 with N_flux ≤ 5.
    func testSmallFluxNumbersByBruteForce() throws {
        let keys = BruteForce.keys
        XCTAssertEqual(keys[1, default: []].count, 0)
        XCTAssertEqual(keys[2, default: []].count, 0)
        XCTAssertEqual(keys[3, default: []].count, 2, "\(keys[3, default: []])")
        for v in BruteForce.vacua where v.fluxNumber == 3 {
            let c = Dualities.canonical(v)
            XCTAssertLessThan((c.tau - rho).magnitude, 1e-7, "\(c)")
            XCTAssertLessThan((c.phi - rho).magnitude, 1e-7, "\(c)")
        }
        XCTAssertEqual((1...5).reduce(0) { $0 + keys[$1, default: []].count }, 27, "\((1...5).map { keys[$0, default: []].count })")
    }

    /// The rigid toy model: σ₁(n) inequivalent vacua with N_flux = n, 87 up to 10.
    func testRigidModelCountsAreSumsOfDivisors() {
        var keys: [Int: Set<[Int]>] = [:]
        let l = 10
        for f1 in -l...l { for f2 in -l...l { for h1 in -l...l { for h2 in -l...l {
            guard let v = RigidVacuum(fluxes: SIMD4(f1, f2, h1, h2)), v.fluxNumber <= l else { continue }
            let c = v.canonical
            keys[v.fluxNumber, default: []].insert([c.fluxes[0], c.fluxes[1], c.fluxes[2], c.fluxes[3]])
        } } } }
        for n in 1...l {
            let sigma = (1...n).filter { n % $0 == 0 }.reduce(0, +)
            XCTAssertEqual(keys[n, default: []].count, sigma, "N_flux = \(n)")
        }
        XCTAssertEqual(keys.values.reduce(0) { $0 + $1.count }, 87)
    }
}

/// A seeded generator, so the random duality words are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
