// Numerical solution of the three-modulus model's supersymmetry conditions. W is linear in each
// modulus, W = A_z z + B_z, and K_z = −1/(z − z̄), so D_zW = 0 ⇔ A_z z̄ + B_z = 0: for τᵢ,
// (∂ᵢP_F − φ∂ᵢP_H) τ̄ᵢ + (P_F − τᵢ∂ᵢP_F) − φ(P_H − τᵢ∂ᵢP_H) = 0, and for φ, P_F − φ̄P_H = 0.
// Each equation is holomorphic in the other moduli and antiholomorphic in its own, so the real
// Jacobian follows from two complex coefficients per pair. Newton's method (with step halving on
// the residual) runs from `starts` points drawn in the fundamental domains; converged points with
// Im > 0, small relative residuals and a Jacobian far from singular (isolated: no flat direction)
// are kept, one per distinct point. This finds vacua, not all of them: unlike the symmetric model
// there is no elimination to a polynomial of one variable, so a vacuum no start converges to is missed.

import Numerics

/// One supersymmetric vacuum of the three-modulus model.
public struct ThreeModulusVacuum: Sendable, Equatable, CustomStringConvertible {
    /// The fluxes.
    public var genome: ThreeModulusGenome
    /// τ₁, τ₂, τ₃ (Im > 0).
    public var tau: [Complex]
    /// The axio-dilaton.
    public var phi: Complex

    /// The vacuum with these fluxes and moduli.
    public init(genome: ThreeModulusGenome, tau: [Complex], phi: Complex) {
        self.genome = genome
        self.tau = tau
        self.phi = phi
    }

    /// N_flux of the fluxes.
    public var fluxNumber: Int { genome.fluxNumber }
    /// The string coupling g_s = 1/Im φ.
    public var stringCoupling: Double { 1 / phi.im }
    /// W = P_F(τ) − φ P_H(τ) at the vacuum.
    public var superpotential: Complex { MultilinearCubic.value(genome.f, tau) - phi * MultilinearCubic.value(genome.h, tau) }
    /// e^{K/2}|W| with K = −Σ ln(2 Im τᵢ) − ln(2 Im φ), the duality-invariant size of W.
    public var normalizedSuperpotential: Double {
        superpotential.magnitude / ((2 * tau[0].im) * (2 * tau[1].im) * (2 * tau[2].im) * (2 * phi.im)).squareRoot()
    }

    /// The genome, τ₁, τ₂, τ₃, φ and N_flux on one line.
    public var description: String { "\(genome), τ = \(tau), φ = \(phi), N_flux = \(fluxNumber)" }
}

/// Newton's method on D_τᵢW = D_φW = 0 from several starting points.
public enum ThreeModulusSolver {
    /// Relative residual accepted for each of the four conditions.
    public static let tolerance = 1e-9

    /// The isolated vacua Newton reaches from `starts` points (drawn from Philox with `seed`),
    /// each verified, one per distinct (τ₁, τ₂, τ₃, φ).
    public static func vacua(of genome: ThreeModulusGenome, starts: Int = 24, seed: UInt64 = 1) -> [ThreeModulusVacuum] {
        guard genome.fluxNumber > 0 else { return [] }   // ‖G‖² = 2 Im φ · N_flux > 0 at every vacuum
        var random = RandomStream(seed: seed, purpose: .vacuaThreeModulus)
        var found: [ThreeModulusVacuum] = []
        for _ in 0..<starts {
            // τᵢ and φ in the fundamental domain, up to Im = 3.
            var z = (0..<4).map { _ -> Complex in
                let x = random.uniform() - 0.5
                return Complex(x, (1 - x * x).squareRoot() + 2.2 * random.uniform())
            }
            guard newton(genome, &z) else { continue }
            let v = ThreeModulusVacuum(genome: genome, tau: Array(z[0..<3]), phi: z[3])
            guard z.allSatisfy({ $0.isFinite }), awayFromTheRealAxis(z, fluxNumber: genome.fluxNumber),
                  residuals(v).allSatisfy({ $0 <= tolerance }), isIsolated(genome, z),
                  !found.contains(where: { u in zip(u.tau + [u.phi], z).allSatisfy { ($0 - $1).magnitude <= 1e-7 * max(1, $1.magnitude) } })
            else { continue }
            found.append(v)
        }
        return found
    }

    /// The four conditions (τ₁, τ₂, τ₃, φ) as complex numbers.
    static func conditions(_ g: ThreeModulusGenome, _ z: [Complex]) -> [Complex] {
        let t = Array(z[0..<3]), phi = z[3]
        let pf = MultilinearCubic.value(g.f, t), ph = MultilinearCubic.value(g.h, t)
        var e: [Complex] = []
        for i in 0..<3 {
            let af = MultilinearCubic.gradient(g.f, t, i), ah = MultilinearCubic.gradient(g.h, t, i)
            let a = af - phi * ah, b = (pf - t[i] * af) - phi * (ph - t[i] * ah)
            e.append(a * t[i].conjugate + b)
        }
        e.append(pf - phi.conjugate * ph)
        return e
    }

    /// The real 8 × 8 Jacobian of `conditions` in (Re, Im) of τ₁, τ₂, τ₃, φ.
    static func jacobian(_ g: ThreeModulusGenome, _ z: [Complex]) -> [[Double]] {
        let t = Array(z[0..<3]), phi = z[3]
        let ph = MultilinearCubic.value(g.h, t)
        // holomorphic[k][w] and anti[k][w]: dE_k = Σ_w holomorphic dz_w + anti dz̄_w.
        var holomorphic = [[Complex]](repeating: [Complex](repeating: Complex(0), count: 4), count: 4), anti = holomorphic
        for i in 0..<3 {
            let af = MultilinearCubic.gradient(g.f, t, i), ah = MultilinearCubic.gradient(g.h, t, i)
            anti[i][i] = af - phi * ah
            for j in 0..<3 where j != i {
                let hf = MultilinearCubic.hessian(g.f, t, i, j), hh = MultilinearCubic.hessian(g.h, t, i, j)
                let gf = MultilinearCubic.gradient(g.f, t, j), gh = MultilinearCubic.gradient(g.h, t, j)
                // ∂A/∂τⱼ τ̄ᵢ + ∂B/∂τⱼ with B = P − τᵢ∂ᵢP.
                holomorphic[i][j] = (hf - phi * hh) * t[i].conjugate + (gf - t[i] * hf) - phi * (gh - t[i] * hh)
            }
            holomorphic[i][3] = -(ah * t[i].conjugate + ph - t[i] * ah)
        }
        for j in 0..<3 {
            holomorphic[3][j] = MultilinearCubic.gradient(g.f, t, j) - phi.conjugate * MultilinearCubic.gradient(g.h, t, j)
        }
        anti[3][3] = -ph
        var m = [[Double]](repeating: [Double](repeating: 0, count: 8), count: 8)
        for k in 0..<4 {
            for w in 0..<4 {
                let c = holomorphic[k][w], d = anti[k][w]
                m[2 * k][2 * w] = c.re + d.re
                m[2 * k][2 * w + 1] = -c.im + d.im
                m[2 * k + 1][2 * w] = c.im + d.im
                m[2 * k + 1][2 * w + 1] = c.re - d.re
            }
        }
        return m
    }

    /// Newton with step halving until the residual falls; true when it converged.
    static func newton(_ g: ThreeModulusGenome, _ z: inout [Complex]) -> Bool {
        func norm(_ e: [Complex]) -> Double { e.reduce(0) { $0 + $1.lengthSquared } }
        var e = conditions(g, z), r = norm(e)
        for _ in 0..<60 {
            let rhs = e.flatMap { [-$0.re, -$0.im] }
            guard let step = LinearSystem.solve(jacobian(g, z), rhs).solution else { return false }
            var scale = 1.0, accepted = false
            while scale > 1e-4 {
                let trial = (0..<4).map { k in z[k] + Complex(scale * step[2 * k], scale * step[2 * k + 1]) }
                let te = conditions(g, trial), tr = norm(te)
                if tr.isFinite, tr < r, trial.allSatisfy({ $0.im > 0 }) {
                    (z, e, r) = (trial, te, tr)
                    accepted = true
                    break
                }
                scale /= 2
            }
            let size = step.map(abs).max() ?? 0
            if !accepted || size * scale <= 1e-14 * max(1, z.map(\.magnitude).max() ?? 1) { break }
            // Heading for the real axis, where no vacuum is (awayFromTheRealAxis): give up early.
            if z.contains(where: { $0.im < 1e-5 * (1 + $0.magnitude) }) { return false }
        }
        return residuals(ThreeModulusVacuum(genome: g, tau: Array(z[0..<3]), phi: z[3])).allSatisfy { $0 <= tolerance }
    }

    /// Each condition relative to the sum of the magnitudes of its monomials: in A_z z̄ + B_z every
    /// monomial of W appears once (with z̄ᵢ for τᵢ), so that sum is scale(P_F) + |φ| scale(P_H) for all four.
    public static func residuals(_ v: ThreeModulusVacuum) -> [Double] {
        let scale = MultilinearCubic.scale(v.genome.f, v.tau) + v.phi.magnitude * MultilinearCubic.scale(v.genome.h, v.tau)
        return conditions(v.genome, v.tau + [v.phi]).map { $0.magnitude / max(scale, .leastNormalMagnitude) }
    }

    /// At real τᵢ and φ every condition reduces to W = 0, a three-dimensional family on the boundary
    /// of moduli space, and Newton can creep towards it, ending with Im ~ 1e-9 and residuals at
    /// rounding level. A point is kept only if every modulus has Im > 1e-4 (1 + |z|) and reduces to
    /// Im ≤ 2 N_flux in the fundamental domain (a point near a rational x reduces high up the cusp;
    /// near an irrational one it can land anywhere, hence the first test). Both are heuristics here
    /// (the symmetric model's proven bound is N/(2√3), VacuumSolver.isBelowTheCusp): a genuine vacuum
    /// Newton reaches that close to the real axis, or that far up a cusp, would be dropped.
    static func awayFromTheRealAxis(_ z: [Complex], fluxNumber n: Int) -> Bool {
        z.allSatisfy { $0.im > 1e-4 * (1 + $0.magnitude) && Dualities.reducedPoint(of: $0).im <= 2 * Double(max(n, 1)) }
    }

    /// Whether the Jacobian at z is far from singular: no flat direction through the point.
    static func isIsolated(_ g: ThreeModulusGenome, _ z: [Complex]) -> Bool {
        let m = jacobian(g, z)
        guard let pivots = LinearSystem.solve(m, [Double](repeating: 0, count: 8)).pivots else { return false }
        let magnitudes = pivots.map(abs)
        return magnitudes.min()! > 1e-9 * magnitudes.max()!
    }
}

/// Gaussian elimination with partial pivoting for the small dense systems of Newton's method.
enum LinearSystem {
    /// x with m x = b, and the pivots (nil for both if a pivot is exactly zero).
    static func solve(_ m: [[Double]], _ b: [Double]) -> (solution: [Double]?, pivots: [Double]?) {
        var a = m, x = b
        let n = b.count
        var pivots: [Double] = []
        for c in 0..<n {
            let p = (c..<n).max { abs(a[$0][c]) < abs(a[$1][c]) }!
            guard a[p][c] != 0, a[p][c].isFinite else { return (nil, nil) }
            a.swapAt(c, p)
            x.swapAt(c, p)
            pivots.append(a[c][c])
            for r in (c + 1)..<n {
                let f = a[r][c] / a[c][c]
                guard f != 0 else { continue }
                for k in c..<n { a[r][k] -= f * a[c][k] }
                x[r] -= f * x[c]
            }
        }
        for c in stride(from: n - 1, through: 0, by: -1) {
            var s = x[c]
            for k in (c + 1)..<n { s -= a[c][k] * x[k] }
            x[c] = s / a[c][c]
        }
        return (x, pivots)
    }
}

extension RandomStream.Purpose {
    /// Starting points of the three-modulus solver.
    public static let vacuaThreeModulus = RandomStream.Purpose(rawValue: 131)
}
