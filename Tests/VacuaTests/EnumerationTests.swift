import Vacua
import XCTest

/// The complete enumeration against brute force, the known counts, the facts its completeness
/// argument rests on, and its split over ranks.
final class EnumerationTests: XCTestCase {
    /// The enumeration up to N_flux = 7, computed once.
    static let upTo7: [FluxVacuum] = try! VacuumEnumeration.all(limit: BruteForce.maxFlux)

    /// Step 2–3 of the completeness argument on every brute-force vacuum: G = F − φH is imaginary
    /// self-dual (‖F − C₀H‖² + s²‖H‖² = 2sN), and with τ in the fundamental domain and shifted
    /// to Re τ = 0, p′13 = p′02Y, p′23 = −p01Y², p′03p′12 = p′02²Y + p01²Y², so p01²Y² + p′02²Y ≤ N²/12.
    /// Then the bivector is among the enumeration's candidates (step 4).
    func testEveryBruteForceVacuumSatisfiesTheBounds() throws {
        XCTAssertGreaterThan(BruteForce.vacua.count, 1000)
        var candidates = Set<FluxBivector>()
        for n in 1...BruteForce.maxFlux {
            for (p01, p02) in VacuumEnumeration.tasks(fluxNumber: n) {
                VacuumEnumeration.candidates(fluxNumber: n, p01: p01, p02: p02) { _ = candidates.insert($0) }
            }
        }
        for vacuum in BruteForce.vacua {
            let n = Double(vacuum.fluxNumber), s = vacuum.phi.im, c0 = vacuum.phi.re
            func real(_ v: SIMD4<Int>) -> SIMD4<Double> { SIMD4(Double(v[0]), Double(v[1]), Double(v[2]), Double(v[3])) }
            let f = real(vacuum.genome.f), h = real(vacuum.genome.h)
            let hodge = FluxCubic.hodgeNormSquared(f - c0 * h, at: vacuum.tau) + s * s * FluxCubic.hodgeNormSquared(h, at: vacuum.tau)
            XCTAssertEqual(hodge, 2 * s * n, accuracy: 1e-8 * 2 * s * n, "\(vacuum)")
            // At Re τ = 0 the translated norm is the diagonal one.
            let x = vacuum.tau.re, y = vacuum.tau.im
            let shifted = FluxCubic.translated(h, by: -x)
            let diagonal = shifted[0] * shifted[0] * y * y * y + 3 * shifted[1] * shifted[1] * y + 3 * shifted[2] * shifted[2] / y
                + shifted[3] * shifted[3] / (y * y * y)
            XCTAssertEqual(FluxCubic.hodgeNormSquared(h, at: vacuum.tau), diagonal, accuracy: 1e-9 * diagonal)

            let canonical = Dualities.canonical(vacuum)
            let t = canonical.tau, yy = t.im * t.im
            XCTAssertTrue(abs(t.re) <= 0.5 + 1e-9 && t.lengthSquared >= 1 - 1e-9, "\(canonical)")
            let p = FluxBivector(canonical.genome)
            let q = p.translated(by: -t.re)
            let scale = q.map(abs).max()! * max(1, yy * yy)
            XCTAssertEqual(q[4], q[1] * yy, accuracy: 1e-9 * scale, "p′13 = p′02 Y: \(canonical)")
            XCTAssertEqual(q[5], -q[0] * yy * yy, accuracy: 1e-9 * scale, "p′23 = −p01 Y²: \(canonical)")
            XCTAssertEqual(q[2] * q[3], q[1] * q[1] * yy + q[0] * q[0] * yy * yy, accuracy: 1e-9 * scale * scale)
            XCTAssertLessThanOrEqual(q[0] * q[0] * yy * yy + q[1] * q[1] * yy, n * n / 12 * (1 + 1e-9), "\(canonical)")
            XCTAssertTrue(candidates.contains(p), "\(p) of \(canonical) is not a candidate")
        }
    }

    /// Step 4 against step 3, over the whole region the argument allows rather than at the few
    /// vacua of small flux: points (N, p01, p02, x, Y) with integer p01, p02, |x| ≤ ½, |τ| ≥ 1 and
    /// p01²Y² + p′02²Y ≤ N²/12 (edges included) give the real bivector p′ at Re τ = 0 (both roots
    /// for a = p′03, b = 3p′12); translated back, its p12, p13 and (p01 = 0) p23 lie in the boxes,
    /// and (p01, p02) is a task.
    func testTheBoxesContainTheWholeRegionOfStepThree() throws {
        var generator = SplitMix64(seed: 5)
        var checked = 0
        for n in 1...40 {
            let tasks = Set(VacuumEnumeration.tasks(fluxNumber: n).map { [$0.p01, $0.p02] })
            let s = Double(n * n) / 12
            for _ in 0..<1500 {
                let p01 = Int.random(in: -n...n, using: &generator), p02 = Int.random(in: -n...n, using: &generator)
                let edge = Int.random(in: 0..<4, using: &generator)
                let x = edge == 0 ? -0.5 : edge == 1 ? 0.5 : Double.random(in: -0.5...0.5, using: &generator)
                let q02 = Double(p02) + 2 * x * Double(p01)
                // Y from |τ| ≥ 1 up to where p01²Y² + p′02²Y = N²/12.
                let a2 = Double(p01 * p01), b1 = q02 * q02
                let yTop = a2 > 0 ? (-b1 + (b1 * b1 + 4 * a2 * s).squareRoot()) / (2 * a2) : (b1 > 0 ? s / b1 : .infinity)
                let yBottom = 1 - x * x
                guard yTop.isFinite, yTop >= yBottom else { continue }
                let y = [yBottom, yTop, Double.random(in: yBottom...yTop, using: &generator)][Int.random(in: 0..<3, using: &generator)]
                let product = 3 * (a2 * y * y + b1 * y), root = max(0, Double(n * n) - 4 * product).squareRoot()
                for (a, b) in [((-Double(n) + root) / 2, (-Double(n) - root) / 2), ((-Double(n) - root) / 2, (-Double(n) + root) / 2)] {
                    let p = FluxBivector.translate([Double(p01), q02, a, b / 3, q02 * y, -Double(p01) * y * y], by: x)
                    XCTAssertEqual(p[1], Double(p02), accuracy: 1e-9 * Double(n), "p02 comes back")
                    XCTAssertEqual(-p[2] - 3 * p[3], Double(n), accuracy: 1e-9 * Double(n), "N_flux")
                    XCTAssertTrue(tasks.contains([p01, p02]), "N = \(n): (\(p01), \(p02)) is not a task")
                    let box = CandidateBox(fluxNumber: n, p01: p01, p02: p02)
                    XCTAssertTrue(p[3] >= box.p12.lower - 1e-9 * Double(n) && p[3] <= box.p12.upper + 1e-9 * Double(n),
                                  "N = \(n), p01 = \(p01), p02 = \(p02), x = \(x), Y = \(y): p12 = \(p[3]) outside \(box.p12)")
                    if p01 != 0 {
                        XCTAssertLessThanOrEqual(abs(p[4]), box.p13Bound + 1e-9 * Double(n), "N = \(n), p01 = \(p01), p02 = \(p02), x = \(x), Y = \(y)")
                    } else {
                        XCTAssertLessThanOrEqual(abs(p[5]), box.p23Bound(p12: p[3], p13: p[4]) + 1e-9 * Double(n), "N = \(n), p02 = \(p02), x = \(x), Y = \(y)")
                    }
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 5000)
    }

    /// Every vacuum brute force finds is enumerated; every enumerated vacuum whose canonical fluxes
    /// lie in [−3, 3]⁸ is found by brute force (which solves that very genome). Enumerated vacua
    /// whose canonical representative lies outside the box are counted but cannot be compared:
    /// other representatives in the box are not excluded, and brute force would then find them too.
    func testEnumerationAgreesWithBruteForce() throws {
        var enumerated: [Int: Set<FluxGenome>] = [:]
        for v in Self.upTo7 { enumerated[v.fluxNumber, default: []].insert(v.genome) }
        var outside = 0
        for n in 1...BruteForce.maxFlux {
            let brute = BruteForce.keys[n, default: []], all = enumerated[n, default: []]
            XCTAssertTrue(brute.isSubset(of: all), "N = \(n): brute force found \(brute.subtracting(all)) that the enumeration missed")
            let inBox = all.filter(BruteForce.contains)
            XCTAssertEqual(inBox.subtracting(brute), [], "N = \(n): enumerated in the box but not found by brute force")
            outside += all.count - inBox.count
        }
        XCTAssertEqual(Self.upTo7.count, Set(Self.upTo7.map(\.genome)).count, "one row per key")
        // Every enumerated vacuum is a verified vacuum in canonical form.
        for v in Self.upTo7 {
            XCTAssertTrue(VacuumSolver.residuals(v).allSatisfy { $0 < 1e-7 }, "\(v)")
            XCTAssertEqual(Dualities.canonical(v).genome, v.genome)
        }
        print("enumeration N ≤ 7: \(Self.upTo7.count) vacua, \(outside) with canonical fluxes outside [−3, 3]⁸")
    }

    /// No vacuum with N_flux = 1 or 2, exactly two with 3 (at τ = φ = e^{2πi/3}, one with W = 0),
    /// 27 with N_flux ≤ 5; the family τ = in, φ = in² (N_flux = 4n) for 4n ≤ 7.
    func testKnownCounts() throws {
        let count = { (n: Int) in Self.upTo7.filter { $0.fluxNumber == n }.count }
        XCTAssertEqual(count(1), 0)
        XCTAssertEqual(count(2), 0)
        XCTAssertEqual(count(3), 2)
        let rho = Complex(-0.5, 3.0.squareRoot() / 2)
        for v in Self.upTo7 where v.fluxNumber == 3 {
            XCTAssertLessThan((v.tau - rho).magnitude, 1e-7)
            XCTAssertLessThan((v.phi - rho).magnitude, 1e-7)
        }
        XCTAssertEqual(Self.upTo7.filter { $0.fluxNumber == 3 && $0.superpotential.magnitude < 1e-9 }.count, 1)
        XCTAssertEqual((1...5).map(count).reduce(0, +), 27)
        let family = Dualities.canonical(try VacuumSolver.vacua(of: FluxGenome([1, 1, 0, 0, 0, 0, -1, -1]))[0])
        XCTAssertTrue(Self.upTo7.contains { $0.genome == family.genome })
    }

    /// Shares for 2, 3 and 4 ranks take every task once and merge to the same vacua as one rank.
    func testSharesOfAnyNumberOfRanksMergeToTheSameVacua() throws {
        let target = VacuumTarget(fluxLimit: 7)
        let whole = try VacuumEnumeration.share(target: target, rank: 0, ranks: 1)
        let keys = Set(whole.discoveries.map(\.vacuum.genome))
        XCTAssertEqual(keys, Set(Self.upTo7.map(\.genome)))
        for ranks in 2...4 {
            var merged = Set<FluxGenome>(), tasks = 0, bivectors = 0
            for rank in 0..<ranks {
                let share = try VacuumEnumeration.share(target: target, rank: rank, ranks: ranks)
                merged.formUnion(share.discoveries.map(\.vacuum.genome))
                tasks += share.tasks
                bivectors += share.bivectors
            }
            XCTAssertEqual(merged, keys, "\(ranks) ranks")
            XCTAssertEqual(tasks, whole.tasks)
            XCTAssertEqual(bivectors, whole.bivectors)
        }
    }

    /// The pairs with a given bivector: σ₁(content) of them, each with F∧H = p, no two spanning the
    /// same lattice, and the lattice of any genome with that bivector among them.
    func testFluxPairsAreTheSublatticesOfTheBivector() throws {
        var generator = SplitMix64(seed: 11)
        for _ in 0..<300 {
            let base = FluxGenome((0..<8).map { _ in Int.random(in: -4...4, using: &generator) })
            let k = Int.random(in: 1...6, using: &generator)
            // A genome with bivector k·p: scale F by k (index k in the lattice of (F, H)).
            let genome = FluxGenome(f: k &* base.f, h: base.h)
            let p = FluxBivector(genome)
            let pairs = FluxPairs.of(p)
            guard p.content > 0 else { XCTAssertEqual(pairs, []); continue }
            let sigma = (1...p.content).filter { p.content % $0 == 0 }.reduce(0, +)
            XCTAssertEqual(pairs.count, sigma, "\(p)")
            for pair in pairs { XCTAssertEqual(FluxBivector(pair), p) }
            for (i, a) in pairs.enumerated() {
                for b in pairs[(i + 1)...] { XCTAssertFalse(sameLattice(a, b), "\(a) and \(b)") }
            }
            XCTAssertEqual(pairs.filter { sameLattice($0, genome) }.count, 1, "\(genome)")
        }
        XCTAssertEqual(FluxPairs.of(FluxBivector(p01: 1, p02: 0, p03: 0, p12: 0, p13: 0, p23: 1)), [], "not decomposable")
    }

    /// Whether (F, H) and (F′, H′), with the same bivector, are bases of one lattice: F and H are
    /// integer combinations of F′ and H′ (the same bivector makes the change of basis unimodular).
    func sameLattice(_ a: FluxGenome, _ b: FluxGenome) -> Bool {
        let p = FluxBivector(b).coordinates
        guard let (i, j) = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)].enumerated().first(where: { p[$0.offset] != 0 })?.element
        else { return false }
        let pij = b.plucker(i, j)
        for v in [a.f, a.h] {
            // v = αF′ + βH′: α = (v∧H′)_ij / p_ij, β = (F′∧v)_ij / p_ij.
            let alphaNumerator = v[i] * b.h[j] - v[j] * b.h[i], betaNumerator = b.f[i] * v[j] - b.f[j] * v[i]
            guard alphaNumerator % pij == 0, betaNumerator % pij == 0 else { return false }
            if (alphaNumerator / pij) &* b.f &+ (betaNumerator / pij) &* b.h != v { return false }
        }
        return true
    }
}
