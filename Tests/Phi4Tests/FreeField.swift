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

    /// The exact ⟨ΔH⟩ of one trajectory from equilibrium: per mode, with the integrator's linear
    /// map T on (q, p) and D = diag(ω², 1), ⟨ΔH⟩ = ½(tr(Tᵀ D T D⁻¹) − 2), summed over the modes.
    func meanDeltaH(steps: Int, stepSize: Double, omelyan: Bool) -> Double {
        frequenciesSquared.map { w2 in
            // T as rows (a b; c d), built by applying the integrator's kicks and drifts.
            var t = (a: 1.0, b: 0.0, c: 0.0, d: 1.0)
            func kick(_ h: Double) { t = (t.a, t.b, t.c - h * w2 * t.a, t.d - h * w2 * t.b) }
            func drift(_ h: Double) { t = (t.a + h * t.c, t.b + h * t.d, t.c, t.d) }
            if omelyan {
                let l = 0.1931833275037836
                for _ in 0..<steps { kick(l * stepSize); drift(stepSize / 2); kick((1 - 2 * l) * stepSize); drift(stepSize / 2); kick(l * stepSize) }
            } else {
                for _ in 0..<steps { kick(stepSize / 2); drift(stepSize); kick(stepSize / 2) }
            }
            // tr(Tᵀ D T D⁻¹) = a² + ω² b²·... written out for D = diag(w2, 1).
            let trace = t.a * t.a + t.b * t.b * w2 + t.c * t.c / w2 + t.d * t.d
            return 0.5 * (trace - 2)
        }.reduce(0, +)
    }
}
