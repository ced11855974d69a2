/// Elementary functions on eight doubles at once, for kernels that would otherwise call libm once
/// per lane (Gaussian momenta: a log, a square root, a sine and a cosine per pair).
///
/// The polynomials are fdlibm's (Sun Microsystems, 1993; the same minimax coefficients as glibc's
/// and musl's scalar log, sin and cos), evaluated lane by lane with the same operations in every
/// lane, so a lane's result depends on its input alone, never on its neighbours or on the vector
/// width: the same value computed on two ranks is the same bit for bit. Errors are about one unit
/// in the last place (VectorMathTests measure them against libm).
public enum VectorMath {
    public typealias Vector = SIMD8<Double>

    // fdlibm e_log.c
    static let ln2High = 6.93147180369123816490e-01, ln2Low = 1.90821492927058770002e-10
    static let lg1 = 6.666666666666735130e-01, lg2 = 3.999999999940941908e-01, lg3 = 2.857142874366239149e-01
    static let lg4 = 2.222219843214978396e-01, lg5 = 1.818357216161805012e-01, lg6 = 1.531383769920937332e-01
    static let lg7 = 1.479819860511658591e-01

    /// The natural logarithm of positive, finite, normal doubles (what a uniform in (0, 1) is).
    ///
    /// Written with integer and floating-point arithmetic only (no lane masks or conversions, which
    /// Swift lowers to one lane at a time).
    @inline(__always)
    public static func log(_ x: Vector) -> Vector {
        let bits = unsafeBitCast(x, to: SIMD8<UInt64>.self)
        let mantissa = bits & 0x000F_FFFF_FFFF_FFFF
        // x = m · 2^e with m in [1, 2), then m in [√½, √2): one where the mantissa exceeds √2's.
        let high = (0x6_A09E_667F_3BCC &- mantissa) &>> 63
        let m = unsafeBitCast((mantissa | 0x3FF0_0000_0000_0000) &- (high &<< 52), to: Vector.self)
        // e + 1023 + high as a double: 2^52 + n has n in its low bits.
        let biased = ((bits &>> 52) & 0x7FF) &+ high
        let k = unsafeBitCast(biased | 0x4330_0000_0000_0000, to: Vector.self) - (0x1p52 + 1023)
        let f = m - 1
        let s = f / (2 + f), z = s * s, w = z * z
        let t1: Vector = w * (lg2 + w * (lg4 + w * lg6))
        let t2: Vector = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)))
        let r: Vector = t2 + t1, hfsq: Vector = 0.5 * f * f
        let tail: Vector = s * (hfsq + r) + k * ln2Low
        return k * ln2High - ((hfsq - tail) - f)
    }

    /// √x for positive, finite, normal x: Newton's iteration on 1/√x from a guess read off the
    /// exponent bits, then one step on √x itself whose residual x − s² is exact by a fused
    /// multiply-add; within an ulp of the correctly rounded root. (Swift's `squareRoot()` goes
    /// through libm's errno-setting `sqrt` on Linux, one lane at a time, which never vectorises.)
    @inline(__always)
    public static func squareRoot(_ x: Vector) -> Vector {
        let bits = unsafeBitCast(x, to: SIMD8<UInt64>.self)
        var y = unsafeBitCast(0x5FE6_EB50_C7B5_37A9 &- (bits &>> 1), to: Vector.self)   // within 3.5%
        let half = 0.5 * x
        for _ in 0..<3 { y = y * (1.5 - half * y * y) }   // 3.5% → 2e-3 → 5e-6 → 4e-11
        // The step on √x squares that error (4e-11 → 1e-21), leaving the rounding.
        let s = x * y
        return s.addingProduct(0.5 * y, x.addingProduct(-s, s))
    }

    // fdlibm k_sin.c and k_cos.c
    static let s1 = -1.66666666666666324348e-01, s2 = 8.33333333332248946124e-03, s3 = -1.98412698298579493134e-04
    static let s4 = 2.75573137070700676789e-06, s5 = -2.50507602534068634195e-08, s6 = 1.58969099521155010221e-10
    static let c1 = 4.16666666666666019037e-02, c2 = -1.38888888888741095749e-03, c3 = 2.48015872894767294178e-05
    static let c4 = -2.75573143513906633035e-07, c5 = 2.08757232129817482790e-09, c6 = -1.13596475577881948265e-11

    /// sin(2πt) and cos(2πt) for t in [0, 1] (an angle in turns, as a uniform gives it).
    ///
    /// Reducing in turns is exact: q = round(4t) and r = t − q/4 in [−⅛, ⅛] are exact in binary
    /// floating point, so only the one product x = 2π·r is rounded before the polynomials.
    @inline(__always)
    public static func sinCosTurns(_ t: Vector) -> (sin: Vector, cos: Vector) {
        // 1.5 · 2^52 + 4t rounds 4t to the nearest integer q and leaves q in the low bits.
        let shifted = 4 * t + 0x1.8p52
        let q = shifted - 0x1.8p52
        let quadrant = unsafeBitCast(shifted, to: SIMD8<UInt64>.self) & 3
        let x = (t - 0.25 * q) * (2 * Double.pi)
        let z = x * x, v = z * x
        let s56: Vector = s5 + z * s6, s46: Vector = s4 + z * s56, s36: Vector = s3 + z * s46
        let sr: Vector = s2 + z * s36
        let sinePoly: Vector = x + v * (s1 + z * sr)
        let sine = unsafeBitCast(sinePoly, to: SIMD8<UInt64>.self)
        let c56: Vector = c5 + z * c6, c46: Vector = c4 + z * c56, c36: Vector = c3 + z * c46
        let c26: Vector = c2 + z * c36, cr: Vector = z * (c1 + z * c26)
        let hz: Vector = 0.5 * z, w: Vector = 1 - hz
        let cosinePoly: Vector = w + (((1 - w) - hz) + z * cr)
        let cosine = unsafeBitCast(cosinePoly, to: SIMD8<UInt64>.self)
        // Quadrant q mod 4: (sin, cos) of 2πt = (s, c), (c, −s), (−s, −c), (−c, s).
        let swap = 0 &- (quadrant & 1)
        let sinBits = (sine & ~swap) | (cosine & swap), cosBits = (cosine & ~swap) | (sine & swap)
        let sinSign = (quadrant & 2) &<< 62, cosSign = ((quadrant &+ 1) & 2) &<< 62
        return (unsafeBitCast(sinBits ^ sinSign, to: Vector.self), unsafeBitCast(cosBits ^ cosSign, to: Vector.self))
    }
}
