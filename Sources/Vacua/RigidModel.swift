// The rigid Calabi–Yau toy model: no complex structure moduli, 4 fluxes, W = (f1 + i f2) − φ(h1 + i h2).
// D_φW = 0 gives φ = conj(f/h) with f = f1 + i f2, h = h1 + i h2, and Im φ > 0 exactly when
// N_flux = f1h2 − f2h1 > 0. SL(2,Z)_φ acts on the rows (f1, f2), (h1, h2) of an integer matrix of
// determinant N_flux, so the inequivalent vacua with N_flux = n are the Hermite normal forms of
// determinant n: σ₁(n) of them. It is the quickest check of the canonical keys.

/// A vacuum of the rigid toy model: fluxes (f1, f2, h1, h2) and φ.
public struct RigidVacuum: Sendable, Equatable {
    /// (f1, f2, h1, h2).
    public var fluxes: SIMD4<Int>
    /// The axio-dilaton.
    public var phi: Complex

    /// N_flux = f1h2 − f2h1.
    public var fluxNumber: Int { fluxes[0] * fluxes[3] - fluxes[1] * fluxes[2] }

    /// The vacuum of these fluxes, or nil when N_flux ≤ 0 (no vacuum with Im φ > 0).
    public init?(fluxes: SIMD4<Int>) {
        self.fluxes = fluxes
        self.phi = Complex(0, 0)
        guard fluxNumber > 0 else { return nil }
        phi = (Complex(Double(fluxes[0]), Double(fluxes[1])) / Complex(Double(fluxes[2]), Double(fluxes[3]))).conjugate
    }

    /// The image under a φ-duality: T: f → f + h; S: (f, h) → (h, −f).
    public func applying(_ g: ModularGenerator) -> RigidVacuum {
        var v = self
        let f = SIMD2(fluxes[0], fluxes[1]), h = SIMD2(fluxes[2], fluxes[3])
        let (nf, nh): (SIMD2<Int>, SIMD2<Int>)
        switch g {
        case .t: (nf, nh) = (f &+ h, h)
        case .tInverse: (nf, nh) = (f &- h, h)
        case .s: (nf, nh) = (h, 0 &- f)
        }
        v.fluxes = SIMD4(nf[0], nf[1], nh[0], nh[1])
        v.phi = g.apply(phi)
        return v
    }

    /// φ in the fundamental domain and the smallest flux representative: one key per inequivalent vacuum.
    public var canonical: RigidVacuum {
        var v = Dualities.reduction(of: phi).reduce(self) { $0.applying($1) }
        let base = v
        for word in Dualities.stabilizer(of: base.phi) {
            let w = word.reduce(base) { $0.applying($1) }
            for candidate in [w.fluxes, 0 &- w.fluxes] where candidate.lexicographicallyPrecedes(v.fluxes) {
                v.fluxes = candidate
            }
        }
        return v
    }
}

extension SIMD4 where Scalar == Int {
    /// Lexicographic order of the components.
    func lexicographicallyPrecedes(_ other: SIMD4<Int>) -> Bool {
        for i in 0..<4 where self[i] != other[i] { return self[i] < other[i] }
        return false
    }
}
