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

    /// `value` in every lane, for the polynomials' coefficients.
    @inline(__always) static func splat(_ value: Double) -> Vector { Vector(repeating: value) }

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
        // fdlibm's evaluation with each product fused into its sum (vfmadd): shorter dependency
        // chains and one rounding less per step. k·ln2High is exact, so the last step rounds once.
        let s = f / (2 + f), z = s * s, w = z * z
        let odd = splat(lg2).addingProduct(w, splat(lg4).addingProduct(w, splat(lg6)))
        let even = splat(lg1).addingProduct(w, splat(lg3).addingProduct(w, splat(lg5).addingProduct(w, splat(lg7))))
        let r = (z * even).addingProduct(w, odd), hfsq = (0.5 * f) * f
        let tail = (k * ln2Low).addingProduct(s, hfsq + r)
        return (f - (hfsq - tail)).addingProduct(k, splat(ln2High))
    }

    /// √x, correctly rounded: the hardware's vector square root (vsqrtpd), which Swift emits when
    /// the build passes -fno-math-errno to Clang (Package.swift); with errno semantics its
    /// `squareRoot()` calls libm's `sqrt` once per lane. (A Newton iteration on 1/√x, eleven fused
    /// operations, measured 12 % slower in the Gaussian kernel: the square-root unit runs beside
    /// the multipliers that log, sine and cosine keep busy.)
    @inline(__always)
    public static func squareRoot(_ x: Vector) -> Vector {
        x.squareRoot()
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
        // fdlibm's polynomials, products fused into sums as in `log`.
        let sr = splat(s2).addingProduct(z, splat(s3).addingProduct(z, splat(s4).addingProduct(z, splat(s5).addingProduct(z, splat(s6)))))
        let sinePoly = x.addingProduct(v, splat(s1).addingProduct(z, sr))
        let sine = unsafeBitCast(sinePoly, to: SIMD8<UInt64>.self)
        let cr = z * splat(c1).addingProduct(z, splat(c2).addingProduct(
            z, splat(c3).addingProduct(z, splat(c4).addingProduct(z, splat(c5).addingProduct(z, splat(c6))))))
        let hz: Vector = 0.5 * z, w: Vector = 1 - hz
        let cosinePoly = w + ((1 - w) - hz).addingProduct(z, cr)
        let cosine = unsafeBitCast(cosinePoly, to: SIMD8<UInt64>.self)
        // Quadrant q mod 4: (sin, cos) of 2πt = (s, c), (c, −s), (−s, −c), (−c, s).
        let swap = 0 &- (quadrant & 1)
        let sinBits = (sine & ~swap) | (cosine & swap), cosBits = (cosine & ~swap) | (sine & swap)
        let sinSign = (quadrant & 2) &<< 62, cosSign = ((quadrant &+ 1) & 2) &<< 62
        return (unsafeBitCast(sinBits ^ sinSign, to: Vector.self), unsafeBitCast(cosBits ^ cosSign, to: Vector.self))
    }
}
