// The exact solver for one genome. With τ = x + iy and Y = y², the supersymmetry conditions
// D_φW = D_τW = 0 reduce, after eliminating φ, to two real polynomial equations in (x, Y) whose
// coefficients are the Plücker coordinates (REFERENCE.md):
//   E1 = 2p01x³ + 2p01xY + 3p02x² + p02Y + (p03 − 3p12)x − p13 = 0,
//   E2 = p01x⁴ − p01Y² + 2p02x³ + (p03 − 3p12)x² − 2p13x − p23 = 0.
// Eliminating Y leaves the cubic C(x) = c3x³ + c2x² + c1x + c0, whose integer coefficients are
// computed exactly (overflow-checked). Each real root gives Y from E1 (or E2), both are polished by
// Newton on (E1, E2), and φ = conj(P_F(τ)/P_H(τ)). Two branches need care:
// - p01 = p02 = 0: the τ equations leave a flat direction, so there is no isolated vacuum;
// - C ≡ 0 (then p01 ≠ 0): E1 and E2 share the factor x² + βx + κ′, whose complex root in the upper
//   half plane is the one isolated vacuum, with P_F(τ) = P_H(τ) = 0, i.e. W = 0 (φ from P_F′/P_H′).
//   Skipping this branch would lose every W = 0 vacuum.
// Every vacuum returned has been checked by evaluating D_τW and D_φW.

/// One supersymmetric vacuum: its fluxes, moduli and the quantities catalogs list.
public struct FluxVacuum: Sendable, Equatable, CustomStringConvertible {
    /// The fluxes, as found or after reduction to the canonical representative.
    public var genome: FluxGenome
    /// The complex structure modulus (Im τ > 0).
    public var tau: Complex
    /// The axio-dilaton C₀ + i/g_s (Im φ > 0).
    public var phi: Complex

    /// The vacuum with these fluxes and moduli (as found, or read back from a catalog).
    public init(genome: FluxGenome, tau: Complex, phi: Complex) {
        self.genome = genome
        self.tau = tau
        self.phi = phi
    }

    /// The string coupling g_s = 1/Im φ.
    public var stringCoupling: Double { 1 / phi.im }
    /// W at the vacuum.
    public var superpotential: Complex { FluxCubic.value(genome.f, at: tau) - phi * FluxCubic.value(genome.h, at: tau) }
    /// e^{K/2}|W| with K = −3 ln(2 Im τ) − ln(2 Im φ), the duality-invariant size of W.
    public var normalizedSuperpotential: Double {
        superpotential.magnitude / ((2 * tau.im) * (2 * tau.im) * (2 * tau.im) * (2 * phi.im)).squareRoot()
    }
    /// N_flux of the fluxes.
    public var fluxNumber: Int { genome.fluxNumber }

    /// The genome, τ, φ and N_flux on one line.
    public var description: String { "\(genome), τ = \(tau), φ = \(phi), N_flux = \(fluxNumber)" }
}

/// Why a genome could not be solved exactly.
public enum VacuumSolverError: Error, Equatable, CustomStringConvertible {
    /// A cubic coefficient does not fit in Int64 (fluxes far beyond |500|).
    case coefficientOverflow(FluxGenome)
    /// The same for a bivector given directly (the enumeration's).
    case bivectorOverflow(FluxBivector)

    /// Names the genome or bivector whose cubic coefficients overflow Int64.
    public var description: String {
        switch self {
        case let .coefficientOverflow(g): return "the cubic's coefficients overflow Int64 for \(g)"
        case let .bivectorOverflow(p): return "the cubic's coefficients overflow Int64 for \(p)"
        }
    }
}

/// Solves D_τW = D_φW = 0 for one genome exactly (see the file comment).
public enum VacuumSolver {
    /// Residuals of D_τW and D_φW accepted, relative to the magnitudes of their terms.
    public static let tolerance = 1e-7

    /// Every isolated supersymmetric vacuum of `genome` with Im τ > 0 and Im φ > 0 (any N_flux),
    /// each verified; at most 3 from the cubic, or the one W = 0 vacuum of the degenerate branch.
    public static func vacua(of genome: FluxGenome) throws(VacuumSolverError) -> [FluxVacuum] {
        Array(try inlineVacua(of: genome))
    }

    /// The same, held inline: what the searches call per genome.
    static func inlineVacua(of genome: FluxGenome) throws(VacuumSolverError) -> InlineList<FluxVacuum> {
        let taus: InlineList<Complex>
        do { taus = try tauSolutions(of: FluxBivector(genome)) } catch { throw .coefficientOverflow(genome) }
        return vacua(of: genome, at: taus)
    }

    /// The verified vacua of `genome` at the given solutions of its τ equations (distinct τ only).
    public static func vacua(of genome: FluxGenome, at taus: some Collection<Complex>) -> InlineList<FluxVacuum> {
        var found = InlineList(filler: FluxVacuum(genome: FluxGenome(f: .zero, h: .zero), tau: Complex(0), phi: Complex(0)))
        for tau in taus {
            guard let vacuum = vacuum(genome, tau: tau),
                  !found.contains(where: { ($0.tau - vacuum.tau).magnitude < 1e-8 * max(1, vacuum.tau.magnitude) }) else { continue }
            found.append(vacuum)
        }
        return found
    }

    /// Every isolated solution τ (Im τ > 0) of the τ equations E1 = E2 = 0 of a bivector: the
    /// same for every pair with F∧H = p, before φ is computed and checked.
    public static func tauSolutions(of p: FluxBivector) throws(VacuumSolverError) -> InlineList<Complex> {
        let (p01, p02, p03, p12, p13, p23) = (p.p01, p.p02, p.p03, p.p12, p.p13, p.p23)
        var taus = InlineList<Complex>(filler: Complex(0))
        if p01 == 0 && p02 == 0 { return taus }
        let c = try cubic(p)
        if c == .zero {
            // C ≡ 0: τ is the root of x² + βx + κ′ in the upper half plane, if it is complex.
            let beta = Double(p02) / Double(p01)
            let kappa = (-Double(3 * p12 - p03) / Double(p01) - beta * beta) / 2
            let discriminant = beta * beta - 4 * kappa
            let tau = Complex(-beta / 2, (kappa - beta * beta / 4).squareRoot())
            if discriminant < 0 && isBelowTheCusp(tau, fluxNumber: p.fluxNumber) { taus.append(tau) }
            return taus
        }
        let e = Equations(p01: Double(p01), p02: Double(p02), p03: Double(p03), p12: Double(p12),
                          p13: Double(p13), p23: Double(p23))
        for x in RealRoots.of(SIMD4(Double(c[0]), Double(c[1]), Double(c[2]), Double(c[3]))) {
            guard let (re, im) = e.solve(fromRoot: x) else { continue }
            let tau = Complex(re, im)
            if isBelowTheCusp(tau, fluxNumber: p.fluxNumber) { taus.append(tau) }
        }
        return taus
    }

    /// Whether τ, brought to the fundamental domain, has Im τ ≤ max(N/(2√3), √(N/(2√3))), which
    /// every vacuum satisfies (VacuumEnumeration, step 3: p01²Y² + p′02²Y ≤ N²/12 with p01 or p′02 a
    /// non-zero integer; and N > 0, since ‖F − C₀H‖² + (Im φ)²‖H‖² = 2 Im φ · N). A double root of
    /// the cubic at a rational point of the real axis leaves Y at rounding level (Im τ ~ 1e-8): the
    /// point is a cusp, not a vacuum, and it fails this test.
    static func isBelowTheCusp(_ tau: Complex, fluxNumber n: Int) -> Bool {
        guard n > 0 else { return false }
        let r = Double(n) / (2 * 3.0.squareRoot())
        return Dualities.reducedPoint(of: tau).im <= max(r, r.squareRoot()) * (1 + 1e-6)
    }

    /// The exact integer coefficients (c3, c2, c1, c0) of C(x), or an overflow error.
    static func cubic(_ p: FluxBivector) throws(VacuumSolverError) -> SIMD4<Int> {
        let (p01, p02, p03, p12, p13, p23) = (p.p01, p.p02, p.p03, p.p12, p.p13, p.p23)
        // Fixed-arity helpers (variadic ones would build an array per call in the hot path).
        var overflow = false
        func m(_ a: Int, _ b: Int) -> Int {
            let (r, o) = a.multipliedReportingOverflow(by: b)
            overflow = overflow || o
            return r
        }
        func m(_ a: Int, _ b: Int, _ c: Int) -> Int { m(m(a, b), c) }
        func m(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Int { m(m(m(a, b), c), d) }
        func s(_ a: Int, _ b: Int) -> Int {
            let (r, o) = a.addingReportingOverflow(b)
            overflow = overflow || o
            return r
        }
        func s(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Int { s(s(s(a, b), c), d) }
        func s(_ a: Int, _ b: Int, _ c: Int, _ d: Int, _ e: Int, _ f: Int, _ g: Int) -> Int { s(s(s(s(a, b, c, d), e), f), g) }
        let c3 = s(m(-4, p01, p01, p13), m(-2, p01, p02, p03), m(6, p01, p02, p12), m(2, p02, p02, p02))
        let c2 = s(m(-4, p01, p01, p23), m(-2, p01, p02, p13), m(-1, p01, p03, p03), m(6, p01, p03, p12),
                   m(-9, p01, p12, p12), m(p02, p02, p03), m(-3, p02, p02, p12))
        let c1 = s(m(-4, p01, p02, p23), m(2, p01, p03, p13), m(-6, p01, p12, p13), m(-2, p02, p02, p13))
        let c0 = s(m(-1, p01, p13, p13), m(-1, p02, p02, p23))
        if overflow { throw .bivectorOverflow(p) }
        return SIMD4(c3, c2, c1, c0)
    }

    /// The vacuum at `tau`: φ from D_φW = 0 (or from P′ where P_H(τ) = 0), checked against both
    /// equations; nil when φ is not in the upper half plane or a residual is too large.
    static func vacuum(_ genome: FluxGenome, tau: Complex) -> FluxVacuum? {
        let p1 = FluxCubic.value(genome.f, at: tau), p2 = FluxCubic.value(genome.h, at: tau)
        let scale2 = FluxCubic.scale(genome.h, at: tau)
        let phi: Complex
        if p2.magnitude > 1e-9 * max(scale2, 1) {
            phi = (p1 / p2).conjugate
        } else {
            let d1 = FluxCubic.derivative(genome.f, at: tau), d2 = FluxCubic.derivative(genome.h, at: tau)
            guard d2.magnitude > 0 else { return nil }
            phi = d1 / d2
        }
        guard phi.isFinite, phi.im > 0, tau.im > 0 else { return nil }
        let vacuum = FluxVacuum(genome: genome, tau: tau, phi: phi)
        let (dPhi, dTau) = residualPair(vacuum)
        return dPhi <= tolerance && dTau <= tolerance ? vacuum : nil
    }

    /// |D_φW| and |D_τW| (up to the Kähler factors), each relative to the sum of its terms' magnitudes:
    /// P_F − φ̄P_H, and (τ − τ̄)(P_F′ − φP_H′) − 3(P_F − φP_H).
    public static func residuals(_ v: FluxVacuum) -> [Double] {
        let (dPhi, dTau) = residualPair(v)
        return [dPhi, dTau]
    }

    /// The same two residuals without an array (the solver's hot path).
    static func residualPair(_ v: FluxVacuum) -> (Double, Double) {
        let g = v.genome, t = v.tau, phi = v.phi
        let p1 = FluxCubic.value(g.f, at: t), p2 = FluxCubic.value(g.h, at: t)
        let d1 = FluxCubic.derivative(g.f, at: t), d2 = FluxCubic.derivative(g.h, at: t)
        let s1 = FluxCubic.scale(g.f, at: t), s2 = FluxCubic.scale(g.h, at: t)
        let r = t.magnitude
        let ds1 = 3 * (abs(Double(g.f[0])) * r * r + 2 * abs(Double(g.f[1])) * r + abs(Double(g.f[2])))
        let ds2 = 3 * (abs(Double(g.h[0])) * r * r + 2 * abs(Double(g.h[1])) * r + abs(Double(g.h[2])))
        let dPhi = (p1 - phi.conjugate * p2).magnitude / max(s1 + phi.magnitude * s2, .leastNormalMagnitude)
        let twoIY = Complex(0, 2 * t.im)
        let dTau = (twoIY * (d1 - phi * d2) - 3.0 * (p1 - phi * p2)).magnitude
            / max(2 * t.im * (ds1 + phi.magnitude * ds2) + 3 * (s1 + phi.magnitude * s2), .leastNormalMagnitude)
        return (dPhi, dTau)
    }
}
