import Numerics

/// Where two curves measured on one grid cross: the curve of a larger lattice against a smaller
/// one's, the finite-size estimate of a critical point.
struct CurveCrossing: Equatable {
    /// The parameter at the crossing.
    let x: Double
    /// The curves' common value there (their mean at x).
    let y: Double

    /// Points on each side of the bracketing pair that the local fits use.
    static let reach = 2

    /// The crossing of (x, small) and (x, large), each value with its error: first the pair of
    /// neighbouring points between which the difference changes sign most significantly (far from
    /// the critical point the curves merge and their difference flips sign in noise), then the
    /// root of a weighted quadratic through the difference over the points around that pair, which
    /// does not bias the crossing the way a straight line between two points does. Nil when the
    /// difference never changes sign.
    init?(x: [Double], small: [(value: Double, error: Double)], large: [(value: Double, error: Double)]) {
        let d = zip(small, large).map { $1.value - $0.value }
        let sd = zip(small, large).map { ($0.error * $0.error + $1.error * $1.error).squareRoot() }
        let brackets = d.indices.dropLast().filter { (d[$0] < 0) != (d[$0 + 1] < 0) || d[$0] == 0 }
        let significance = { (i: Int) in abs(d[i + 1] - d[i]) / max((sd[i] * sd[i] + sd[i + 1] * sd[i + 1]).squareRoot(), .leastNormalMagnitude) }
        guard let i = brackets.max(by: { significance($0) < significance($1) }) else { return nil }
        let window = Array(max(0, i - Self.reach + 1)...min(x.count - 1, i + Self.reach))
        let pick = { (values: [Double]) in window.map { values[$0] } }
        let wx = pick(x), positive = { (s: Double) in s > 0 ? s : 1 }
        let linear = x[i] + d[i] / (d[i] - d[i + 1]) * (x[i + 1] - x[i])
        var crossing = d[i] == d[i + 1] ? x[i] : linear
        if let fit = PolynomialFit(x: wx, y: pick(d), sigma: pick(sd).map(positive), degree: 2),
           let root = fit.root(between: x[i], and: x[i + 1]) {
            crossing = root
        }
        let curve = { (values: [(value: Double, error: Double)]) -> Double in
            PolynomialFit(x: wx, y: pick(values.map(\.value)), sigma: pick(values.map(\.error)).map(positive), degree: 2)?(crossing) ?? .nan
        }
        self.x = crossing
        self.y = 0.5 * (curve(small) + curve(large))
    }
}
