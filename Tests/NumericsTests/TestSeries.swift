// Synthetic Monte Carlo series with known autocorrelation, drawn from RandomStream so that every
// statistical test is reproducible.

import Numerics

enum TestSeries {
    /// AR(1): xₜ = ρxₜ₋₁ + √(1−ρ²)ηₜ, started in equilibrium (x₀ = η₀), so Var x = 1,
    /// τ_int = ½(1+ρ)/(1−ρ) and σ(x̄) = √(2τ_int/N) (REFERENCE.md).
    static func ar1(rho: Double, count n: Int, seed: UInt64, replica: Int = 0) -> [Double] {
        var stream = RandomStream(seed: seed, purpose: RandomStream.Purpose(rawValue: 200),
                                  replica: replica)
        var x = [Double](repeating: 0, count: n)
        x.withUnsafeMutableBufferPointer { stream.fillNormals($0) }
        let c = (1 - rho * rho).squareRoot()
        for t in 1..<n { x[t] = rho * x[t - 1] + c * x[t] }
        return x
    }

    /// Exact τ_int of an AR(1) series.
    static func ar1TauInt(rho: Double) -> Double { 0.5 * (1 + rho) / (1 - rho) }
}
