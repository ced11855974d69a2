// The second model: the untwisted T⁶ = T² × T² × T² orientifold with its three complex structure
// moduli τ₁, τ₂, τ₃ kept apart (the symmetric model is τ₁ = τ₂ = τ₃). 16 flux quanta,
// F = (a0, a1, a2, a3, b1, b2, b3, b0) and H = (c0, c1, c2, c3, d1, d2, d3, d0), give
//   P_F(τ) = a0τ₁τ₂τ₃ − (a1τ₂τ₃ + a2τ₁τ₃ + a3τ₁τ₂) − (b1τ₁ + b2τ₂ + b3τ₃) − b0,
// W = P_F − φP_H, K = −Σ log(−i(τᵢ − τ̄ᵢ)) − log(−i(φ − φ̄)) and
// N_flux = b0c0 − a0d0 + Σ(bᵢcᵢ − aᵢdᵢ). P is linear in each modulus separately, W = A_z z + B_z,
// so D_zW = 0 reads z̄ = −B_z/A_z for z = τ₁, τ₂, τ₃, φ (ThreeModulusSolver).
// Dualities: SL(2,Z) on each τᵢ (T₁: τ₁ → τ₁ + 1 and S₁: τ₁ → −1/τ₁ below, derived from
// P_{F′}(τ′) ∝ P_F(τ); each keeps N_flux), permutations of the tori, SL(2,Z)_φ on the pair, N ≡ −N.

/// The 16 flux quanta of the three-modulus model.
public struct ThreeModulusGenome: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// (a0, a1, a2, a3, b1, b2, b3, b0).
    public var f: [Int]
    /// (c0, c1, c2, c3, d1, d2, d3, d0).
    public var h: [Int]

    /// The genome (F ; H), 8 quanta each.
    public init(f: [Int], h: [Int]) {
        precondition(f.count == 8 && h.count == 8, "ThreeModulusGenome: 8 + 8 quanta")
        self.f = f
        self.h = h
    }

    /// The symmetric model's genome (a0, a, b, b0 ; c0, c, d, d0) with a1 = a2 = a3 = a, b1 = b2 = b3 = b.
    public init(symmetric g: FluxGenome) {
        func spread(_ v: SIMD4<Int>) -> [Int] { [v[0], v[1], v[1], v[1], v[2], v[2], v[2], v[3]] }
        self.init(f: spread(g.f), h: spread(g.h))
    }

    /// N_flux = b0c0 − a0d0 + Σ(bᵢcᵢ − aᵢdᵢ).
    public var fluxNumber: Int {
        var n = f[7] * h[0] - f[0] * h[7]
        for i in 1...3 { n += f[3 + i] * h[i] - f[i] * h[3 + i] }
        return n
    }

    /// The negated genome (the same vacuum).
    public static prefix func - (g: ThreeModulusGenome) -> ThreeModulusGenome { ThreeModulusGenome(f: g.f.map { -$0 }, h: g.h.map { -$0 }) }

    /// Lexicographic order of (F, H), which picks canonical representatives.
    public static func < (a: ThreeModulusGenome, b: ThreeModulusGenome) -> Bool { (a.f + a.h).lexicographicallyPrecedes(b.f + b.h) }

    /// `F = [a0, a1, a2, a3, b1, b2, b3, b0], H = [c0, c1, c2, c3, d1, d2, d3, d0]`.
    public var description: String { "F = \(f), H = \(h)" }
}

/// P_v and its derivatives for one 8-quanta cubic v = (a0, a1, a2, a3, b1, b2, b3, b0).
enum MultilinearCubic {
    static func value(_ v: [Int], _ t: [Complex]) -> Complex {
        let (a0, a1, a2, a3) = (Double(v[0]), Double(v[1]), Double(v[2]), Double(v[3]))
        let (b1, b2, b3, b0) = (Double(v[4]), Double(v[5]), Double(v[6]), Double(v[7]))
        return a0 * (t[0] * t[1] * t[2]) - a1 * (t[1] * t[2]) - a2 * (t[0] * t[2]) - a3 * (t[0] * t[1])
            - b1 * t[0] - b2 * t[1] - b3 * t[2] - Complex(b0)
    }

    /// ∂P/∂τᵢ, linear in the other two moduli.
    static func gradient(_ v: [Int], _ t: [Complex], _ i: Int) -> Complex {
        let (j, k) = ((i + 1) % 3, (i + 2) % 3)
        // The coefficient of τⱼ in ∂ᵢP is −a_k (the a multiplying τᵢτⱼ), and of τ_k it is −a_j.
        return Double(v[0]) * (t[j] * t[k]) - Double(v[1 + k]) * t[j] - Double(v[1 + j]) * t[k] - Complex(Double(v[4 + i]))
    }

    /// ∂²P/∂τᵢ∂τⱼ (i ≠ j) = a0τ_k − a_k with k the third index.
    static func hessian(_ v: [Int], _ t: [Complex], _ i: Int, _ j: Int) -> Complex {
        let k = 3 - i - j
        return Double(v[0]) * t[k] - Complex(Double(v[1 + k]))
    }

    /// The sum of the magnitudes of P's terms, the scale residuals are judged against.
    static func scale(_ v: [Int], _ t: [Complex]) -> Double {
        let r = t.map(\.magnitude)
        return abs(Double(v[0])) * r[0] * r[1] * r[2] + abs(Double(v[1])) * r[1] * r[2] + abs(Double(v[2])) * r[0] * r[2]
            + abs(Double(v[3])) * r[0] * r[1] + abs(Double(v[4])) * r[0] + abs(Double(v[5])) * r[1] + abs(Double(v[6])) * r[2] + abs(Double(v[7]))
    }
}

/// The dualities of the three-modulus model acting on a cubic's 8 quanta.
public enum ThreeModulusDuality {
    /// τᵢ → τᵢ + 1: a_i += a0, b_j −= a_k and b_k −= a_j for the other two tori, b0 −= b_i.
    static func t(_ v: [Int], _ i: Int) -> [Int] {
        var w = v
        let (j, k) = ((i + 1) % 3, (i + 2) % 3)
        w[1 + i] = v[1 + i] + v[0]
        w[4 + j] = v[4 + j] - v[1 + k]
        w[4 + k] = v[4 + k] - v[1 + j]
        w[7] = v[7] - v[4 + i]
        return w
    }

    /// τᵢ → τᵢ − 1, the inverse of `t`.
    static func tInverse(_ v: [Int], _ i: Int) -> [Int] {
        var w = v
        let (j, k) = ((i + 1) % 3, (i + 2) % 3)
        w[1 + i] = v[1 + i] - v[0]
        w[4 + j] = v[4 + j] + v[1 + k]
        w[4 + k] = v[4 + k] + v[1 + j]
        w[7] = v[7] + v[4 + i]
        return w
    }

    /// τᵢ → −1/τᵢ: a0 ↔ a_i and b_i ↔ b0 with signs (a0′ = a_i, a_i′ = −a0, b_i′ = −b0, b0′ = b_i),
    /// and a_j′ = −b_k, b_k′ = a_j for the other two tori.
    static func s(_ v: [Int], _ i: Int) -> [Int] {
        var w = v
        let (j, k) = ((i + 1) % 3, (i + 2) % 3)
        w[0] = v[1 + i]; w[1 + i] = -v[0]
        w[4 + i] = -v[7]; w[7] = v[4 + i]
        w[1 + j] = -v[4 + k]; w[4 + k] = v[1 + j]
        w[1 + k] = -v[4 + j]; w[4 + j] = v[1 + k]
        return w
    }

    /// The tori i and j exchanged.
    static func swap(_ v: [Int], _ i: Int, _ j: Int) -> [Int] {
        var w = v
        w.swapAt(1 + i, 1 + j)
        w.swapAt(4 + i, 4 + j)
        return w
    }

    /// A τᵢ duality applied to a vacuum (both cubics and τᵢ).
    public static func onTorus(_ g: ModularGenerator, _ i: Int, _ v: ThreeModulusVacuum) -> ThreeModulusVacuum {
        var u = v
        let map: ([Int]) -> [Int] = { switch g { case .t: t($0, i); case .tInverse: tInverse($0, i); case .s: s($0, i) } }
        u.genome = ThreeModulusGenome(f: map(v.genome.f), h: map(v.genome.h))
        u.tau[i] = g.apply(v.tau[i])
        return u
    }

    /// The SL(2,Z)_φ duality applied to a vacuum (the pair and φ).
    public static func onPhi(_ g: ModularGenerator, _ v: ThreeModulusVacuum) -> ThreeModulusVacuum {
        var u = v
        let (f, h) = (v.genome.f, v.genome.h)
        switch g {
        case .t: u.genome = ThreeModulusGenome(f: zip(f, h).map { $0 + $1 }, h: h)
        case .tInverse: u.genome = ThreeModulusGenome(f: zip(f, h).map { $0 - $1 }, h: h)
        case .s: u.genome = ThreeModulusGenome(f: h, h: f.map { -$0 })
        }
        u.phi = g.apply(v.phi)
        return u
    }

    /// Tori i and j of a vacuum exchanged.
    public static func exchanging(_ i: Int, _ j: Int, _ v: ThreeModulusVacuum) -> ThreeModulusVacuum {
        var u = v
        u.genome = ThreeModulusGenome(f: swap(v.genome.f, i, j), h: swap(v.genome.h, i, j))
        u.tau.swapAt(i, j)
        return u
    }

    /// Every τᵢ and φ in the fundamental domain (Dualities' convention), the tori ordered by
    /// (Re τ, Im τ), and the smallest flux representative over the stabilisers of those points,
    /// the orders of equal τᵢ and N → −N: equal for all duality images of one vacuum.
    public static func canonical(_ vacuum: ThreeModulusVacuum) -> ThreeModulusVacuum {
        var v = vacuum
        for i in 0..<3 { for g in Dualities.reduction(of: v.tau[i]) { v = onTorus(g, i, v) } }
        for g in Dualities.reduction(of: v.phi) { v = onPhi(g, v) }
        func before(_ a: Complex, _ b: Complex) -> Bool {
            abs(a.re - b.re) > 1e-7 ? a.re < b.re : (abs(a.im - b.im) > 1e-7 && a.im < b.im)
        }
        // Insertion sort of the three tori.
        for i in 1..<3 { var j = i; while j > 0, before(v.tau[j], v.tau[j - 1]) { v = exchanging(j, j - 1, v); j -= 1 } }
        func same(_ a: Complex, _ b: Complex) -> Bool { (a - b).magnitude <= 1e-7 }
        let orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]].filter { p in (0..<3).allSatisfy { same(v.tau[p[$0]], v.tau[$0]) } }
        var best = v
        for word0 in Dualities.stabilizer(of: v.tau[0]) {
            for word1 in Dualities.stabilizer(of: v.tau[1]) {
                for word2 in Dualities.stabilizer(of: v.tau[2]) {
                    var u = v
                    for (i, word) in [word0, word1, word2].enumerated() { u = word.reduce(u) { onTorus($1, i, $0) } }
                    for phiWord in Dualities.stabilizer(of: v.phi) {
                        let w = phiWord.reduce(u) { onPhi($1, $0) }
                        for order in orders {
                            let f = permuted(w.genome.f, order), h = permuted(w.genome.h, order)
                            for candidate in [ThreeModulusGenome(f: f, h: h), -ThreeModulusGenome(f: f, h: h)] where candidate < best.genome {
                                best.genome = candidate
                            }
                        }
                    }
                }
            }
        }
        return best
    }

    /// The cubic with its tori reordered: torus k of the result is torus order[k].
    static func permuted(_ v: [Int], _ order: [Int]) -> [Int] {
        [v[0], v[1 + order[0]], v[1 + order[1]], v[1 + order[2]], v[4 + order[0]], v[4 + order[1]], v[4 + order[2]], v[7]]
    }
}
