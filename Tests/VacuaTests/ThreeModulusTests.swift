import Vacua
import XCTest

/// The three-modulus model against the symmetric one it contains, its duality actions and keys.
final class ThreeModulusTests: XCTestCase {
    /// Every enumerated vacuum of the symmetric model with N_flux ≤ 7 (140), embedded with
    /// a1 = a2 = a3, b1 = b2 = b3, solves the three-modulus conditions at τ₁ = τ₂ = τ₃, and Newton
    /// from 24 random starts in the fundamental domains finds it there, isolated.
    func testTheSymmetricModelsVacuaAreVacuaOfTheThreeModulusModel() throws {
        let symmetric = EnumerationTests.upTo7
        XCTAssertEqual(symmetric.count, 140)
        for v in symmetric {
            let g = ThreeModulusGenome(symmetric: v.genome)
            XCTAssertEqual(g.fluxNumber, v.fluxNumber)
            let embedded = ThreeModulusVacuum(genome: g, tau: [v.tau, v.tau, v.tau], phi: v.phi)
            XCTAssertTrue(ThreeModulusSolver.residuals(embedded).allSatisfy { $0 < 1e-7 }, "\(embedded)")
            let vacua = ThreeModulusSolver.vacua(of: g, starts: 24)
            XCTAssertTrue(vacua.contains { u in u.tau.allSatisfy { ($0 - v.tau).magnitude < 1e-6 } && (u.phi - v.phi).magnitude < 1e-6 },
                          "\(v) not found among \(vacua)")
        }
    }

    /// Vacua of random genomes in [−2, 2]¹⁶ with 1 ≤ N_flux ≤ 8: each is verified and has N_flux > 0;
    /// every image under random words of T, T⁻¹, S on each torus, exchanges of tori, SL(2,Z)_φ and
    /// N → −N is again a vacuum (which checks the duality actions) with the same canonical key.
    func testDualityImagesOfThreeModulusVacuaAreVacuaWithTheSameKey() throws {
        var generator = SplitMix64(seed: 21)
        var vacua: [ThreeModulusVacuum] = [], nonSymmetric = 0
        while vacua.count < 12 {
            let q = (0..<16).map { _ in Int.random(in: -2...2, using: &generator) }
            let g = ThreeModulusGenome(f: Array(q[0..<8]), h: Array(q[8...]))
            guard (1...8).contains(g.fluxNumber) else { continue }
            for v in ThreeModulusSolver.vacua(of: g, starts: 8) {
                XCTAssertTrue(ThreeModulusSolver.residuals(v).allSatisfy { $0 < 1e-9 })
                XCTAssertTrue(v.tau.allSatisfy { $0.im > 0 } && v.phi.im > 0)
                if (v.tau[0] - v.tau[1]).magnitude > 1e-6 || (v.tau[1] - v.tau[2]).magnitude > 1e-6 { nonSymmetric += 1 }
                vacua.append(v)
            }
        }
        XCTAssertGreaterThanOrEqual(nonSymmetric, 6, "vacua with distinct τᵢ")
        print("three-modulus vacua: \(vacua.count), \(nonSymmetric) with distinct τᵢ")
        for v in vacua {
            let key = ThreeModulusDuality.canonical(v).genome
            for _ in 0..<5 {
                var image = v
                for _ in 0..<Int.random(in: 1...10, using: &generator) {
                    let g = ModularGenerator.allCases.randomElement(using: &generator)!
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: image = ThreeModulusDuality.onTorus(g, Int.random(in: 0..<3, using: &generator), image)
                    case 1: image = ThreeModulusDuality.onPhi(g, image)
                    default:
                        let i = Int.random(in: 0..<3, using: &generator)
                        image = ThreeModulusDuality.exchanging(i, (i + 1) % 3, image)
                    }
                }
                if Bool.random(using: &generator) { image.genome = -image.genome }
                XCTAssertEqual(image.fluxNumber, v.fluxNumber)
                // Judged in canonical form: a long word can push a raw modulus far out, where rounding grows.
                let canonical = ThreeModulusDuality.canonical(image)
                XCTAssertTrue(ThreeModulusSolver.residuals(canonical).allSatisfy { $0 < 1e-7 }, "an image is still a vacuum: \(canonical)")
                XCTAssertEqual(canonical.genome, key, "\(v) → \(image)")
            }
        }
    }
}
