// The two real τ equations E1, E2 in (x, Y = (Im τ)²) and their Newton polish; see VacuumSolver.

/// E1 and E2 of the τ equations for one genome's Plücker coordinates.
struct Equations {
    let p01: Double, p02: Double, p03: Double, p12: Double, p13: Double, p23: Double

    var q: Double { p03 - 3 * p12 }

    /// (E1, E2) and the magnitudes of their terms.
    func residuals(_ x: Double, _ y2: Double) -> (Double, Double, Double, Double) {
        // Summed left to right, as the terms are listed in the file comment of VacuumSolver.
        let e1Terms = SIMD8(2 * p01 * x * x * x, 2 * p01 * x * y2, 3 * p02 * x * x, p02 * y2, q * x, -p13, 0, 0)
        let e2Terms = SIMD8(p01 * x * x * x * x, -p01 * y2 * y2, 2 * p02 * x * x * x, q * x * x, -2 * p13 * x, -p23, 0, 0)
        func sum(_ t: SIMD8<Double>) -> Double { ((((t[0] + t[1]) + t[2]) + t[3]) + t[4]) + t[5] }
        func absSum(_ t: SIMD8<Double>) -> Double { ((((abs(t[0]) + abs(t[1])) + abs(t[2])) + abs(t[3])) + abs(t[4])) + abs(t[5]) }
        return (sum(e1Terms), sum(e2Terms), absSum(e1Terms), absSum(e2Terms))
    }

    /// The (x, y) with y > 0 that a real root x of the cubic gives, polished by Newton on
    /// (E1, E2), or nil if it has no Y > 0 or does not solve both equations.
    func solve(fromRoot root: Double) -> (Double, Double)? {
        var x = root
        var y2: Double
        let denominator = 2 * p01 * x + p02
        let numerator = -(2 * p01 * x * x * x + 3 * p02 * x * x + q * x - p13)
        if abs(denominator) > 1e-12 * (abs(2 * p01 * x) + abs(p02)) {
            y2 = numerator / denominator
        } else if p01 != 0 {
            y2 = ((p01 * x * x * x * x + 2 * p02 * x * x * x + q * x * x - 2 * p13 * x - p23) / p01).squareRoot()
        } else {
            return nil
        }
        guard y2.isFinite, y2 > 0 else { return nil }
        for _ in 0..<8 {
            let (e1, e2, _, _) = residuals(x, y2)
            let a = 6 * p01 * x * x + 2 * p01 * y2 + 6 * p02 * x + q, b = 2 * p01 * x + p02
            let c = 4 * p01 * x * x * x + 6 * p02 * x * x + 2 * q * x - 2 * p13, d = -2 * p01 * y2
            let det = a * d - b * c
            guard det != 0, det.isFinite else { break }
            let dx = (e1 * d - b * e2) / det, dy = (a * e2 - c * e1) / det
            x -= dx
            y2 -= dy
            if abs(dx) <= 1e-15 * max(1, abs(x)) && abs(dy) <= 1e-15 * max(1, abs(y2)) { break }
        }
        let (e1, e2, s1, s2) = residuals(x, y2)
        guard y2 > 0, abs(e1) <= 1e-9 * max(s1, 1e-300), abs(e2) <= 1e-9 * max(s2, 1e-300) else { return nil }
        return (x, y2.squareRoot())
    }
}

/// Real roots of a real polynomial of degree ≤ 3 given as (c3, c2, c1, c0), found on monotone
/// pieces by bisection (no cancellation-prone closed form), double roots at critical points included.
enum RealRoots {
    static func of(_ coefficients: SIMD4<Double>) -> InlineList<Double> {
        let c = coefficients
        var roots = InlineList<Double>(filler: 0)
        // The leading non-zero coefficient is c[lead]; the degree is 3 − lead.
        var lead = 0
        while lead < 3 && c[lead] == 0 { lead += 1 }
        switch lead {
        case 3: return roots
        case 2: roots.append(-c[3] / c[2]); return roots
        default: break
        }
        func value(_ x: Double) -> Double {
            var r = 0.0
            for i in lead..<4 { r = r * x + c[i] }
            return r
        }
        func scale(_ x: Double) -> Double {
            var r = 0.0
            for i in lead..<4 { r = r * abs(x) + abs(c[i]) }
            return r
        }
        // Cauchy's bound on the roots, and the critical points that cut it into monotone pieces.
        var largest = abs(c[lead + 1] / c[lead])
        for i in (lead + 2)..<4 { largest = max(largest, abs(c[i] / c[lead])) }
        let bound = 1 + largest
        var critical = InlineList<Double>(filler: 0)
        if lead == 1 {
            critical.append(-c[2] / (2 * c[1]))
        } else {
            let (a, b, cc) = (3 * c[0], 2 * c[1], c[2])
            let disc = b * b - 4 * a * cc
            if disc >= 0 {
                let q = -(b + (b >= 0 ? 1 : -1) * disc.squareRoot()) / 2
                let (x0, x1) = (q / a, q != 0 ? cc / q : -b / (2 * a))
                if x1 < x0 { critical.append(x1); critical.append(x0) } else { critical.append(x0); critical.append(x1) }
            }
        }
        var points = InlineList<Double>(filler: 0)
        points.append(-bound)
        for x in critical where abs(x) < bound { points.append(x) }
        points.append(bound)
        for piece in 1..<points.count {
            var (a, b) = (points[piece - 1], points[piece]), fa = value(a)
            let fb = value(b)
            if fa == 0 { roots.append(a); continue }
            guard fa * fb < 0 else { continue }
            // Newton inside the bracket, falling back to bisection whenever a step leaves it: the
            // piece is monotone, so this converges quadratically once close, and never escapes.
            var x = (a + b) / 2
            for _ in 0..<100 {
                let fx = value(x)
                if fx == 0 { a = x; b = x; break }
                // At the rounding level of C(x) the steps only jitter around the root, and the
                // bracket shrinks by single ulps: stop (E1, E2 are polished afterwards anyway).
                if abs(fx) <= 4 * Double.ulpOfOne * scale(x) { break }
                if (fx < 0) == (fa < 0) { a = x; fa = fx } else { b = x }
                let slope = lead == 0 ? (3 * c[0] * x + 2 * c[1]) * x + c[2] : 2 * c[1] * x + c[2]
                var next = x - fx / slope
                if !(next > a && next < b) { next = (a + b) / 2 }
                if abs(next - x) <= 1e-15 * max(1, abs(x)) || next <= a || next >= b { x = next; break }
                x = next
            }
            roots.append(min(max(x, a), b))
        }
        // A critical point where the polynomial vanishes (to rounding) is a double root.
        for x in critical where abs(value(x)) <= 1e-12 * scale(x) && !roots.contains(where: { abs($0 - x) <= 1e-9 * max(1, abs(x)) }) {
            roots.append(x)
        }
        if value(bound) == 0 { roots.append(bound) }
        roots.sort(by: <)
        return roots
    }
}
