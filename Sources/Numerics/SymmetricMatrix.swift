// Dense symmetric matrices of the sizes a lattice's sites give (up to a few hundred): Cholesky
// factorisation and inverse, and eigenvalues by cyclic Jacobi rotations, which is accurate to
// machine precision relative to the largest eigenvalue and needs no LAPACK.

import Foundation

/// A dense symmetric n × n matrix, row-major.
public struct SymmetricMatrix: Sendable, Equatable {
    /// The order n.
    public let order: Int
    /// The n² entries, row-major (both triangles stored).
    public var entries: [Double]

    /// The matrix with `entries` (row-major, n²).
    public init(order: Int, entries: [Double]) {
        precondition(entries.count == order * order, "SymmetricMatrix: \(entries.count) entries for order \(order)")
        self.order = order
        self.entries = entries
    }

    /// Entry (i, j).
    public subscript(i: Int, j: Int) -> Double {
        get { entries[i * order + j] }
        set { entries[i * order + j] = newValue }
    }

    /// The lower Cholesky factor L with A = L Lᵀ, or nil when A is not positive definite.
    public func cholesky() -> [Double]? {
        let n = order
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var d = self[j, j]
            for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
            guard d > 0 else { return nil }
            let root = d.squareRoot()
            l[j * n + j] = root
            for i in (j + 1)..<n {
                var s = self[i, j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = s / root
            }
        }
        return l
    }

    /// A⁻¹, or nil when A is not positive definite.
    public func inversePositiveDefinite() -> SymmetricMatrix? {
        guard let l = cholesky() else { return nil }
        let n = order
        // L⁻¹ by forward substitution, then A⁻¹ = L⁻ᵀ L⁻¹.
        var inverseL = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            inverseL[j * n + j] = 1 / l[j * n + j]
            for i in (j + 1)..<n {
                var s = 0.0
                for k in j..<i { s -= l[i * n + k] * inverseL[k * n + j] }
                inverseL[i * n + j] = s / l[i * n + i]
            }
        }
        var inverse = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = 0.0
                for k in i..<n { s += inverseL[k * n + i] * inverseL[k * n + j] }
                inverse[i * n + j] = s
                inverse[j * n + i] = s
            }
        }
        return SymmetricMatrix(order: n, entries: inverse)
    }

    /// The eigenvalues in increasing order, by cyclic Jacobi rotations.
    public func eigenvalues() -> [Double] {
        let n = order
        var a = entries
        for _ in 0..<100 {
            var off = 0.0, scale = 0.0
            for i in 0..<n {
                scale += a[i * n + i] * a[i * n + i]
                for j in (i + 1)..<n { off += a[i * n + j] * a[i * n + j] }
            }
            if off <= 1e-30 * max(scale, Double.leastNormalMagnitude) { break }
            for p in 0..<n {
                for q in (p + 1)..<n where a[p * n + q] != 0 {
                    // The rotation that zeroes a_pq (Golub & Van Loan, Algorithm 8.4.2).
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let kp = a[k * n + p], kq = a[k * n + q]
                        a[k * n + p] = c * kp - s * kq
                        a[k * n + q] = s * kp + c * kq
                    }
                    for k in 0..<n {
                        let pk = a[p * n + k], qk = a[q * n + k]
                        a[p * n + k] = c * pk - s * qk
                        a[q * n + k] = s * pk + c * qk
                    }
                }
            }
        }
        return (0..<n).map { a[$0 * n + $0] }.sorted()
    }
}
