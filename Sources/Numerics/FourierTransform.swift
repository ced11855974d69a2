// Complex discrete Fourier transforms of any length and of row-major multi-dimensional arrays.
//
// Convention: forward X_k = Σ_j x_j e^{−2πi jk/n} (unnormalised), inverse x_j = n⁻¹ Σ_k X_k e^{+2πi jk/n},
// so inverse ∘ forward is the identity. Powers of two use an iterative radix-2 Cooley–Tukey
// transform; other lengths use Bluestein's chirp-z algorithm, which writes the DFT as a circular
// convolution of length m = 2^⌈log₂(2n−1)⌉ done by the radix-2 transform. The inverse is
// conj ∘ forward ∘ conj, so one set of twiddles serves both directions.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A precomputed complex DFT of one length; it owns scratch space, so one thread uses it at a time.
public final class FourierPlan {
    /// The transform length n ≥ 1.
    public let count: Int
    /// The radix-2 transform: of length n itself, or Bluestein's convolution length m.
    private let radix: Radix2?
    /// Bluestein: the chirp e^{−iπk²/n} (k < n), the transformed conjugate chirp divided by m, and scratch of length m.
    private let chirpRe, chirpIm, filterRe, filterIm, workRe, workIm: UnsafeMutableBufferPointer<Double>

    /// Precomputes the twiddles (and for a length that is not a power of two, Bluestein's chirp and filter).
    public init(count n: Int) {
        precondition(n >= 1, "a Fourier transform needs a length ≥ 1")
        count = n
        let isPowerOfTwo = n & (n - 1) == 0
        let m = isPowerOfTwo ? 0 : Self.paddedLength(n)
        func buffer(_ c: Int) -> UnsafeMutableBufferPointer<Double> {
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: c)
            b.initialize(repeating: 0)
            return b
        }
        if isPowerOfTwo {
            radix = n > 1 ? Radix2(count: n) : nil
            (chirpRe, chirpIm, filterRe, filterIm, workRe, workIm) = (buffer(0), buffer(0), buffer(0), buffer(0), buffer(0), buffer(0))
            return
        }
        let inner = Radix2(count: m)
        radix = inner
        (chirpRe, chirpIm, filterRe, filterIm, workRe, workIm) = (buffer(n), buffer(n), buffer(m), buffer(m), buffer(m), buffer(m))
        for k in 0..<n {
            // k² mod 2n keeps the angle small, so the chirp stays accurate for large n.
            let angle = -Double.pi * Double((k * k) % (2 * n)) / Double(n)
            chirpRe[k] = cos(angle)
            chirpIm[k] = sin(angle)
        }
        // The filter b_k = conj(chirp_|k|) wrapped circularly, transformed once; 1/m folds in the inner inverse's scale.
        filterRe[0] = chirpRe[0]
        filterIm[0] = -chirpIm[0]
        for k in 1..<n {
            filterRe[k] = chirpRe[k]
            filterIm[k] = -chirpIm[k]
            filterRe[m - k] = chirpRe[k]
            filterIm[m - k] = -chirpIm[k]
        }
        inner.forward(filterRe.baseAddress!, filterIm.baseAddress!)
        let scale = 1 / Double(m)
        for k in 0..<m {
            filterRe[k] *= scale
            filterIm[k] *= scale
        }
    }

    deinit {
        for b in [chirpRe, chirpIm, filterRe, filterIm, workRe, workIm] { b.deallocate() }
    }

    /// The smallest power of two ≥ 2n − 1.
    static func paddedLength(_ n: Int) -> Int {
        var m = 1
        while m < 2 * n - 1 { m <<= 1 }
        return m
    }

    /// Transforms `count` contiguous complex values in place (real parts at `re`, imaginary at `im`).
    public func forward(re: UnsafeMutablePointer<Double>, im: UnsafeMutablePointer<Double>) {
        guard count > 1, let radix else { return }
        if chirpRe.count == 0 { radix.forward(re, im) } else { bluestein(re, im, radix) }
    }

    /// The inverse transform (with its 1/n), in place.
    public func inverse(re: UnsafeMutablePointer<Double>, im: UnsafeMutablePointer<Double>) {
        let n = count, scale = 1 / Double(n)
        for k in 0..<n { im[k] = -im[k] }
        forward(re: re, im: im)
        for k in 0..<n {
            re[k] *= scale
            im[k] = -im[k] * scale
        }
    }

    /// X_k = c_k · Σ_j (x_j c_j) conj(c_{k−j}): a circular convolution of length m with the precomputed filter.
    private func bluestein(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, _ radix: Radix2) {
        let n = count, m = workRe.count
        let wr = workRe.baseAddress!, wi = workIm.baseAddress!, cr = chirpRe.baseAddress!, ci = chirpIm.baseAddress!
        for k in 0..<n {
            wr[k] = re[k] * cr[k] - im[k] * ci[k]
            wi[k] = re[k] * ci[k] + im[k] * cr[k]
        }
        for k in n..<m {
            wr[k] = 0
            wi[k] = 0
        }
        radix.forward(wr, wi)
        // Multiply by the filter and conjugate, so the next forward transform acts as the inverse.
        let fr = filterRe.baseAddress!, fi = filterIm.baseAddress!
        for k in 0..<m {
            let r = wr[k] * fr[k] - wi[k] * fi[k], i = wr[k] * fi[k] + wi[k] * fr[k]
            wr[k] = r
            wi[k] = -i
        }
        radix.forward(wr, wi)
        for k in 0..<n {
            let r = wr[k], i = -wi[k]
            re[k] = r * cr[k] - i * ci[k]
            im[k] = r * ci[k] + i * cr[k]
        }
    }
}

/// An iterative radix-2 decimation-in-time transform of a power-of-two length ≥ 2.
private final class Radix2 {
    let count: Int
    /// Bit-reversed index of every position.
    let reversed: UnsafeMutableBufferPointer<Int>
    /// e^{−2πik/n} for k < n/2.
    let twiddleRe, twiddleIm: UnsafeMutableBufferPointer<Double>

    init(count n: Int) {
        count = n
        reversed = .allocate(capacity: n)
        twiddleRe = .allocate(capacity: n / 2)
        twiddleIm = .allocate(capacity: n / 2)
        let bits = n.trailingZeroBitCount
        for i in 0..<n { reversed[i] = Int(UInt(i).bitReversed(bits: bits)) }
        for k in 0..<(n / 2) {
            let angle = -2 * Double.pi * Double(k) / Double(n)
            twiddleRe[k] = cos(angle)
            twiddleIm[k] = sin(angle)
        }
    }

    deinit {
        reversed.deallocate()
        twiddleRe.deallocate()
        twiddleIm.deallocate()
    }

    func forward(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>) {
        let n = count
        for i in 0..<n {
            let j = reversed[i]
            if j > i {
                swap(&re[i], &re[j])
                swap(&im[i], &im[j])
            }
        }
        let tr = twiddleRe.baseAddress!, ti = twiddleIm.baseAddress!
        var half = 1
        while half < n {
            let step = n / (2 * half)
            var start = 0
            while start < n {
                for k in 0..<half {
                    let a = start + k, b = a + half
                    let wr = tr[k * step], wi = ti[k * step]
                    let xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr
                    re[b] = re[a] - xr
                    im[b] = im[a] - xi
                    re[a] += xr
                    im[a] += xi
                }
                start += 2 * half
            }
            half *= 2
        }
    }
}

extension UInt {
    /// The lowest `bits` bits in reverse order.
    fileprivate func bitReversed(bits: Int) -> UInt {
        var x = self, r: UInt = 0
        for _ in 0..<bits {
            r = (r << 1) | (x & 1)
            x >>= 1
        }
        return r
    }
}

/// The DFT of a row-major complex array of given extents, one axis after another.
public final class FourierTransform {
    /// The array's extents, slowest axis first.
    public let extents: [Int]
    /// The number of complex values.
    public let volume: Int
    /// One plan per axis (axes of equal length share one).
    private let plans: [FourierPlan]
    /// A gathered line of the axis being transformed.
    private let lineRe, lineIm: UnsafeMutableBufferPointer<Double>

    /// Precomputes a plan per axis.
    public init(extents: [Int]) {
        precondition(!extents.isEmpty && extents.allSatisfy { $0 >= 1 }, "extents must be ≥ 1")
        self.extents = extents
        volume = extents.reduce(1, *)
        var byLength: [Int: FourierPlan] = [:]
        plans = extents.map { l in
            if let plan = byLength[l] { return plan }
            let plan = FourierPlan(count: l)
            byLength[l] = plan
            return plan
        }
        let longest = extents.max()!
        lineRe = .allocate(capacity: longest)
        lineIm = .allocate(capacity: longest)
    }

    deinit {
        lineRe.deallocate()
        lineIm.deallocate()
    }

    /// The forward transform in place over all axes; `re` and `im` hold `volume` values each.
    public func forward(re: UnsafeMutableBufferPointer<Double>, im: UnsafeMutableBufferPointer<Double>) {
        apply(re, im, inverse: false)
    }

    /// The inverse transform (with its 1/volume) in place over all axes.
    public func inverse(re: UnsafeMutableBufferPointer<Double>, im: UnsafeMutableBufferPointer<Double>) {
        apply(re, im, inverse: true)
    }

    private func apply(_ re: UnsafeMutableBufferPointer<Double>, _ im: UnsafeMutableBufferPointer<Double>, inverse: Bool) {
        precondition(re.count == volume && im.count == volume, "expected \(volume) values")
        let r = re.baseAddress!, i = im.baseAddress!, lr = lineRe.baseAddress!, li = lineIm.baseAddress!
        var stride = volume
        for (axis, l) in extents.enumerated() {
            stride /= l
            guard l > 1 else { continue }
            let plan = plans[axis], block = l * stride
            // The last axis is contiguous and is transformed where it lies; others are gathered into a line.
            var base = 0
            while base < volume {
                for offset in 0..<stride {
                    let first = base + offset
                    if stride == 1 {
                        if inverse { plan.inverse(re: r + first, im: i + first) } else { plan.forward(re: r + first, im: i + first) }
                        continue
                    }
                    for k in 0..<l {
                        lr[k] = r[first + k * stride]
                        li[k] = i[first + k * stride]
                    }
                    if inverse { plan.inverse(re: lr, im: li) } else { plan.forward(re: lr, im: li) }
                    for k in 0..<l {
                        r[first + k * stride] = lr[k]
                        i[first + k * stride] = li[k]
                    }
                }
                base += block
            }
        }
    }
}
