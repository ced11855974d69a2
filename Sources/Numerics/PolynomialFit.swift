/// A weighted least-squares polynomial y ≈ Σₖ cₖ (x − x̄)ᵏ through a handful of points: the local
/// model of a curve between grid points, where linear interpolation would bias a crossing.
public struct PolynomialFit: Sendable, Equatable {
    /// The coefficients c₀ … c_degree of powers of (x − center).
    public let coefficients: [Double]
    /// The point the powers are taken about (the mean of the x values), which keeps the normal
    /// equations well conditioned for x far from zero.
    public let center: Double

    /// Fits `degree` (clipped to points − 1) with weights 1/σ²; nil if the points do not fix the
    /// polynomial (repeated x, a zero or non-finite σ or value).
    public init?(x: [Double], y: [Double], sigma: [Double], degree: Int) {
        precondition(x.count == y.count && y.count == sigma.count, "PolynomialFit: \(x.count) x, \(y.count) y, \(sigma.count) σ")
        let n = min(degree, x.count - 1) + 1
        guard n >= 1, zip(y, sigma).allSatisfy({ $0.isFinite && $1.isFinite && $1 > 0 }) else { return nil }
        center = x.reduce(0, +) / Double(x.count)
        // Normal equations A c = b with A_jk = Σ w x^(j+k), b_j = Σ w y x^j, solved by Gaussian
        // elimination with partial pivoting (n ≤ 4 here).
        var a = [Double](repeating: 0, count: n * n), b = [Double](repeating: 0, count: n)
        for i in x.indices {
            let w = 1 / (sigma[i] * sigma[i]), u = x[i] - center
            var powers = [Double](repeating: 1, count: 2 * n)
            for k in 1..<(2 * n) { powers[k] = powers[k - 1] * u }
            for j in 0..<n {
                b[j] += w * y[i] * powers[j]
                for k in 0..<n { a[j * n + k] += w * powers[j + k] }
            }
        }
        for column in 0..<n {
            guard let pivot = (column..<n).max(by: { abs(a[$0 * n + column]) < abs(a[$1 * n + column]) }),
                  abs(a[pivot * n + column]) > 1e-300 else { return nil }
            if pivot != column {
                for k in 0..<n { a.swapAt(pivot * n + k, column * n + k) }
                b.swapAt(pivot, column)
            }
            for row in (column + 1)..<n {
                let f = a[row * n + column] / a[column * n + column]
                for k in column..<n { a[row * n + k] -= f * a[column * n + k] }
                b[row] -= f * b[column]
            }
        }
        var c = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var s = b[row]
            for k in (row + 1)..<n { s -= a[row * n + k] * c[k] }
            c[row] = s / a[row * n + row]
        }
        guard c.allSatisfy(\.isFinite) else { return nil }
        coefficients = c
    }

    /// The polynomial at `x`.
    public func callAsFunction(_ x: Double) -> Double {
        let u = x - center
        return coefficients.reversed().reduce(0) { $0 * u + $1 }
    }

    /// A root of the polynomial in [lower, upper] where it changes sign there, found by bisection
    /// (60 halvings reach double precision on any interval a scan has); nil without a sign change.
    public func root(between lower: Double, and upper: Double) -> Double? {
        var (a, b) = (lower, upper), fa = self(a)
        let fb = self(b)
        if fa == 0 { return a }
        if fb == 0 { return b }
        guard (fa < 0) != (fb < 0) else { return nil }
        for _ in 0..<60 {
            let m = 0.5 * (a + b), fm = self(m)
            if fm == 0 { return m }
            if (fm < 0) == (fa < 0) { (a, fa) = (m, fm) } else { b = m }
        }
        return 0.5 * (a + b)
    }
}
