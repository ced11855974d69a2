// Scalar functions that several layers and losses need, written once in the stable form.

extension NetworkScalar {
    /// The logistic sigmoid 1/(1 + e^(−x)); for x < 0 evaluated as e^x/(1 + e^x) so e^(−x) never overflows.
    @inline(__always)
    static func logistic(_ x: Self) -> Self {
        if x >= 0 { return 1 / (1 + exponential(-x)) }
        let e = exponential(x)
        return e / (1 + e)
    }

    /// The standard normal distribution function Φ(x) = ½(1 + erf(x/√2)).
    @inline(__always)
    static func normalCDF(_ x: Self) -> Self {
        0.5 * (1 + errorFunction(x * Self(0.70710678118654752440)))
    }

    /// The standard normal density φ(x) = e^(−x²/2)/√(2π).
    @inline(__always)
    static func normalDensity(_ x: Self) -> Self {
        Self(0.39894228040143267794) * exponential(-0.5 * x * x)
    }
}
