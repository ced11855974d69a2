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

    /// The action on `geometry` at `couplings`, with its neighbour tables built once.
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
        // 2D planes are single rows, consecutive in memory: whole vectors, a block of planes at a time.
        if inner == 0 && l % 8 == 0 && !planes.isEmpty {
            let start = planes.lowerBound * v
            return kickRow(phi + start, up: phi + start - v, down: phi + start + v, extra: sum, extra2: sum, momenta: pi + start,
                           length: l, rows: planes.count, a: a, b: b, c: c, extras: 0)
        }
        // 3D planes of whole vectors: the rows between the first and the last have their inner
        // neighbours one row before and after, so they go as one run, like the rows of 2D planes.
        if inner == 1 && l % 8 == 0 && rowsPerPlane > 2 {
            for plane in planes {
                let start = plane * v
                // Forward (extra) and backward (extra2) rows, added in that order as on the general path.
                let last = start + (rowsPerPlane - 1) * l
                kickRow(phi + start, up: phi + start - v, down: phi + start + v, extra: phi + start + l, extra2: phi + last,
                        momenta: pi + start, length: l, a: a, b: b, c: c, extras: 2)
                let middle = start + l
                kickRow(phi + middle, up: phi + middle - v, down: phi + middle + v, extra: phi + middle + l, extra2: phi + middle - l,
                        momenta: pi + middle, length: l, rows: rowsPerPlane - 2, a: a, b: b, c: c, extras: 2)
                kickRow(phi + last, up: phi + last - v, down: phi + last + v, extra: phi + start, extra2: phi + last - l,
                        momenta: pi + last, length: l, a: a, b: b, c: c, extras: 2)
            }
            return
        }
        for plane in planes {
            for row in 0..<rowsPerPlane {
                let start = plane * v + row * l
                let up = phi + start - v, down = phi + start + v, here = phi + start, momentum = pi + start
                switch inner {
                case 0:
                    kickRow(here, up: up, down: down, extra: sum, extra2: sum, momenta: momentum, length: l, a: a, b: b, c: c, extras: 0)
                case 1:
                    // 3D: the two neighbour rows inside the plane are read where they lie.
                    let forward = phi + plane * v + rows[row * 2], backward = phi + plane * v + rows[row * 2 + 1]
                    kickRow(here, up: up, down: down, extra: forward, extra2: backward, momenta: momentum, length: l, a: a, b: b, c: c, extras: 2)
                default:
                    innerSum(into: sum, plane: phi + plane * v, offsets: rows + row * 2 * inner, count: 2 * inner, length: l)
                    kickRow(here, up: up, down: down, extra: sum, extra2: sum, momenta: momentum, length: l, a: a, b: b, c: c, extras: 1)
                }
            }
        }
    }

    /// φ += h_d·π on local planes `planes`, each followed by π += h_k·F(φ) on them, with every
    /// plane's kick after its own and its neighbours' drifts: the planes just outside `planes` must
    /// have been drifted already (they are the boundary planes or halos of the slab), and the kick
    /// of a plane runs once the plane after it has drifted, so φ and π pass through the cache
    /// once per step instead of twice. Site by site it is `drift` then `kick`, the same operations.
    /// A range cut into consecutive pieces passes `driftFirst: false` after the first piece (its
    /// first plane was drifted by the piece before) and `driftEnd`, the first plane not to drift.
    public func driftKick(_ field: HaloField<Double>, momenta: UnsafeMutableBufferPointer<Double>,
                          drift hd: Double, kick hk: Double, planes: Range<Int>, driftFirst: Bool = true, driftEnd: Int? = nil) {
        guard !planes.isEmpty else { return }
        let v = field.planeVolume, end = driftEnd ?? planes.upperBound
        // Planes in blocks of about 1024 sites: small 2D planes would spend more on the calls than
        // on the sites, large ones stay one plane at a time.
        let block = max(1, 1024 / v)
        if driftFirst { drift(field, momenta: momenta, by: hd, planes: planes.lowerBound..<(planes.lowerBound + 1)) }
        var start = planes.lowerBound
        while start < planes.upperBound {
            let stop = min(planes.upperBound, start + block)
            // Drift the planes after this block's (up to `end`), then kick the block.
            drift(field, momenta: momenta, by: hd, planes: (start + 1)..<min(stop + 1, end))
            kick(field, momenta: momenta, by: hk, planes: start..<stop)
            start = stop
        }
    }

    /// φ += h·π on local planes `planes`.
    public func drift(_ field: HaloField<Double>, momenta: UnsafeMutableBufferPointer<Double>, by h: Double, planes: Range<Int>) {
        guard !planes.isEmpty else { return }
        let v = field.planeVolume, phi = field.storage.baseAddress!, pi = momenta.baseAddress! - v
        driftSites(phi + planes.lowerBound * v, pi + planes.lowerBound * v, count: planes.count * v, by: h)
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
                // The forward neighbours along the inner axes: in 3D one row where it lies, in 4D
                // the sum of two built in t.
                var forwardInner = UnsafePointer(t)
                if inner == 1 {
                    forwardInner = UnsafePointer(phi + plane * v + rows[row * 2])
                } else if inner > 1 {
                    let first = phi + plane * v + rows[row * 2 * inner]
                    for x in 0..<l { t[x] = first[x] }
                    for axis in 1..<inner {
                        let r = phi + plane * v + rows[row * 2 * inner + 2 * axis]
                        for x in 0..<l { t[x] += r[x] }
                    }
                }
                total += rowAction(here, next: next, inner: forwardInner, hasInner: inner > 0, length: l, kappa2: kappa2, lambda: lambda)
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

/// The fused kernel of one row: π ← (π + φ(b − cφ²)) + a·n, with n the sum of the 2d neighbours
/// (along the row, in the planes before and after, and `extras` more rows: the two inner rows in
/// 3D, their precomputed sum in 4D),
/// eight sites at a time, the products fused into the sums (four additions and four multiplies or
/// fused multiply-adds per site, which the two kinds of floating-point pipes take side by side).
/// A vector's left and right neighbours are its lanes shifted by one, with the lane that wraps
/// around the row's ends put right; sites past the last whole vector go through the scalar `site`,
/// which does a lane's operations in the same order, so every site rounds alike wherever it lies.
/// (The loads of the vectors just outside a row stay inside the slab: owned planes have halo
/// planes on both sides.)
@inline(__always)
private func kickRow(_ phi: UnsafePointer<Double>, up: UnsafePointer<Double>, down: UnsafePointer<Double>,
                     extra: UnsafePointer<Double>, extra2: UnsafePointer<Double>, momenta: UnsafeMutablePointer<Double>, length l: Int,
                     rows: Int = 1, a: Double, b: Double, c: Double, extras: Int) {
    @inline(__always)
    func site(_ x: Int, _ left: Double, _ right: Double) {
        var n = left + right + up[x] + down[x]
        if extras >= 1 { n += extra[x] }
        if extras == 2 { n += extra2[x] }
        let p = phi[x]
        momenta[x] = (momenta[x] + p * b.addingProduct(-c, p * p)).addingProduct(a, n)
    }
    typealias V = SIMD8<Double>
    @inline(__always)
    func load(_ p: UnsafePointer<Double>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    let vectorEnd = l & ~7, end = (rows &- 1) &* l &+ vectorEnd
    // i runs over the sites of all `rows` rows (consecutive in memory, each of length l, a
    // multiple of 8 when rows > 1), x over the sites of the current row, which starts at rowStart.
    var i = 0, x = 0, rowStart = 0
    if vectorEnd > 0 {
        // The neighbours come from the vectors before and after by lane shifts, not from loads one
        // site off, which would straddle cache lines.
        var previous = load(phi - 8), current = load(phi)
        while i < end {
            let next = load(phi + (i &+ 8))
            var left = V(previous[7], current[0], current[1], current[2], current[3], current[4], current[5], current[6])
            var right = V(current[1], current[2], current[3], current[4], current[5], current[6], current[7], next[0])
            if x == 0 { left[0] = phi[rowStart &+ l &- 1] }
            if x &+ 8 == l { right[7] = phi[rowStart] }
            var n = left + right + load(up + i) + load(down + i)
            if extras >= 1 { n += load(extra + i) }
            if extras == 2 { n += load(extra2 + i) }
            let cubic = current * V(repeating: b).addingProduct(V(repeating: -c), current * current)
            UnsafeMutableRawPointer(momenta + i).storeBytes(of: (load(momenta + i) + cubic).addingProduct(V(repeating: a), n), as: V.self)
            previous = current
            current = next
            i &+= 8
            x &+= 8
            if x == l {
                x = 0
                rowStart &+= l
            }
        }
    }
    // Sites past the last whole vector (one row only: several rows come in whole vectors).
    var t = vectorEnd
    while t < l {
        site(t, t == 0 ? phi[l &- 1] : phi[t &- 1], t == l &- 1 ? phi[0] : phi[t &+ 1])
        t &+= 1
    }
}

/// φ += h·π over `count` sites, fused, eight at a time. (Written as a plain loop, LLVM left it
/// scalar, unsure that φ and π do not overlap, and the drift cost two thirds of the kick.)
@inline(__always)
func driftSites(_ phi: UnsafeMutablePointer<Double>, _ pi: UnsafePointer<Double>, count: Int, by h: Double) {
    typealias V = SIMD8<Double>
    let step = V(repeating: h)
    var i = 0
    while i &+ 8 <= count {
        let p = UnsafeRawPointer(phi + i).loadUnaligned(as: V.self), q = UnsafeRawPointer(pi + i).loadUnaligned(as: V.self)
        UnsafeMutableRawPointer(phi + i).storeBytes(of: p.addingProduct(step, q), as: V.self)
        i &+= 8
    }
    while i < count {
        phi[i] = phi[i].addingProduct(h, pi[i])
        i &+= 1
    }
}

/// Σ over one row of −2κ φₓ (φₓ₊₁ + φₓ₊ê₀ + inner[x]) + φₓ² + λ(φₓ² − 1)², eight sites at a time
/// with the right neighbours by lane shifts (as in `kickRow`); the vector lanes and the sites past
/// the last whole vector are summed apart and then in a fixed order, so the value is a function of
/// the row alone.
@inline(__always)
private func rowAction(_ here: UnsafePointer<Double>, next: UnsafePointer<Double>, inner: UnsafePointer<Double>, hasInner: Bool,
                       length l: Int, kappa2: Double, lambda: Double) -> Double {
    typealias V = SIMD8<Double>
    @inline(__always)
    func load(_ p: UnsafePointer<Double>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    let vectorEnd = l & ~7
    var sum = V(repeating: 0)
    var x = 0
    if vectorEnd > 0 {
        var current = load(here)
        while x < vectorEnd {
            let following = load(here + (x &+ 8))
            var right = V(current[1], current[2], current[3], current[4], current[5], current[6], current[7], following[0])
            if x &+ 8 == l { right[7] = here[0] }
            var forward = right + load(next + x)
            if hasInner { forward += load(inner + x) }
            let q = current * current - 1
            sum += (-kappa2 * current * forward + current * current) + lambda * q * q
            current = following
            x &+= 8
        }
    }
    var tail = 0.0
    while x < l {
        let p = here[x], q = p * p - 1
        var forward = (x == l &- 1 ? here[0] : here[x &+ 1]) + next[x]
        if hasInner { forward += inner[x] }
        tail += (-kappa2 * p * forward + p * p) + lambda * q * q
        x &+= 1
    }
    return (((sum[0] + sum[1]) + (sum[2] + sum[3])) + ((sum[4] + sum[5]) + (sum[6] + sum[7]))) + tail
}
