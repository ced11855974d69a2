// The flux pairs with a given Plücker bivector, up to SL(2,Z)_φ. If p = F∧H ≠ 0 then F and H span
// a rank-2 sublattice of the saturated lattice Λ = {v ∈ Z⁴ : v ∧ p = 0}, and p = k·(u∧w) for a basis
// (u, w) of Λ, with k the index of span(F, H) in Λ (= the content of p, since u∧w is primitive for a
// saturated lattice). Two oriented bases of one sublattice differ by exactly an SL(2,Z) matrix, and
// SL(2,Z)_φ (T: F → F + H, S: (F, H) → (H, −F)) is that action, so the pairs up to SL(2,Z)_φ are
// the index-k sublattices of Λ: in Hermite normal form F = a·u + b·w, H = d·w with ad = k,
// 0 ≤ b < d, σ₁(k) of them. This is the rigid toy model's structure (RigidModel) in every fibre.

/// The flux pairs (F, H) with F∧H = p, one per SL(2,Z)_φ orbit.
public enum FluxPairs {
    /// One genome per SL(2,Z)_φ orbit of pairs with this bivector: σ₁(content) of them, or none
    /// when p = 0 or p violates the Plücker relation (then no integer pair has it).
    public static func of(_ p: FluxBivector) -> [FluxGenome] {
        let k = p.content
        guard k > 0, p.pluckerRelation == 0 else { return [] }
        guard var (u, w) = primitiveBasis(p) else { return [] }
        (u, w) = reduced(u, w)
        var pairs: [FluxGenome] = []
        for a in 1...k where k % a == 0 {
            let d = k / a
            for b in 0..<d { pairs.append(FluxGenome(f: a &* u &+ b &* w, h: d &* w)) }
        }
        return pairs
    }

    /// A basis (u, w) of Λ with u∧w = p/content, or nil if the kernel is not of rank 2.
    static func primitiveBasis(_ p: FluxBivector) -> (SIMD4<Int>, SIMD4<Int>)? {
        let k = p.content
        let (a, b, c, d, e, f) = (p.p01 / k, p.p02 / k, p.p03 / k, p.p12 / k, p.p13 / k, p.p23 / k)
        // (v ∧ p)_{ijk} = v_i p_jk − v_j p_ik + v_k p_ij for ijk = 012, 013, 023, 123.
        let rows = [[d, -b, a, 0], [e, -c, 0, a], [f, 0, -c, b], [0, f, -e, d]]
        let kernel = IntegerKernel.basis(rows, columns: 4)
        guard kernel.count == 2 else { return nil }
        let u = SIMD4(kernel[0][0], kernel[0][1], kernel[0][2], kernel[0][3])
        let w = SIMD4(kernel[1][0], kernel[1][1], kernel[1][2], kernel[1][3])
        let wedge = FluxBivector(FluxGenome(f: u, h: w)).coordinates, primitive = [a, b, c, d, e, f]
        if wedge == primitive { return (u, w) }
        if wedge == primitive.map({ -$0 }) { return (w, u) }
        return nil
    }

    /// Lagrange–Gauss reduction of the basis (u, w), keeping u∧w: small fluxes, so the solver's
    /// Int64 coefficients and the Double evaluation of P_F, P_H stay far from their limits.
    static func reduced(_ u: SIMD4<Int>, _ w: SIMD4<Int>) -> (SIMD4<Int>, SIMD4<Int>) {
        var (u, w) = (u, w)
        func norm(_ v: SIMD4<Int>) -> Int { (v &* v).wrappedSum() }
        if norm(w) < norm(u) { (u, w) = (w, 0 &- u) }
        for _ in 0..<64 {
            let q = (Double((u &* w).wrappedSum()) / Double(norm(u))).rounded()
            w = w &- Int(q) &* u
            guard norm(w) < norm(u) else { break }
            (u, w) = (w, 0 &- u)
        }
        return (u, w)
    }
}

/// The integer kernel of an integer matrix, by unimodular column operations (extended Euclid).
enum IntegerKernel {
    /// A basis of {v ∈ Zⁿ : A v = 0} for A given by its rows.
    static func basis(_ rows: [[Int]], columns n: Int) -> [[Int]] {
        // Columns of A and of the accumulated unimodular U, so that A·U keeps the same columns.
        var a = (0..<n).map { j in rows.map { $0[j] } }
        var u = (0..<n).map { j in (0..<n).map { $0 == j ? 1 : 0 } }
        var pivot = 0
        for row in rows.indices where pivot < n {
            for j in (pivot + 1)..<n where a[j][row] != 0 {
                let x = a[pivot][row], y = a[j][row]
                let (g, s, t) = extendedGCD(x, y)
                // (C, J) → (sC + tJ, −(y/g)C + (x/g)J) has determinant 1 and zeroes J's entry.
                func combine(_ m: inout [[Int]]) {
                    let c = m[pivot], k = m[j]
                    m[pivot] = zip(c, k).map { s * $0 + t * $1 }
                    m[j] = zip(c, k).map { -(y / g) * $0 + (x / g) * $1 }
                }
                combine(&a)
                combine(&u)
            }
            if a[pivot][row] != 0 { pivot += 1 }
        }
        return Array(u[pivot...])
    }

    /// (g, s, t) with s·x + t·y = g = gcd(x, y) > 0, for (x, y) ≠ (0, 0).
    static func extendedGCD(_ x: Int, _ y: Int) -> (Int, Int, Int) {
        var (r0, r1, s0, s1, t0, t1) = (x, y, 1, 0, 0, 1)
        while r1 != 0 {
            let q = r0 / r1
            (r0, r1) = (r1, r0 - q * r1)
            (s0, s1) = (s1, s0 - q * s1)
            (t0, t1) = (t1, t0 - q * t1)
        }
        return r0 < 0 ? (-r0, -s0, -t0) : (r0, s0, t0)
    }
}
