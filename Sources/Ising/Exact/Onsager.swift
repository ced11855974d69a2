import Foundation

extension ExactIsing2D {
    /// Onsager's energy per site of the infinite square lattice at h = 0 (L. Onsager, Phys. Rev. 65,
    /// 117 (1944)): u(K) = −coth 2K [1 + (2/π)(2 tanh² 2K − 1) 𝐊(k)], k = 2 sinh 2K / cosh² 2K,
    /// with 𝐊 the complete elliptic integral of the first kind. u(K_c) = −√2 exactly: 𝐊 diverges
    /// only logarithmically there while 2 tanh² 2K − 1 vanishes linearly.
    ///
    /// - Precondition: β > 0 and finite.
    public static func onsagerEnergy(beta: Double) -> Double {
        precondition(beta > 0 && beta.isFinite, "Onsager's energy needs a finite β > 0 (got \(beta))")
        let K = beta
        if K == criticalCoupling { return criticalEnergy }
        // Beyond K = 50 the corrections to u = −2 are e^{−8K}, below double precision.
        if K > 50 { return -2 }
        // Below K = 1e-8, u = −2 tanh K − 4 tanh³ K + … to double precision, while sinh² 2K underflows.
        if K < 1e-8 { return -2 * tanh(K) }
        let s = sinh(2 * K)
        let c = cosh(2 * K)
        let t = tanh(2 * K)
        // With F = (2/π)𝐊(k), the bracket is 2t² + (2t² − 1)(F − 1). In it 2t² − 1 = (s² − 1)/c² =
        // ±k' with k' = √(1 − k²) = |s² − 1|/c², and 1 − k' = 2 min(s², 1)/c², both exact. Written
        // so, nothing cancels far above T_c (where the bracket is ≈ 4K² while F ≈ 1) nor near K_c
        // (where F diverges like ln(1/k') while k' → 0).
        let complementary = abs((s - 1) * (s + 1)) / (c * c)
        let oneMinusComplementary = 2 * min(s * s, 1) / (c * c)
        let sign: Double = s > 1 ? 1 : -1
        let mean = arithmeticGeometricMean(b: complementary, oneMinusB: oneMinusComplementary)
        let fMinusOne = -mean.minusOne / mean.value
        return -(c / s) * (2 * t * t + sign * complementary * fMinusOne)
    }

    /// Yang's spontaneous magnetisation of the infinite square lattice (C. N. Yang, Phys. Rev. 85,
    /// 808 (1952)): m₀ = (1 − sinh⁻⁴ 2K)^{1/8} for K > K_c, and 0 for K ≤ K_c.
    ///
    /// - Precondition: β > 0 and finite.
    public static func spontaneousMagnetization(beta: Double) -> Double {
        precondition(beta > 0 && beta.isFinite, "Yang's magnetisation needs a finite β > 0 (got \(beta))")
        let K = beta
        guard K > criticalCoupling else { return 0 }
        // 1 − s⁻⁴ through expm1 keeps its relative accuracy just below T_c, where it is ≈ 4(s − 1).
        let gap = -expm1(-4 * log(sinh(2 * K)))
        return gap > 0 ? pow(gap, 0.125) : 0
    }

    /// AGM(1, b) and AGM(1, b) − 1 for 0 ≤ b ≤ 1, given b and 1 − b each to full precision.
    /// 𝐊(k) = π / (2 AGM(1, k')) (Abramowitz & Stegun 17.6), so (2/π)𝐊 − 1 = −(AGM − 1)/AGM.
    /// Where b is near 1 (k → 0) the mean is iterated on the deviations from 1, which keeps
    /// AGM − 1 to full relative precision; elsewhere directly.
    static func arithmeticGeometricMean(b: Double, oneMinusB: Double) -> (value: Double, minusOne: Double) {
        if oneMinusB > 0.25 {
            var a = 1.0
            var b = b
            var steps = 0
            // Quadratic convergence: ~5 steps, ~10 for b ≈ 1e-300; b = 0 halves a to 2⁻⁶⁴, harmless
            // because the caller multiplies by k' = 0.
            while abs(a - b) > 1e-16 * a && steps < 64 {
                (a, b) = (0.5 * (a + b), (a * b).squareRoot())
                steps += 1
            }
            return (a, a - 1)
        }
        var da = 0.0
        var db = -oneMinusB
        var steps = 0
        // Relative test: far above T_c, 1 − b ≈ 8K² may be far below any absolute threshold.
        while abs(da - db) > 1e-16 * abs(da) && steps < 64 {
            let product = da + db + da * db
            (da, db) = (0.5 * (da + db), product / ((1 + product).squareRoot() + 1))
            steps += 1
        }
        return (1 + da, da)
    }
}
