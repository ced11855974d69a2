import Foundation
import Lattice

/// Exact results of the free field (λ = 0) in the hopping form, computed by momentum sums:
/// S = Σ_p ½ ω_p² |φ̃_p|² with ω_p² = 2(1 − 2κ Σ_μ cos p_μ), so every mode is a harmonic oscillator.
struct FreeField {
    let extents: [Int]
    let kappa: Double

    var dimension: Int { extents.count }
    var volume: Int { extents.reduce(1, *) }

    /// ω_p² of every lattice momentum p_μ = 2π n_μ / L_μ.
    var frequenciesSquared: [Double] {
        var result: [Double] = []
        var n = [Int](repeating: 0, count: dimension)
        for _ in 0..<volume {
            let cosines = zip(n, extents).map { cos(2 * Double.pi * Double($0) / Double($1)) }.reduce(0, +)
            result.append(2 * (1 - 2 * kappa * cosines))
            for axis in (0..<dimension).reversed() {
                n[axis] += 1
                if n[axis] < extents[axis] { break }
                n[axis] = 0
            }
        }
        return result
    }

    /// ⟨φ₀ φ_x⟩ = (1/2V) Σ_p cos(p·x) / (1 − 2κ Σ cos p_μ).
    func propagator(_ x: [Int]) -> Double {
        var total = 0.0
        var n = [Int](repeating: 0, count: dimension)
        for _ in 0..<volume {
            var phase = 0.0, cosines = 0.0
            for axis in 0..<dimension {
                let p = 2 * Double.pi * Double(n[axis]) / Double(extents[axis])
                phase += p * Double(x[axis])
                cosines += cos(p)
            }
            total += cos(phase) / (1 - 2 * kappa * cosines)
            for axis in (0..<dimension).reversed() {
                n[axis] += 1
                if n[axis] < extents[axis] { break }
                n[axis] = 0
            }
        }
        return total / (2 * Double(volume))
    }

    /// The zero-momentum correlator G(t) = Σ_{x⃗} ⟨φ(0) φ(t, x⃗)⟩ = (1/2L₀) Σ_{p₀} cos(p₀t)/(1 − 2κ(cos p₀ + d − 1)).
    func correlator(_ t: Int) -> Double {
        let l0 = extents[0]
        var total = 0.0
        for n in 0..<l0 {
            let p = 2 * Double.pi * Double(n) / Double(l0)
            total += cos(p * Double(t)) / (1 - 2 * kappa * (cos(p) + Double(dimension - 1)))
        }
        return total / (2 * Double(l0))
    }

    /// The Fourier-acceleration kernel M_p = (p̂² + m²)/(4d + m²) in the order of `frequenciesSquared`,
    /// with p̂² = Σ_μ (2 − 2 cos p_μ) (the engine's 4 sin²(p_μ/2), computed another way).
    func fourierKernel(mass: Double) -> [Double] {
        var result: [Double] = []
        var n = [Int](repeating: 0, count: dimension)
        for _ in 0..<volume {
            let hat = zip(n, extents).map { 2 - 2 * cos(2 * Double.pi * Double($0) / Double($1)) }.reduce(0, +)
            result.append((hat + mass) / (4 * Double(dimension) + mass))
            for axis in (0..<dimension).reversed() {
                n[axis] += 1
                if n[axis] < extents[axis] { break }
                n[axis] = 0
            }
        }
        return result
    }

    /// The exact ⟨ΔH⟩ of one trajectory from equilibrium: per mode H = ½(p²/M + ω² q²), with the
    /// integrator's linear map T on (q, p) (kick p −= hω²q, drift q += hp/M) and D = diag(ω², 1/M),
    /// ⟨ΔH⟩ = ½(tr(Tᵀ D T D⁻¹) − 2), summed over the modes. Plain HMC has M = 1; Fourier
    /// acceleration with mass m² has M = M_p of `fourierKernel`.
    func meanDeltaH(steps: Int, stepSize: Double, omelyan: Bool, fourierMass: Double? = nil) -> Double {
        let kernel = fourierMass.map(fourierKernel) ?? [Double](repeating: 1, count: volume)
        return zip(frequenciesSquared, kernel).map { w2, mass in
            // T as rows (a b; c d), built by applying the integrator's kicks and drifts.
            var t = (a: 1.0, b: 0.0, c: 0.0, d: 1.0)
            func kick(_ h: Double) { t = (t.a, t.b, t.c - h * w2 * t.a, t.d - h * w2 * t.b) }
            func drift(_ h: Double) { t = (t.a + h * t.c / mass, t.b + h * t.d / mass, t.c, t.d) }
            if omelyan {
                let l = 0.1931833275037836
                for _ in 0..<steps { kick(l * stepSize); drift(stepSize / 2); kick((1 - 2 * l) * stepSize); drift(stepSize / 2); kick(l * stepSize) }
            } else {
                for _ in 0..<steps { kick(stepSize / 2); drift(stepSize); kick(stepSize / 2) }
            }
            // tr(Tᵀ D T D⁻¹) for D = diag(ω², 1/M), written out.
            let trace = t.a * t.a + t.b * t.b * w2 * mass + t.c * t.c / (w2 * mass) + t.d * t.d
            return 0.5 * (trace - 2)
        }.reduce(0, +)
    }
}
