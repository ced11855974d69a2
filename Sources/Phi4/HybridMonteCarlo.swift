import Cluster
import Foundation
import Lattice
import Numerics

/// How a chain's field starts.
public enum Phi4Start: String, Sendable, CaseIterable {
    /// φₓ uniform in (−1, 1): no phase favoured, but deep in the broken phase the chain may sit in
    /// long-lived domain-wall (stripe) states before it orders.
    case hot
    /// φₓ = 1: ordered at once in the broken phase (with ⟨M⟩ > 0), quickly disordered in the symmetric one.
    case cold
}

/// What one trajectory did.
public struct TrajectoryOutcome: Sendable, Equatable {
    /// H(end) − H(start); not finite when the integration blew up.
    public let deltaH: Double
    /// Whether the end point was kept.
    public let accepted: Bool
    /// Whether H stayed finite; a non-finite trajectory is always rejected.
    public var isFinite: Bool { deltaH.isFinite }
}

/// One Markov chain of Hybrid Monte Carlo (Duane, Kennedy, Pendleton, Roweth 1987) for φ⁴ on a
/// slab of a (possibly decomposed) lattice.
///
/// Trajectory t of replica r draws the momenta of the site pair (2k, 2k+1) from block 0 of the
/// Philox substream (purpose phi4Momenta, r, t, site k) by Box–Muller (`RandomStream.fillNormals`:
/// eight pairs at a time with vectorised log, sine and cosine, so the momenta cost a fraction of a
/// force evaluation instead of several). The accept uniform comes from (phi4Accept, r, t, 0). ΔH is summed plane by plane: each plane's change is one
/// rank's sum in a fixed order, the per-plane values are combined by an allreduce in which every
/// entry has exactly one non-zero term (so it is exact), and the planes are added in order. The
/// chain is therefore the same bit for bit on any number of ranks.
public final class HybridMonteCarlo {
    /// The action and its force.
    public let action: Phi4Action
    /// This rank's slab of φ.
    public let field: HaloField<Double>
    /// The chain's index, which keys its random numbers.
    public let replica: Int
    /// The root of the momenta and acceptance draws.
    public let seed: UInt64
    /// Fourier acceleration of the kinetic term, if any (whole lattices only).
    public let accelerator: FourierAccelerator?
    let communicator: Communicator
    let momenta: UnsafeMutableBufferPointer<Double>
    private let saved: UnsafeMutableBufferPointer<Double>
    private let words: UnsafeMutableBufferPointer<UInt32>
    /// Per-plane H before (first half) and after (second half) of the lattice's planes.
    private let planeSums: UnsafeMutableBufferPointer<Double>

    /// Sets up the chain: a hot start draws φₓ uniform in (−1, 1) from (phi4Start, r, 0, ⌊x/2⌋), a
    /// cold start sets φₓ = 1. An `accelerator` needs the whole lattice (one part).
    public init(action: Phi4Action, decomposition: SlabDecomposition, part: Int, replica: Int, seed: UInt64,
                communicator: Communicator, start: Phi4Start = .hot, accelerator: FourierAccelerator? = nil) {
        precondition(accelerator == nil || decomposition.parts == 1, "Fourier acceleration needs the whole lattice on one rank")
        self.accelerator = accelerator
        self.action = action
        self.field = HaloField(decomposition: decomposition, part: part, initial: 0)
        self.replica = replica
        self.seed = seed
        self.communicator = communicator
        let n = field.owned.count
        momenta = .allocateAligned(capacity: n)
        momenta.initialize(repeating: 0)
        saved = .allocate(capacity: n)
        saved.initialize(repeating: 0)
        let first = field.planes.lowerBound * field.planeVolume
        words = .allocate(capacity: max(2 * n + 8, RandomStream.scratchWords(sites: n, firstSite: first)))
        planeSums = .allocate(capacity: 2 * decomposition.geometry.extents[0])
        planeSums.initialize(repeating: 0)
        switch start {
        case .cold:
            field.owned.update(repeating: 1)
        case .hot:
            fillPairs(purpose: .phi4Start, step: 0, firstSite: first, count: n)
            for i in 0..<n {
                let w = pairWords(site: first + i, offset: first)
                field.owned[i] = 2 * RandomStream.uniform(high: w.0, low: w.1) - 1
            }
        }
    }

    deinit {
        momenta.deallocateAligned()
        saved.deallocate()
        words.deallocate()
        planeSums.deallocate()
    }

    /// One trajectory of `steps` steps of size `stepSize` with `integrator`, then accept/reject.
    /// Collective over the decomposition's ranks.
    public func trajectory(_ index: Int, integrator: Integrator, steps: Int, stepSize: Double) throws(MPIError) -> TrajectoryOutcome {
        drawMomenta(trajectory: index)
        let owned = field.owned
        _ = saved.update(fromContentsOf: owned)
        let planes = field.planes.count, all = field.decomposition.geometry.extents[0]
        let before = UnsafeMutableBufferPointer(rebasing: planeSums[0..<all])
        let after = UnsafeMutableBufferPointer(rebasing: planeSums[all..<(2 * all)])
        try field.exchangeHalos(communicator)
        hamiltonian(into: before)
        try integrate(integrator, steps: steps, stepSize: stepSize)
        try field.exchangeHalos(communicator)
        hamiltonian(into: after)
        // This rank's planes' changes, placed at their global positions; zeros elsewhere.
        for i in 0..<planes { before[i] = after[i] - before[i] }
        let first = field.planes.lowerBound
        for p in 0..<all { after[p] = p >= first && p < first + planes ? before[p - first] : 0 }
        let changes = after
        if field.decomposition.parts > 1 { try communicator.allreduce(changes, .sum) }
        var deltaH = 0.0
        for p in 0..<all { deltaH += changes[p] }
        var stream = RandomStream(seed: seed, purpose: .phi4Accept, replica: replica, step: index)
        let u = stream.uniform()
        let accepted = deltaH.isFinite && (deltaH <= 0 || u < exp(-deltaH))
        if !accepted { _ = owned.update(fromContentsOf: saved) }
        return TrajectoryOutcome(deltaH: deltaH, accepted: accepted)
    }

    /// Runs the integrator on the current momenta, without accept/reject. Collective.
    public func integrate(_ integrator: Integrator, steps: Int, stepSize: Double) throws(MPIError) {
        if accelerator != nil {
            // The accelerated drift is not local; it cannot be fused with the kicks.
            return try integrator.integrate(steps: steps, stepSize: stepSize, kick: { (h: Double) throws(MPIError) in try kick(h) },
                                            drift: { (h: Double) throws(MPIError) in drift(h) })
        }
        try integrator.integrate(steps: steps, stepSize: stepSize, kick: { (h: Double) throws(MPIError) in try kick(h) },
                                 driftThenKick: { (d: Double, k: Double) throws(MPIError) in try driftThenKick(d, k) })
    }

    /// π += h·F(φ), the halo exchange overlapped with the interior planes. Collective.
    func kick(_ h: Double) throws(MPIError) {
        let p = field.planes.count
        var exchange = try field.startExchange(communicator)
        for piece in 0..<Self.interiorPieceCount(planes: p) {
            action.kick(field, momenta: momenta, by: h, planes: Self.interiorPiece(piece, planes: p))
            try exchange.progress()
        }
        try exchange.finish()
        action.kick(field, momenta: momenta, by: h, planes: 1..<2)
        if p > 1 { action.kick(field, momenta: momenta, by: h, planes: p..<(p + 1)) }
    }

    /// The interior planes 2 ..< P of a slab of P planes (none for P ≤ 2) come in up to four
    /// pieces, between which the halo exchange is moved along.
    static func interiorPieceCount(planes p: Int) -> Int { min(4, max(0, p - 2)) }

    /// Piece `i` of the interior planes of a slab of P planes.
    static func interiorPiece(_ i: Int, planes p: Int) -> Range<Int> {
        let count = p - 2, n = interiorPieceCount(planes: p)
        return (2 + i * count / n)..<(2 + (i + 1) * count / n)
    }

    /// φ += h·π on the owned sites (h·∂K/∂π with Fourier acceleration).
    func drift(_ h: Double) {
        if let accelerator { return accelerator.drift(field.owned, momenta: momenta, by: h) }
        action.drift(field, momenta: momenta, by: h, planes: 1..<(field.planes.count + 1))
    }

    /// φ += d·π, then π += k·F(φ), in one pass: the boundary planes drift first and go to the
    /// neighbours while the interior drifts and kicks, then the boundary planes kick. Collective.
    func driftThenKick(_ d: Double, _ k: Double) throws(MPIError) {
        let p = field.planes.count
        action.drift(field, momenta: momenta, by: d, planes: 1..<2)
        if p > 1 { action.drift(field, momenta: momenta, by: d, planes: p..<(p + 1)) }
        var exchange = try field.startExchange(communicator)
        for piece in 0..<Self.interiorPieceCount(planes: p) {
            let part = Self.interiorPiece(piece, planes: p)
            // Each piece drifts the plane after it too: the next piece's first kick needs it, and
            // driftKick expects the planes just outside its range drifted already.
            action.driftKick(field, momenta: momenta, drift: d, kick: k, planes: part,
                             driftFirst: part.lowerBound == 2, driftEnd: p)
            try exchange.progress()
        }
        try exchange.finish()
        action.kick(field, momenta: momenta, by: k, planes: 1..<2)
        if p > 1 { action.kick(field, momenta: momenta, by: k, planes: p..<(p + 1)) }
    }

    /// Negates the momenta (for reversibility checks).
    public func reverseMomenta() {
        for i in momenta.indices { momenta[i] = -momenta[i] }
    }

    /// Draws fresh momenta for trajectory `index` (unit normals, then correlated by the accelerator if any).
    public func drawMomenta(trajectory index: Int) {
        let start = field.planes.lowerBound * field.planeVolume
        RandomStream.fillNormals(seed: seed, purpose: .phi4Momenta, replica: replica, step: index, firstSite: start,
                                 into: momenta, scratch: words)
        accelerator?.correlate(momenta)
    }

    /// H of each owned plane (kinetic + action) into `sums[0..<P]`; the halos must be current.
    private func hamiltonian(into sums: UnsafeMutableBufferPointer<Double>) {
        action.planeActions(field, into: sums)
        // The accelerated kinetic term is not local; one rank holds the lattice, so plane 0 carries it.
        if let accelerator { return sums[0] += accelerator.kineticEnergy(momenta) }
        let v = field.planeVolume, pi = momenta.baseAddress!
        for plane in 0..<field.planes.count {
            var kinetic = SIMD4<Double>(repeating: 0)
            var i = plane * v
            let end = (plane + 1) * v
            while i + 4 <= end {
                let p = SIMD4(pi[i], pi[i + 1], pi[i + 2], pi[i + 3])
                kinetic += p * p
                i += 4
            }
            var total = (kinetic[0] + kinetic[1]) + (kinetic[2] + kinetic[3])
            while i < end {
                total += pi[i] * pi[i]
                i += 1
            }
            sums[plane] += 0.5 * total
        }
    }

    /// Fills `words` with the blocks of sites ⌊firstSite/2⌋ … ⌊(firstSite + count − 1)/2⌋.
    private func fillPairs(purpose: RandomStream.Purpose, step: Int, firstSite: Int, count: Int) {
        let firstPair = firstSite / 2, pairs = (firstSite + count - 1) / 2 - firstPair + 1
        RandomStream.fillWords(seed: seed, purpose: purpose, replica: replica, step: step, firstBlock: firstPair,
                               into: UnsafeMutableBufferPointer(rebasing: words[0..<(4 * pairs)]))
    }

    /// The block of site `site`'s pair, from `words` filled by `fillPairs(firstSite: offset)`.
    @inline(__always)
    private func block(site: Int, offset: Int) -> SIMD4<UInt32> {
        let b = 4 * (site / 2 - offset / 2)
        return SIMD4(words[b], words[b + 1], words[b + 2], words[b + 3])
    }

    /// The two words of `site`'s uniform: words 0–1 of its pair's block for even sites, 2–3 for odd.
    @inline(__always)
    private func pairWords(site: Int, offset: Int) -> (UInt32, UInt32) {
        let b = block(site: site, offset: offset)
        return site % 2 == 0 ? (b[0], b[1]) : (b[2], b[3])
    }
}
