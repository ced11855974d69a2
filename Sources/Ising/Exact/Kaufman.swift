import Foundation

/// ln Z, energy and specific heat of the zero-field n × m periodic Ising lattice at one coupling,
/// from Kaufman's closed form (B. Kaufman, Phys. Rev. 76, 1232 (1949); derivatives as in
/// A. E. Ferdinand & M. E. Fisher, Phys. Rev. 185, 832 (1969)).
public struct KaufmanResult: Sendable, Equatable {
    /// Number of rows n of the torus.
    public let rows: Int
    /// Number of columns m of the torus.
    public let columns: Int
    /// Coupling K = β (J = 1).
    public let beta: Double
    /// ln Z.
    public let logPartitionFunction: Double
    /// ∂ ln Z/∂K = −⟨E⟩.
    public let logPartitionFunctionDerivative: Double
    /// ∂² ln Z/∂K² = ⟨E²⟩ − ⟨E⟩².
    public let logPartitionFunctionSecondDerivative: Double

    /// n·m.
    public var sites: Int { rows * columns }
    /// T = 1/K.
    public var temperature: Double { 1 / beta }
    /// e = ⟨E⟩/(nm) = −(1/nm) ∂ ln Z/∂K.
    public var energyPerSite: Double { -logPartitionFunctionDerivative / Double(sites) }
    /// c = (K²/nm) ∂² ln Z/∂K² = β²(⟨E²⟩ − ⟨E⟩²)/(nm).
    public var specificHeatPerSite: Double { beta * beta * logPartitionFunctionSecondDerivative / Double(sites) }
    /// ln Z/(nm).
    public var logPartitionFunctionPerSite: Double { logPartitionFunction / Double(sites) }
}

extension ExactIsing2D {
    /// Kaufman's exact ln Z, e and c of the n × m torus at h = 0 and coupling K = β (Kaufman 1949):
    /// Z = ½ (2 sinh 2K)^{nm/2} (Y₁ + Y₂ + Y₃ + Y₄) with Y₁ = Π_r 2 cosh(mγ_{2r+1}/2),
    /// Y₂ = Π 2 sinh(mγ_{2r+1}/2), Y₃ = Π 2 cosh(mγ_{2r}/2), Y₄ = Π 2 sinh(mγ_{2r}/2), r = 0…n−1,
    /// cosh γ_j = cosh 2K coth 2K − cos(πj/n) for j ≥ 1 and γ₀ = 2K + ln tanh K with its sign
    /// (negative for K < K_c, i.e. above T_c).
    ///
    /// Here n is `columns` (the ring of spins the transfer matrix acts on) and m is `rows`; the torus
    /// is the same graph either way, and the formula gives the same Z both ways (the tests check it
    /// against enumeration of non-square lattices in both orientations). The derivatives are
    /// analytic, not finite differences. Cost O(n).
    ///
    /// - Precondition: rows, columns ≥ 2; β > 0 and finite. ln Z, e and c are accurate to ~1e-13
    ///   relative; far above T_c, e and c keep about ε/K relative (1e-10 at T = 10⁶, 1e-8 beyond).
    public static func kaufman(rows: Int, columns: Int, beta: Double) -> KaufmanResult {
        precondition(rows >= 2 && columns >= 2, "Kaufman's formula needs rows, columns ≥ 2 (got \(rows) × \(columns))")
        precondition(beta > 0 && beta.isFinite, "Kaufman's formula needs a finite β > 0 (got \(beta))")
        let sites = Double(rows * columns)
        // Past K = 50 every excitation (ΔE ≥ 8) weighs e^{−400} relative to the two ground states,
        // below double precision, while cosh² 2K would soon overflow.
        if beta > 50 {
            return KaufmanResult(rows: rows, columns: columns, beta: beta,
                                 logPartitionFunction: 2 * sites * beta + log(2.0),
                                 logPartitionFunctionDerivative: 2 * sites,
                                 logPartitionFunctionSecondDerivative: 0)
        }
        // e and c keep about ε/K relative accuracy (the O(1) terms of ∂ ln Z/∂K cancel to O(K)), and
        // 1/sinh² 2K overflows near K = 1e-154. Below K = 1e-8, ⟨E⟩ ∝ K and Var E is constant up to
        // relative O(K) (rings of three bonds on a side of 3, else O(K²)), so evaluate there and scale.
        let K = max(beta, 1e-8)
        let y = logSumOfYTerms(ring: columns, steps: rows, coupling: K)
        return KaufmanResult(rows: rows, columns: columns, beta: beta,
                             logPartitionFunction: -log(2.0) + y.value,
                             logPartitionFunctionDerivative: y.first * (beta / K),
                             // A variance, so never negative; at low T rounding can leave −1e-31.
                             logPartitionFunctionSecondDerivative: max(0, y.second))
    }

    /// ln[(2 sinh 2K)^{nm/2} (Y₁ + Y₂ + Y₃ + Y₄)] and its first two K-derivatives, for a ring of
    /// n spins and m steps.
    ///
    /// The prefactor is shared out as (2 sinh 2K)^{m/2} to each of the n factors of every Y, so a
    /// factor 2 cosh(m|γ|/2) becomes e^{(m/2)δ}(1 + e^{−m|γ|}) with δ = |γ| + ln 2 sinh 2K. δ has
    /// closed forms without cancellation at every K, whereas keeping the prefactor apart makes
    /// ∂ ln Z/∂K the difference of two terms of size nm/2K at high temperature.
    ///
    /// The even modes' Σ(m/2)δ, of size nm, is common to all four terms and is summed once; each
    /// term carries only what differs (odd minus even δ, and ln of the remainders), so rounding of
    /// the large common part is never multiplied by the large derivatives of a single factor.
    /// Each term is also split into its r = 0 remainder S and the rest R, which is positive because
    /// γ_j > 0 for 1 ≤ j ≤ 2n − 1 (cosh γ_j ≥ 2 − cos(πj/n) > 1). S is kept apart because γ₀
    /// changes sign at K_c: there Y₄ = 0 while dY₄/dK ≠ 0, so ln|Y₄| and its derivatives blow up
    /// although Y₄ and its derivatives do not. Everything is carried as e^{L}·(value) so that no
    /// term overflows, and the second derivative is summed centred on the mean slope.
    private static func logSumOfYTerms(ring n: Int, steps m: Int, coupling K: Double)
        -> (value: Double, first: Double, second: Double) {
        let half = 0.5 * Double(m)
        // Terms in the order Y₁, Y₂, Y₃, Y₄: odd/even γ index, cosh/sinh.
        let usesSinh = [false, true, false, true]
        let usesOdd = [true, true, false, false]
        var common = (value: 0.0, first: 0.0, second: 0.0)
        var logR = [Double](repeating: 0, count: 4)
        var slopeR = [Double](repeating: 0, count: 4)
        var curvatureR = [Double](repeating: 0, count: 4)
        var special = [(value: Double, first: Double, second: Double)]()
        for r in 0..<n {
            let odd = mode(index: 2 * r + 1, ring: n, coupling: K)
            let even = r == 0 ? modeZero(coupling: K) : mode(index: 2 * r, ring: n, coupling: K)
            common.value += half * even.delta
            common.first += half * even.dDelta
            common.second += half * even.d2Delta
            for t in 0..<4 {
                let g = usesOdd[t] ? odd : even
                if usesOdd[t] {
                    logR[t] += half * (odd.delta - even.delta)
                    slopeR[t] += half * (odd.dDelta - even.dDelta)
                    curvatureR[t] += half * (odd.d2Delta - even.d2Delta)
                }
                if r == 0 {
                    special.append(remainder(sinh: usesSinh[t], x: half * g.gamma, dx: half * g.dGamma,
                                             d2x: half * g.d2Gamma))
                } else {
                    let f = logRemainder(sinh: usesSinh[t], x: half * g.gamma, dx: half * g.dGamma,
                                         d2x: half * g.d2Gamma)
                    logR[t] += f.value
                    slopeR[t] += f.first
                    curvatureR[t] += f.second
                }
            }
        }
        let top = logR.max()!
        var total = 0.0
        var totalSlope = 0.0
        var weights = [Double](repeating: 0, count: 4)
        for t in 0..<4 {
            weights[t] = exp(logR[t] - top)
            total += weights[t] * special[t].value
            totalSlope += weights[t] * (special[t].first + special[t].value * slopeR[t])
        }
        precondition(total > 0, "Kaufman's Y₁ + Y₂ + Y₃ + Y₄ must be positive (K = \(K), \(m) × \(n))")
        let slope = totalSlope / total
        var centred = 0.0
        for t in 0..<4 {
            let s = special[t]
            let d = slopeR[t] - slope
            centred += weights[t] * (s.second + 2 * s.first * d + s.value * (curvatureR[t] + d * d))
        }
        return (common.value + top + log(total), common.first + slope, common.second + centred / total)
    }

    /// γ and δ = |γ| + ln(2 sinh 2K) of one Fourier mode, each with its first two K-derivatives.
    private struct Mode {
        var gamma, dGamma, d2Gamma: Double
        var delta, dDelta, d2Delta: Double
    }

    /// The mode j ≥ 1, from cosh γ_j = A − cos θ, A = cosh 2K coth 2K = s + 1/s, s = sinh 2K,
    /// θ = πj/n, written through w = s cosh γ = 1 + s² − s cos θ and q = s sinh γ = √(w² − s²),
    /// which stay finite as K → 0 where γ → ∞.
    private static func mode(index j: Int, ring n: Int, coupling K: Double) -> Mode {
        let s = sinh(2 * K)
        let c = cosh(2 * K)
        let halfAngle = sin(Double.pi * Double(j) / Double(2 * n))
        let cosTheta = 1 - 2 * halfAngle * halfAngle
        // w − s = s(cosh γ − 1) = (s − 1)² + 2s sin²(θ/2): exact where γ is small (K ≈ K_c, j ≪ n).
        let wMinusS = (s - 1) * (s - 1) + 2 * s * halfAngle * halfAngle
        let w = wMinusS + s
        let q = (wMinusS * (w + s)).squareRoot()
        let gamma = log1p((wMinusS + q) / s)
        // γ′ = A′/sinh γ and γ″ = (A″ − cosh γ γ′²)/sinh γ, with A′ = 2c(1 − 1/s²).
        let dGamma = 2 * c * (s - 1) * (s + 1) / (s * q)
        let d2Gamma = (4 * s * s - 4 + 8 * c * c / (s * s) - w * dGamma * dGamma) / q
        if K >= 0.25 {
            // Here γ′ and 2 coth 2K are both O(1), so δ′ = γ′ + 2 coth 2K loses nothing, while
            // the form below would cancel near K_c, where q → 0 for small j/n.
            return Mode(gamma: gamma, dGamma: dGamma, d2Gamma: d2Gamma,
                        delta: gamma + 2 * K + log(-expm1(-4 * K)),
                        dDelta: dGamma + 2 * c / s, d2Delta: d2Gamma - 4 / (s * s))
        }
        // δ = ln 2(w + q); for K < 1/4, q² ≥ 0.2 so q′ = (ww′ − 2sc)/q is well conditioned.
        let dw = 2 * c * (2 * s - cosTheta)
        let d2w = 8 * s * s - 4 * s * cosTheta + 8 * c * c
        let dq = (w * dw - 2 * s * c) / q
        let d2q = (dw * dw + w * d2w - 4 * c * c - 4 * s * s - dq * dq) / q
        let p = w + q
        let slope = (dw + dq) / p
        return Mode(gamma: gamma, dGamma: dGamma, d2Gamma: d2Gamma,
                    delta: log(2 * p), dDelta: slope, d2Delta: (d2w + d2q) / p - slope * slope)
    }

    /// The mode j = 0: γ₀ = 2K + ln tanh K with its sign, and δ₀ = |γ₀| + ln 2 sinh 2K, which is
    /// 2 ln(1 + e^{−2K}) where γ₀ < 0 and 2 ln(e^{2K} − 1) where γ₀ ≥ 0.
    private static func modeZero(coupling K: Double) -> Mode {
        let s = sinh(2 * K)
        let gamma = 2 * K + log(tanh(K))
        let dGamma = 2 + 2 / s
        let d2Gamma = -4 * cosh(2 * K) / (s * s)
        // The branch follows the sign of the computed γ₀, so that δ₀ and the remainder's sign
        // (in `remainder`) describe the same |γ₀| even where rounding decides it.
        if gamma >= 0 {
            let e = expm1(2 * K)
            return Mode(gamma: gamma, dGamma: dGamma, d2Gamma: d2Gamma,
                        delta: 2 * log(e), dDelta: 4 * (e + 1) / e, d2Delta: -8 * (e + 1) / (e * e))
        }
        let t = exp(-2 * K)
        return Mode(gamma: gamma, dGamma: dGamma, d2Gamma: d2Gamma,
                    delta: 2 * log1p(t), dDelta: -4 * t / (1 + t), d2Delta: 8 * t / ((1 + t) * (1 + t)))
    }

    /// φ = 2 cosh(x)e^{−|x|} = 1 + e^{−2|x|} or 2 sinh(x)e^{−|x|} = sign(x)(1 − e^{−2|x|}) and its
    /// K-derivatives, given x = mγ/2 and its derivatives. φ may be 0 (γ₀ = 0 at K_c).
    private static func remainder(sinh useSinh: Bool, x: Double, dx: Double, d2x: Double)
        -> (value: Double, first: Double, second: Double) {
        let sign: Double = x >= 0 ? 1 : -1
        let e = exp(-2 * sign * x)
        if useSinh {
            return (sign * -expm1(-2 * sign * x), 2 * e * dx, 2 * e * d2x - 4 * sign * e * dx * dx)
        }
        return (1 + e, -2 * sign * e * dx, 4 * e * dx * dx - 2 * sign * e * d2x)
    }

    /// ln φ and its K-derivatives for x > 0, in closed forms that neither overflow nor cancel.
    private static func logRemainder(sinh useSinh: Bool, x: Double, dx: Double, d2x: Double)
        -> (value: Double, first: Double, second: Double) {
        let e = exp(-2 * x)
        if useSinh {
            let minus = -expm1(-2 * x)
            return (log(minus), 2 * e * dx / minus, 2 * e * d2x / minus - 4 * e * dx * dx / (minus * minus))
        }
        let plus = 1 + e
        return (log1p(e), -2 * e * dx / plus, 4 * e * dx * dx / (plus * plus) - 2 * e * d2x / plus)
    }
}
