#if canImport(Glibc)
import Glibc
#endif

// What a landscape search looks for: vacua inside the tadpole bound whose g_s and e^{K/2}|W| lie
// in given intervals. The distance to the target drives the search's fitness.

/// A target set of vacua: 0 < N_flux ≤ `fluxLimit` and, optionally, g_s and e^{K/2}|W| in half-open intervals.
public struct VacuumTarget: Sendable, Equatable {
    /// L, the tadpole bound.
    public var fluxLimit: Int
    /// g_s ∈ [lower, upper), or nil for any.
    public var stringCoupling: (lower: Double, upper: Double)?
    /// e^{K/2}|W| ∈ [lower, upper), or nil for any.
    public var normalizedSuperpotential: (lower: Double, upper: Double)?

    /// A target; intervals must have lower < upper.
    public init(fluxLimit: Int, stringCoupling: (lower: Double, upper: Double)? = nil,
                normalizedSuperpotential: (lower: Double, upper: Double)? = nil) {
        self.fluxLimit = fluxLimit
        self.stringCoupling = stringCoupling
        self.normalizedSuperpotential = normalizedSuperpotential
    }

    /// Field by field, written out because tuples (the optional intervals) are not Equatable.
    public static func == (a: VacuumTarget, b: VacuumTarget) -> Bool {
        a.fluxLimit == b.fluxLimit && a.stringCoupling?.lower == b.stringCoupling?.lower
            && a.stringCoupling?.upper == b.stringCoupling?.upper
            && a.normalizedSuperpotential?.lower == b.normalizedSuperpotential?.lower
            && a.normalizedSuperpotential?.upper == b.normalizedSuperpotential?.upper
    }

    /// Whether the vacuum counts at all (inside the tadpole bound).
    public func isAdmissible(_ v: FluxVacuum) -> Bool { v.fluxNumber > 0 && v.fluxNumber <= fluxLimit }

    /// Whether the vacuum is in the target set.
    public func contains(_ v: FluxVacuum) -> Bool { isAdmissible(v) && distance(v) == 0 }

    /// How far the vacuum's g_s and e^{K/2}|W| lie outside their intervals, in units of the
    /// intervals' log-widths (0 inside), so targets of any scale weigh alike.
    public func distance(_ v: FluxVacuum) -> Double {
        distance(stringCoupling: v.stringCoupling, normalizedSuperpotential: v.normalizedSuperpotential)
    }

    /// Whether a three-modulus vacuum is in the target set.
    public func contains(_ v: ThreeModulusVacuum) -> Bool {
        v.fluxNumber > 0 && v.fluxNumber <= fluxLimit
            && distance(stringCoupling: v.stringCoupling, normalizedSuperpotential: v.normalizedSuperpotential) == 0
    }

    /// The distance of a vacuum with this g_s and e^{K/2}|W|, whichever model it belongs to.
    public func distance(stringCoupling gs: Double, normalizedSuperpotential w: Double) -> Double {
        func outside(_ x: Double, _ range: (lower: Double, upper: Double)?) -> Double {
            guard let range, x.isFinite, x > 0 else { return range == nil ? 0 : 10 }
            let width = max(log(range.upper / range.lower), 1e-3)
            if x < range.lower { return log(range.lower / x) / width }
            if x >= range.upper { return log(x / range.upper) / width + 1e-12 }
            return 0
        }
        let g = outside(gs, stringCoupling), n = outside(w, normalizedSuperpotential)
        return (g * g + n * n).squareRoot()
    }
}
