// Complete enumeration of the isolated supersymmetric vacua with 0 < N_flux ≤ L of the symmetric T⁶
// model, modulo SL(2,Z)_τ × SL(2,Z)_φ. It runs over Plücker bivectors p = F∧H instead of genomes.
//
// Why it misses nothing. Take any vacuum (F, H, τ, φ) with 0 < N ≤ L.
// 1. SL(2,Z)_τ maps it to a vacuum with τ = x + iy in the closed fundamental domain D
//    (|x| ≤ ½, |τ| ≥ 1, so Y = y² ≥ ¾), with the same N (the pairing F∧H ↦ N is invariant).
// 2. The real translation by −x (not a duality, but the equations are polynomial identities and
//    W, K are unchanged by it) maps the fluxes to real ones with bivector p′ = p.translated(by: −x)
//    and τ′ = iy. There E1, E2 read p′13 = p′02·Y and p′23 = −p′01·Y², with p′01 = p01.
// 3. The Plücker relation of p′ then gives p′03·p′12 = p′02²Y + p01²Y², and N = −p′03 − 3p′12. So
//    a = p′03 and b = 3p′12 have sum −N and product 3(p′02²Y + p01²Y²) ≥ 0: both lie in [−N, 0],
//    and ab ≤ N²/4 gives p01²Y² + p′02²Y ≤ N²/12. (This is the statement ‖F∧H‖²_τ = N² in the
//    Hodge norm, which at x = 0 weighs p01…p23 by 3y⁴, 3y², 1, 9, 3/y², 3/y⁴.)
// 4. With Y ≥ ¾ and |x| ≤ ½ this bounds every coordinate of the integer p (the boxes in
//    `candidates`): p01 and p′02 from step 3, then p02 = p′02 − 2xp01, p12 = p′12 + xp′02 − x²p01,
//    p13 = p′02·Y + x(a − b) − 3x²p′02 + 2x³p01, and the Plücker relation p01p23 = p02p13 − p03p12
//    fixes p23 when p01 ≠ 0; when p01 = 0 it fixes p13 = p03p12/p02 (p02 ≠ 0, else the vacuum has
//    a flat direction) and E2 bounds p23. Every integer bivector in these boxes that satisfies the
//    Plücker relation is solved exactly (VacuumSolver.tauSolutions finds every isolated τ).
// 5. The pairs with F∧H = p are, up to SL(2,Z)_φ, the σ₁(content) sublattices of FluxPairs; each
//    gives φ = conj(P_F(τ)/P_H(τ)), verified. So every vacuum class has a representative among
//    the vacua built, and the canonical keys (Dualities) merge the duplicates, including the
//    boundary identifications of D and τ solutions outside D.
// The bounds are taken with a relative slack of 1e-9 and rounded outwards, so rounding cannot
// shrink a box. Tests: identical counts on 1, 2 and 4 ranks, the brute force over [−3, 3]⁸ in
// both directions, and the known counts.
//
// The work is cut into tasks (N, p01, p02), numbered in a fixed order; rank r takes the tasks
// whose number is r modulo the number of ranks. Each rank returns its vacua by canonical key, and
// merging those (by key) gives the same set for any number of ranks.

/// What one rank's share of the enumeration found.
public struct EnumerationShare: Sendable {
    /// The distinct vacua (canonical form), in the order found; `evaluations` counts bivectors solved.
    public var discoveries: [Discovery]
    /// Bivectors that satisfied the Plücker relation and went to the solver.
    public var bivectors: Int
    /// Tasks (N, p01, p02) this rank took.
    public var tasks: Int
}

/// The complete enumeration of vacua with 0 < N_flux ≤ L (see the file comment for why it is complete).
public enum VacuumEnumeration {
    /// This rank's share of the enumeration for `target.fluxLimit` (in-target flags from `target`).
    public static func share(target: VacuumTarget, rank: Int, ranks: Int) throws(VacuumSolverError) -> EnumerationShare {
        var share = EnumerationShare(discoveries: [], bivectors: 0, tasks: 0)
        var seen = Set<FluxGenome>()
        var task = 0
        for n in 1...max(1, target.fluxLimit) {
            for (p01, p02) in tasks(fluxNumber: n) {
                defer { task += 1 }
                guard task % ranks == rank else { continue }
                share.tasks += 1
                try candidates(fluxNumber: n, p01: p01, p02: p02) { (p) throws(VacuumSolverError) in
                    share.bivectors += 1
                    let taus = try VacuumSolver.tauSolutions(of: p)
                    guard !taus.isEmpty else { return }
                    for genome in FluxPairs.of(p) {
                        for vacuum in VacuumSolver.vacua(of: genome, at: taus) {
                            let canonical = Dualities.canonical(vacuum)
                            guard seen.insert(canonical.genome).inserted else { continue }
                            share.discoveries.append(Discovery(vacuum: canonical, evaluations: share.bivectors,
                                                               inTarget: target.contains(canonical)))
                        }
                    }
                }
            }
        }
        return share
    }

    /// Every vacuum with 0 < N_flux ≤ `limit` in canonical form, sorted by key (one process).
    public static func all(limit: Int) throws(VacuumSolverError) -> [FluxVacuum] {
        try share(target: VacuumTarget(fluxLimit: limit), rank: 0, ranks: 1).discoveries.map(\.vacuum).sorted { $0.genome < $1.genome }
    }

    /// The largest integer ≤ x after widening x outwards by the slack.
    static func floorUp(_ x: Double) -> Int { Int((x + 1e-9 * (1 + abs(x))).rounded(.down)) }

    /// (p01, p02) of the tasks at flux number n: step 3's bounds |p01| ≤ 2n/(3√3) and |p′02| ≤ P(p01),
    /// and p02 = p′02 − 2xp01 with |x| ≤ ½; (0, 0) has only flat directions.
    public static func tasks(fluxNumber n: Int) -> [(p01: Int, p02: Int)] {
        let s = Double(n * n) / 12
        let maxP01 = floorUp((s.squareRoot()) / 0.75)
        var pairs: [(p01: Int, p02: Int)] = []
        for p01 in -maxP01...maxP01 {
            let bound = primedP02Bound(s, p01)
            guard bound >= 0 else { continue }
            let maxP02 = floorUp(bound + Double(abs(p01)))
            for p02 in -maxP02...maxP02 where p01 != 0 || p02 != 0 { pairs.append((p01, p02)) }
        }
        return pairs
    }

    /// The bound on |p′02| for Y ≥ ¾: p′02² ≤ (n²/12 − p01²Y²)/Y, largest at Y = ¾ (−1 if empty).
    static func primedP02Bound(_ s: Double, _ p01: Int) -> Double {
        let room = s - Double(p01 * p01) * 0.5625
        return room < -1e-9 * (1 + s) ? -1 : (max(0, room) / 0.75).squareRoot()
    }

    /// Calls `body` with every integer bivector of flux number n with these p01, p02 that lies in
    /// the boxes of step 4 and satisfies the Plücker relation.
    public static func candidates<E: Error>(fluxNumber n: Int, p01: Int, p02: Int, _ body: (FluxBivector) throws(E) -> Void) throws(E) {
        let box = CandidateBox(fluxNumber: n, p01: p01, p02: p02)
        let p12Low = -floorUp(-box.p12.lower), p12High = floorUp(box.p12.upper)
        guard p12Low <= p12High else { return }
        for p12 in p12Low...p12High {
            let p03 = -n - 3 * p12
            if p01 != 0 {
                let rest = p03 * p12, p13Max = floorUp(box.p13Bound)
                for p13 in -p13Max...p13Max {
                    let numerator = p02 * p13 - rest
                    guard numerator % p01 == 0 else { continue }
                    try body(FluxBivector(p01: p01, p02: p02, p03: p03, p12: p12, p13: p13, p23: numerator / p01))
                }
            } else {
                guard (p03 * p12) % p02 == 0 else { continue }
                let p13 = p03 * p12 / p02
                let p23Max = floorUp(box.p23Bound(p12: Double(p12), p13: Double(p13)))
                for p23 in -p23Max...p23Max {
                    try body(FluxBivector(p01: 0, p02: p02, p03: p03, p12: p12, p13: p13, p23: p23))
                }
            }
        }
    }
}

/// The boxes of step 4 (VacuumEnumeration) for one task (N, p01, p02), as real bounds: every vacuum
/// with τ in the fundamental domain and these coordinates has p12, p13 (p01 ≠ 0) and p23 (p01 = 0)
/// inside them; the enumeration takes the integers they hold.
public struct CandidateBox: Sendable {
    /// The task: N_flux and the two leading coordinates.
    public let fluxNumber: Int, p01: Int, p02: Int
    /// The largest |p′02| that this p02 can come from (p′02 = p02 + 2xp01, |x| ≤ ½, within step 3's bound).
    public let primedP02: Double
    /// p12 = p′12 + xp′02 − x²p01 with p′12 ∈ [−N/3, 0].
    public let p12: (lower: Double, upper: Double)
    /// |p13| ≤ this when p01 ≠ 0: p13 = p′02Y + x(a − b) − 3x²p′02 + 2x³p01 with |a − b| ≤ N.
    public let p13Bound: Double

    /// The boxes for flux number n.
    public init(fluxNumber n: Int, p01: Int, p02: Int) {
        (fluxNumber, self.p01, self.p02) = (n, p01, p02)
        let s = Double(n * n) / 12, nd = Double(n)
        let bound = max(0, VacuumEnumeration.primedP02Bound(s, p01))
        let lo = max(-bound, Double(p02 - abs(p01))), hi = min(bound, Double(p02 + abs(p01)))
        let m = max(abs(lo), abs(hi))
        primedP02 = m
        p12 = (-(nd / 3 + m / 2 + Double(max(p01, 0)) / 4), m / 2 + Double(max(-p01, 0)) / 4)
        if p01 != 0 {
            // |p′02|Y ≤ min(m·Y_max, max_Y √(Y(N²/12 − p01²Y²)) = √(N³/(108|p01|))), Y_max = √(N²/12)/|p01|.
            let cross = min(m * s.squareRoot() / Double(abs(p01)), (nd * nd * nd / (108 * Double(abs(p01)))).squareRoot())
            p13Bound = cross + nd / 2 + 0.75 * m + Double(abs(p01)) / 4
        } else {
            p13Bound = 0
        }
    }

    /// |p23| ≤ this when p01 = 0, for these p12 and p13: the smaller of E2's
    /// p23 = 2p02x³ + (p03 − 3p12)x² − 2p13x and the translated frame's
    /// p23 = 2x³p02 + x²(b − a) − 2xp02Y with |p02|Y ≤ N²/(12|p02|).
    public func p23Bound(p12: Double, p13: Double) -> Double {
        let n = Double(fluxNumber), q = abs(-n - 6 * p12), a02 = Double(abs(p02))
        return min(a02 / 4 + q / 4 + abs(p13), a02 / 4 + n / 4 + n * n / 12 / a02)
    }
}
