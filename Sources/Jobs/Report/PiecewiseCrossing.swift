/// Where two measured curves cross, joined point to point by straight lines: a first look at a
/// finite-size crossing (`ensemble analyze crossing` gives one with a bootstrap error).
public enum PiecewiseCrossing {
    /// Where the piecewise-linear curves through `a` and `b` cross, over the x range both cover:
    /// the roots of their difference on the union of their x values. Non-finite points are dropped.
    public static func crossings(_ a: [DataPoint], _ b: [DataPoint]) -> [Double] {
        let fa = a.filter(\.isFinite).sorted { $0.x < $1.x }, fb = b.filter(\.isFinite).sorted { $0.x < $1.x }
        guard fa.count > 1, fb.count > 1 else { return [] }
        let low = max(fa[0].x, fb[0].x), high = min(fa[fa.count - 1].x, fb[fb.count - 1].x)
        guard low < high else { return [] }
        let grid = Array(Set((fa + fb).map(\.x).filter { $0 >= low && $0 <= high })).sorted()
        let difference = grid.map { interpolate(fa, at: $0) - interpolate(fb, at: $0) }
        var roots: [Double] = []
        for i in 1..<max(grid.count, 1) {
            let (d0, d1) = (difference[i - 1], difference[i])
            if d0 == 0 { roots.append(grid[i - 1]) } else if d0 * d1 < 0 {
                roots.append(grid[i - 1] + (grid[i] - grid[i - 1]) * d0 / (d0 - d1))
            }
        }
        if let last = difference.last, last == 0 { roots.append(grid[grid.count - 1]) }
        return roots
    }

    /// The straight line between the neighbours of `x` in `points` (sorted by x, x inside their range).
    private static func interpolate(_ points: [DataPoint], at x: Double) -> Double {
        guard let upper = points.firstIndex(where: { $0.x >= x }) else { return points[points.count - 1].y }
        if upper == 0 || points[upper].x == x { return points[upper].y }
        let (p, r) = (points[upper - 1], points[upper])
        return p.y + (r.y - p.y) * (x - p.x) / (r.x - p.x)
    }
}
