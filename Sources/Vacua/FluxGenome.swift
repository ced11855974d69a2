// The symmetric T⁶ orientifold with two moduli: 8 flux quanta N = (a0, a, b, b0 ; c0, c, d, d0) = (F ; H)
// give W(τ, φ) = P_F(τ) − φ P_H(τ), with P_v(τ) = v0τ³ − 3v1τ² − 3v2τ − v3 (DeWolfe, Giryavets,
// Kachru, Taylor hep-th/0411061). Everything about a vacuum's τ follows from the Plücker
// coordinates p_ij = F_iH_j − F_jH_i of the pair.

/// The 8 flux quanta of the symmetric T⁶ model: the RR cubic F = (a0, a, b, b0) and the NS-NS cubic H = (c0, c, d, d0).
public struct FluxGenome: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// (a0, a, b, b0).
    public var f: SIMD4<Int>
    /// (c0, c, d, d0).
    public var h: SIMD4<Int>

    /// The genome (F ; H).
    public init(f: SIMD4<Int>, h: SIMD4<Int>) {
        self.f = f
        self.h = h
    }

    /// The genome from its 8 quanta in the order (a0, a, b, b0, c0, c, d, d0).
    public init(_ quanta: [Int]) {
        precondition(quanta.count == 8, "FluxGenome: 8 quanta, got \(quanta.count)")
        f = SIMD4(quanta[0], quanta[1], quanta[2], quanta[3])
        h = SIMD4(quanta[4], quanta[5], quanta[6], quanta[7])
    }

    /// The genome whose quantum k is `quantum(k)`, called for k = 0…7 in order (no array built).
    @inlinable public init(generating quantum: (Int) -> Int) {
        f = .zero
        h = .zero
        for k in 0..<8 { self[k] = quantum(k) }
    }

    /// The 8 quanta in the order (a0, a, b, b0, c0, c, d, d0).
    public var quanta: [Int] { [f[0], f[1], f[2], f[3], h[0], h[1], h[2], h[3]] }

    /// Quantum k in the order (a0, a, b, b0, c0, c, d, d0), without building `quanta`.
    @inlinable public subscript(k: Int) -> Int {
        get { k < 4 ? f[k] : h[k - 4] }
        set { if k < 4 { f[k] = newValue } else { h[k - 4] = newValue } }
    }

    /// p_ij = F_iH_j − F_jH_i.
    @inlinable public func plucker(_ i: Int, _ j: Int) -> Int { f[i] * h[j] - f[j] * h[i] }

    /// The D3 charge of the fluxes, N_flux = b0c0 − a0d0 + 3(bc − ad) = −p03 − 3p12; a vacuum
    /// counts only with 0 < N_flux ≤ L.
    @inlinable public var fluxNumber: Int { -plucker(0, 3) - 3 * plucker(1, 2) }

    /// The negated genome: the same vacuum (N ≡ −N).
    public static prefix func - (g: FluxGenome) -> FluxGenome { FluxGenome(f: 0 &- g.f, h: 0 &- g.h) }

    /// Lexicographic order of the quanta, which picks canonical representatives.
    public static func < (a: FluxGenome, b: FluxGenome) -> Bool {
        for i in 0..<4 where a.f[i] != b.f[i] { return a.f[i] < b.f[i] }
        for i in 0..<4 where a.h[i] != b.h[i] { return a.h[i] < b.h[i] }
        return false
    }

    /// `F = (a0, a, b, b0), H = (c0, c, d, d0)`.
    public var description: String {
        "F = (\(f[0]), \(f[1]), \(f[2]), \(f[3])), H = (\(h[0]), \(h[1]), \(h[2]), \(h[3]))"
    }
}

/// Evaluation of a cubic P_v(τ) = v0τ³ − 3v1τ² − 3v2τ − v3 and its derivative.
public enum FluxCubic {
    /// P_v(τ).
    @inlinable public static func value(_ v: SIMD4<Int>, at t: Complex) -> Complex {
        // Horner: ((v0 τ − 3v1) τ − 3v2) τ − v3.
        let a = Complex(Double(v[0])) * t - Complex(3 * Double(v[1]))
        return (a * t - Complex(3 * Double(v[2]))) * t - Complex(Double(v[3]))
    }

    /// P_v′(τ) = 3v0τ² − 6v1τ − 3v2.
    @inlinable public static func derivative(_ v: SIMD4<Int>, at t: Complex) -> Complex {
        (Complex(3 * Double(v[0])) * t - Complex(6 * Double(v[1]))) * t - Complex(3 * Double(v[2]))
    }

    /// The sum of the magnitudes of P_v(τ)'s terms, the scale its residuals are judged against.
    @inlinable public static func scale(_ v: SIMD4<Int>, at t: Complex) -> Double {
        let r = t.magnitude
        return abs(Double(v[0])) * r * r * r + 3 * abs(Double(v[1])) * r * r + 3 * abs(Double(v[2])) * r + abs(Double(v[3]))
    }
}
