import Cluster
import Lattice

/// The φ⁴ action on one rank's slab: the force kernel HMC spends its time in, and the per-plane
/// sums that accept/reject and the measurements are built from.
///
/// Sites are visited row by row (the last axis is contiguous); a row's neighbours along axis 0 are
/// the same row in the planes before and after (halo planes at the slab's ends), along the inner
/// axes 1…d−2 other rows of the same plane, and along the last axis its own elements, wrapped.
/// Every site goes through the same arithmetic in the same order wherever it lies in the slab, so
/// results do not depend on how the lattice is split.
public final class Phi4Action {
    /// The lattice.
    public let geometry: Geometry
    /// κ and λ.
    public let couplings: Phi4Couplings
    let rowLength: Int
    let rowsPerPlane: Int
    /// Neighbour rows along the inner axes: for row r, entries r·2(d−2) + 2(a−1) (forward) and
    /// + 1 (backward), as site offsets from the start of the plane.
    private let innerRows: UnsafeMutableBufferPointer<Int>
    /// Σ of a row's inner-axis neighbours, built before the fused kernel runs over the row.
    private let extra: UnsafeMutableBufferPointer<Double>

    public init(geometry: Geometry, couplings: Phi4Couplings) {
        precondition(geometry.dimension >= 2, "φ⁴ runs in two or more dimensions")
        self.geometry = geometry
        self.couplings = couplings
        rowLength = geometry.extents.last!
        rowsPerPlane = geometry.planeVolume / rowLength
        let inner = geometry.dimension - 2
        innerRows = .allocate(capacity: max(1, rowsPerPlane * 2 * inner))
        extra = .allocate(capacity: rowLength)
        extra.initialize(repeating: 0)
        for row in 0..<rowsPerPlane where inner > 0 {
            for axis in 1...inner {
                // The row's coordinate along `axis` inside the plane, stepped ±1 with wrap-around.
                let stride = geometry.strides[axis] / rowLength, l = geometry.extents[axis]
                let x = (row / stride) % l
                let forward = row + (x == l - 1 ? -(l - 1) : 1) * stride
                let backward = row + (x == 0 ? l - 1 : -1) * stride
                innerRows[row * 2 * inner + 2 * (axis - 1)] = forward * rowLength
                innerRows[row * 2 * inner + 2 * (axis - 1) + 1] = backward * rowLength
            }
        }
    }

    deinit {
        innerRows.deallocate()
        extra.deallocate()
    }

    /// Adds h·F(φ) to `momenta` (indexed like `field.owned`) on local planes `planes` (1…P are
    /// owned), with Fₓ = −∂S/∂φₓ = 2κ Σ_{±μ} φₓ±μ̂ − 2φₓ − 4λ(φₓ² − 1)φₓ. The halos must be
    /// current when `planes` includes 1 or P.
    public func kick(_ field: HaloField<Double>, momenta: UnsafeMutableBufferPointer<Double>, by h: Double, planes: Range<Int>) {
        let v = field.planeVolume, l = rowLength, inner = geometry.dimension - 2
        let a = 2 * couplings.kappa * h, b = (4 * couplings.lambda - 2) * h, c = 4 * couplings.lambda * h
        let phi = field.storage.baseAddress!, pi = momenta.baseAddress! - v
        let sum = extra.baseAddress!, rows = innerRows.baseAddress!
        for plane in planes {
            for row in 0..<rowsPerPlane {
                let start = plane * v + row * l
                if inner > 0 {
                    innerSum(into: sum, plane: phi + plane * v, offsets: rows + row * 2 * inner, count: 2 * inner, length: l)
                    kickRow(phi + start, up: phi + start - v, down: phi + start + v, extra: sum, momenta: pi + start,
                            length: l, a: a, b: b, c: c, hasExtra: true)
                } else {
                    kickRow(phi + start, up: phi + start - v, down: phi + start + v, extra: sum, momenta: pi + start,
                            length: l, a: a, b: b, c: c, hasExtra: false)
                }
            }
        }
    }

    /// The action of each owned plane, S_p = Σ_{x∈p} [ −2κ φₓ Σ_μ φₓ₊μ̂ + φₓ² + λ(φₓ² − 1)² ],
    /// into `sums[0..<P]`. The upper halo must be current.
    public func planeActions(_ field: HaloField<Double>, into sums: UnsafeMutableBufferPointer<Double>) {
        let v = field.planeVolume, l = rowLength, inner = geometry.dimension - 2
        let kappa2 = 2 * couplings.kappa, lambda = couplings.lambda
        let phi = field.storage.baseAddress!, rows = innerRows.baseAddress!, t = extra.baseAddress!
        for plane in 1...field.planes.count {
            var total = 0.0
            for row in 0..<rowsPerPlane {
                let here = phi + plane * v + row * l, next = here + v
                // t[x] = the forward neighbours along the inner axes, then the site's action.
                if inner > 0 {
                    let first = phi + plane * v + rows[row * 2 * inner]
                    for x in 0..<l { t[x] = first[x] }
                    for axis in 1..<max(1, inner) {
                        let r = phi + plane * v + rows[row * 2 * inner + 2 * axis]
                        for x in 0..<l { t[x] += r[x] }
                    }
                } else {
                    for x in 0..<l { t[x] = 0 }
                }
                @inline(__always)
                func site(_ x: Int, _ right: Double) {
                    let p = here[x], q = p * p - 1
                    t[x] = -kappa2 * p * (right + next[x] + t[x]) + p * p + lambda * q * q
                }
                var x = 0
                while x < l - 1 {
                    site(x, here[x &+ 1])
                    x &+= 1
                }
                site(l - 1, here[0])
                total += orderedSum(t, count: l)
            }
            sums[plane - 1] = total
        }
    }

    /// Σ over the inner-axis neighbour rows of one row, element by element.
    @inline(__always)
    private func innerSum(into sum: UnsafeMutablePointer<Double>, plane: UnsafePointer<Double>, offsets: UnsafePointer<Int>,
                          count: Int, length l: Int) {
        let first = plane + offsets[0]
        for x in 0..<l { sum[x] = first[x] }
        for k in 1..<count {
            let row = plane + offsets[k]
            for x in 0..<l { sum[x] += row[x] }
        }
    }
}

/// The fused kernel of one row: π += a·n + φ(b − cφ²), with n the sum of the 2d neighbours. The
/// two ends, where the row wraps, go through the same `site` so every site rounds alike.
@inline(__always)
private func kickRow(_ phi: UnsafePointer<Double>, up: UnsafePointer<Double>, down: UnsafePointer<Double>,
                     extra: UnsafePointer<Double>, momenta: UnsafeMutablePointer<Double>, length l: Int,
                     a: Double, b: Double, c: Double, hasExtra: Bool) {
    @inline(__always)
    func site(_ x: Int, _ left: Double, _ right: Double) {
        var n = left + right + up[x] + down[x]
        if hasExtra { n += extra[x] }
        let p = phi[x]
        momenta[x] += a * n + p * (b - c * p * p)
    }
    site(0, phi[l - 1], phi[1])
    var x = 1
    while x < l - 1 {
        site(x, phi[x &- 1], phi[x &+ 1])
        x &+= 1
    }
    site(l - 1, phi[l - 2], phi[0])
}

/// Σ values[0..<n] in a fixed order (four interleaved partial sums, then the tail), so that the
/// loop vectorises while the result stays a function of the values alone.
@inline(__always)
func orderedSum(_ values: UnsafePointer<Double>, count n: Int) -> Double {
    var a = SIMD4<Double>(repeating: 0)
    var i = 0
    while i &+ 4 <= n {
        a += SIMD4(values[i], values[i &+ 1], values[i &+ 2], values[i &+ 3])
        i &+= 4
    }
    var total = (a[0] + a[1]) + (a[2] + a[3])
    while i < n {
        total += values[i]
        i &+= 1
    }
    return total
}
