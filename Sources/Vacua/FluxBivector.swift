// The Plücker bivector p = F∧H of a flux pair, p_ij = F_iH_j − F_jH_i. The τ equations E1, E2
// (VacuumSolver) are linear in p, so τ depends on the pair only through p; SL(2,Z)_φ leaves p
// unchanged (it maps (F, H) to another basis of the same oriented lattice), and N_flux = −p03 − 3p12
// is linear in it. That is why the enumeration runs over bivectors (VacuumEnumeration).

/// The six Plücker coordinates p_ij = F_iH_j − F_jH_i (i < j) of a flux pair, or any integer bivector.
public struct FluxBivector: Hashable, Sendable, CustomStringConvertible {
    /// p_ij for i < j.
    public var p01: Int, p02: Int, p03: Int, p12: Int, p13: Int, p23: Int

    /// The bivector with these coordinates.
    public init(p01: Int, p02: Int, p03: Int, p12: Int, p13: Int, p23: Int) {
        (self.p01, self.p02, self.p03, self.p12, self.p13, self.p23) = (p01, p02, p03, p12, p13, p23)
    }

    /// F∧H of a genome.
    public init(_ g: FluxGenome) {
        self.init(p01: g.plucker(0, 1), p02: g.plucker(0, 2), p03: g.plucker(0, 3),
                  p12: g.plucker(1, 2), p13: g.plucker(1, 3), p23: g.plucker(2, 3))
    }

    /// The coordinates in the order p01, p02, p03, p12, p13, p23.
    public var coordinates: [Int] { [p01, p02, p03, p12, p13, p23] }

    /// N_flux = −p03 − 3p12 of any pair with this bivector.
    public var fluxNumber: Int { -p03 - 3 * p12 }

    /// p01p23 − p02p13 + p03p12, zero exactly when p = F∧H for some rational F, H (p ∧ p = 0).
    public var pluckerRelation: Int { p01 * p23 - p02 * p13 + p03 * p12 }

    /// The greatest common divisor of the coordinates: p is this times a primitive bivector.
    public var content: Int { coordinates.reduce(0) { greatestCommonDivisor($0, $1) } }

    /// The coordinates, in the order of `coordinates`, after the real translation τ → τ + t of
    /// both cubics (`FluxCubic.translated`): Λ² of that 4 × 4 matrix; t = 1 is REFERENCE.md's T_τ.
    public func translated(by t: Double) -> [Double] { Self.translate(coordinates.map(Double.init), by: t) }

    /// The same for real coordinates (the fluxes of step 2 of VacuumEnumeration's argument).
    public static func translate(_ p: [Double], by t: Double) -> [Double] {
        let (a, b, c, d, e, f) = (p[0], p[1], p[2], p[3], p[4], p[5])
        let t2 = t * t, t3 = t2 * t, t4 = t3 * t
        return [a,
                b - 2 * t * a,
                c - 3 * t * b + 3 * t2 * a,
                d + t * b - t2 * a,
                e + t * c - 3 * t * d - 3 * t2 * b + 2 * t3 * a,
                f - 2 * t * e + 3 * t2 * d - t2 * c + 2 * t3 * b - t4 * a]
    }

    /// `p = (p01, p02, p03, p12, p13, p23)`.
    public var description: String { "p = (\(p01), \(p02), \(p03), \(p12), \(p13), \(p23))" }
}

extension FluxCubic {
    /// The cubic after the real translation τ → τ + t: P_{v′}(τ + t) = P_v(τ), so a vacuum at τ
    /// maps to one at τ + t with the same φ (t = 1 is T_τ).
    public static func translated(_ v: SIMD4<Double>, by t: Double) -> SIMD4<Double> {
        SIMD4(v[0], v[1] + t * v[0], v[2] - 2 * t * v[1] - t * t * v[0],
              v[3] + 3 * t * t * v[1] - 3 * t * v[2] + t * t * t * v[0])
    }

    /// The Hodge norm ‖v‖²_τ = ∫ v ∧ ⋆v of a real flux cubic at τ, from the covariant form
    /// (|P_v|² + (4y²/3)|D_τP_v|²)/(4y³) with D_τP = P′ − 3P/(τ − τ̄); at Re τ = 0 it is
    /// v0²y³ + 3v1²y + 3v2²/y + v3²/y³. At a supersymmetric vacuum G = F − φH is imaginary
    /// self-dual, which gives ‖F − C₀H‖² + (Im φ)²‖H‖² = 2 Im φ · N_flux.
    public static func hodgeNormSquared(_ v: SIMD4<Double>, at t: Complex) -> Double {
        let p = (Complex(v[0]) * t - Complex(3 * v[1])) * t * t - Complex(3 * v[2]) * t - Complex(v[3])
        let dp = (Complex(3 * v[0]) * t - Complex(6 * v[1])) * t - Complex(3 * v[2])
        let covariant = dp - 3.0 * (p / Complex(0, 2 * t.im))
        let y = t.im
        return (p.lengthSquared + 4 * y * y / 3 * covariant.lengthSquared) / (4 * y * y * y)
    }
}

/// gcd(|a|, |b|), with gcd(0, 0) = 0.
func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
    var (x, y) = (abs(a), abs(b))
    while y != 0 { (x, y) = (y, x % y) }
    return x
}
