import Foundation
import Generative

/// The φ⁴ action in the hopping form on a periodic 2-D lattice, written out plainly as the
/// tests' target: S = Σₓ [−2κ Σ_μ φₓφₓ₊μ̂ + φₓ² + λ(φₓ² − 1)²] (REFERENCE.md). The app layer's
/// adapter uses the φ⁴ engine itself; this copy only lets the Generative tests stand alone.
final class HoppingAction: LatticeAction {
    let extents: [Int]
    let kappa: Double
    let lambda: Double

    init(extents: [Int], kappa: Double, lambda: Double) {
        self.extents = extents
        self.kappa = kappa
        self.lambda = lambda
    }

    func evaluate(_ fields: UnsafeBufferPointer<Double>, batch: Int, gradient: UnsafeMutableBufferPointer<Double>?) -> [Double] {
        let (l0, l1) = (extents[0], extents[1]), v = l0 * l1
        return (0..<batch).map { b in
            var s = 0.0
            for x in 0..<l0 {
                for y in 0..<l1 {
                    let i = b * v + x * l1 + y
                    let phi = fields[i], up = fields[b * v + ((x + 1) % l0) * l1 + y], right = fields[b * v + x * l1 + (y + 1) % l1]
                    let down = fields[b * v + ((x + l0 - 1) % l0) * l1 + y], left = fields[b * v + x * l1 + (y + l1 - 1) % l1]
                    s += -2 * kappa * phi * (up + right) + phi * phi + lambda * (phi * phi - 1) * (phi * phi - 1)
                    gradient?[i] = -2 * kappa * (up + right + down + left) + 2 * phi + 4 * lambda * (phi * phi - 1) * phi
                }
            }
            return s
        }
    }

    /// ⟨φₓ²⟩ of the free field (λ = 0): (1/2V) Σ_p 1/(1 − 2κ Σ_μ cos p_μ).
    var freeFieldSquare: Double {
        precondition(lambda == 0)
        var sum = 0.0
        for n0 in 0..<extents[0] {
            for n1 in 0..<extents[1] {
                let c = cos(2 * Double.pi * Double(n0) / Double(extents[0])) + cos(2 * Double.pi * Double(n1) / Double(extents[1]))
                sum += 1 / (1 - 2 * kappa * c)
            }
        }
        return sum / (2 * Double(extents[0] * extents[1]))
    }
}
