import Foundation
import Numerics

/// The free field's kernel on a periodic lattice, the reference an RBM's K is compared with: in the
/// hopping form at λ = 0, S = ½φᵀAφ with A = 2(𝟙 − κ Σ_{±μ} shift_μ), whose eigenvalues are
/// 2(1 − 2κ Σ_μ cos p_μ), p_μ = 2πn_μ/L_μ (REFERENCE.md). Extents of at least 3, so that the two
/// neighbours along an axis are distinct sites.
public func freeFieldKernel(extents: [Int], kappa: Double) -> SymmetricMatrix {
    precondition(extents.allSatisfy { $0 >= 3 }, "freeFieldKernel: extents \(extents) must be at least 3")
    let v = extents.reduce(1, *)
    var strides = [Int](repeating: 1, count: extents.count)
    for axis in stride(from: extents.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * extents[axis + 1] }
    var a = SymmetricMatrix(order: v, entries: [Double](repeating: 0, count: v * v))
    for site in 0..<v {
        a[site, site] = 2
        for (axis, l) in extents.enumerated() {
            let x = (site / strides[axis]) % l
            for step in [1, l - 1] { a[site, site + (((x + step) % l) - x) * strides[axis]] -= 2 * kappa }
        }
    }
    return a
}

/// The eigenvalues of `freeFieldKernel(extents:kappa:)` from their formula, in increasing order.
public func freeFieldSpectrum(extents: [Int], kappa: Double) -> [Double] {
    var values: [Double] = [2]
    for l in extents {
        values = values.flatMap { partial in
            (0..<l).map { n in partial - 4 * kappa * cos(2 * Double.pi * Double(n) / Double(l)) }
        }
    }
    return values.sorted()
}
