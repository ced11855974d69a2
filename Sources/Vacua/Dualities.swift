// One vacuum is one isolated solution modulo SL(2,Z)_τ × SL(2,Z)_φ and N ≡ −N. The canonical form
// brings τ and then φ into the fundamental domain {|Re z| ≤ ½, |z| ≥ 1}, carrying the fluxes along,
// with the boundary fixed by convention: Re z ∈ [−½, ½) and Re z ≤ 0 on |z| = 1. Where a modulus
// sits on the boundary, its stabiliser (S at i; the order-3 rotation at e^{2πi/3}) and the sign
// flip leave several flux representatives of the same point; the key is the lexicographically
// smallest of them, so every duality image of a vacuum has the same key.

/// A generator of SL(2,Z) acting on a modulus z and on fluxes.
public enum ModularGenerator: CaseIterable, Sendable {
    /// z → z + 1.
    case t
    /// z → z − 1.
    case tInverse
    /// z → −1/z.
    case s

    /// The image of the modulus.
    @inlinable public func apply(_ z: Complex) -> Complex {
        switch self {
        case .t: return z + Complex(1)
        case .tInverse: return z - Complex(1)
        case .s: return -(Complex(1) / z)
        }
    }

    /// The image of one cubic v = (v0, v1, v2, v3) under the τ-duality, so that P_v′(z′) ∝ P_v(z).
    @inlinable public func applyToCubic(_ v: SIMD4<Int>) -> SIMD4<Int> {
        switch self {
        case .t: return SIMD4(v[0], v[0] + v[1], v[2] - 2 * v[1] - v[0], v[3] + 3 * v[1] - 3 * v[2] + v[0])
        case .tInverse: return SIMD4(v[0], v[1] - v[0], v[2] + 2 * v[1] - v[0], v[3] + 3 * v[2] + 3 * v[1] - v[0])
        case .s: return SIMD4(-v[3], -v[2], v[1], v[0])
        }
    }

    /// The image of the pair (F, H) under the φ-duality: T: F → F + H; S: (F, H) → (H, −F).
    @inlinable public func applyToPair(_ g: FluxGenome) -> FluxGenome {
        switch self {
        case .t: return FluxGenome(f: g.f &+ g.h, h: g.h)
        case .tInverse: return FluxGenome(f: g.f &- g.h, h: g.h)
        case .s: return FluxGenome(f: g.h, h: 0 &- g.f)
        }
    }
}

/// Reduction of moduli to the fundamental domain and the canonical key of a vacuum.
public enum Dualities {
    /// How close to the domain's boundary counts as on it.
    static let boundaryTolerance = 1e-9

    /// The τ-duality image of a vacuum (both cubics transform, φ does not).
    public static func actOnTau(_ g: ModularGenerator, _ v: FluxVacuum) -> FluxVacuum {
        FluxVacuum(genome: FluxGenome(f: g.applyToCubic(v.genome.f), h: g.applyToCubic(v.genome.h)), tau: g.apply(v.tau), phi: v.phi)
    }

    /// The φ-duality image of a vacuum (the pair transforms, τ does not).
    public static func actOnPhi(_ g: ModularGenerator, _ v: FluxVacuum) -> FluxVacuum {
        FluxVacuum(genome: g.applyToPair(v.genome), tau: v.tau, phi: g.apply(v.phi))
    }

    /// The generators that bring z into the fundamental domain with the boundary convention, in order.
    public static func reduction(of z: Complex) -> [ModularGenerator] {
        var word: [ModularGenerator] = []
        reduce(z) { word.append($0) }
        return word
    }

    /// Calls `step` with each generator of `reduction(of: z)` in order, building no word.
    @inline(__always) static func reduce(_ z: Complex, _ step: (ModularGenerator) -> Void) {
        var z = z
        for _ in 0..<10_000 {
            let shift = (z.re + 0.5 - boundaryTolerance).rounded(.down)
            if shift != 0 {
                let g: ModularGenerator = shift > 0 ? .tInverse : .t
                for _ in 0..<Int(abs(shift)) { z = g.apply(z); step(g) }
            }
            if z.lengthSquared < 1 - boundaryTolerance {
                z = ModularGenerator.s.apply(z)
                step(.s)
                continue
            }
            break
        }
        // On the unit circle take the left half (S maps x to −x there).
        if abs(z.lengthSquared - 1) <= boundaryTolerance && z.re > boundaryTolerance {
            step(.s)
        }
    }

    /// The image of z in the fundamental domain (boundary convention aside), without building the
    /// word: O(log) steps however close z lies to the real axis.
    public static func reducedPoint(of z: Complex) -> Complex {
        var z = z
        for _ in 0..<10_000 {
            z.re -= z.re.rounded()
            guard z.lengthSquared < 1 - boundaryTolerance else { break }
            z = ModularGenerator.s.apply(z)
        }
        return z
    }

    /// The words (length ≤ 3) that map z, a point of the fundamental domain, to itself: its
    /// stabiliser, non-trivial only at i and e^{2πi/3}.
    static func stabilizer(of z: Complex) -> [[ModularGenerator]] {
        var words: [[ModularGenerator]] = []
        forEachStabilizing(z) { k in words.append(ShortWord.all[k].letters) }
        return words
    }

    /// Calls `body` with the index in `ShortWord.all` of each word of `stabilizer(of: z)`, in
    /// the same order, building no word lists (the canonical key's hot path).
    @inline(__always) static func forEachStabilizing(_ z: Complex, _ body: (Int) -> Void) {
        body(0)
        guard isOnBoundary(z) else { return }
        for k in 1..<ShortWord.all.count {
            var image = z
            ShortWord.all[k].forEachLetter { image = $0.apply(image) }
            if (image - z).magnitude <= 1e-7 { body(k) }
        }
    }

    /// Whether z, a point of the fundamental domain, lies on its boundary, where `stabilizer` may be non-trivial.
    static func isOnBoundary(_ z: Complex) -> Bool {
        abs(z.lengthSquared - 1) <= 1e-7 || abs(abs(z.re) - 0.5) <= 1e-7
    }

    /// The vacuum with τ and φ in the fundamental domain and the smallest flux representative
    /// of that point: equal for all duality images of one vacuum.
    public static func canonical(_ vacuum: FluxVacuum) -> FluxVacuum {
        var v = vacuum
        reduce(v.tau) { v = actOnTau($0, v) }
        reduce(v.phi) { v = actOnPhi($0, v) }
        var best = v
        forEachStabilizing(v.tau) { tauWord in
            var u = v
            ShortWord.all[tauWord].forEachLetter { u = actOnTau($0, u) }
            forEachStabilizing(v.phi) { phiWord in
                var w = u
                ShortWord.all[phiWord].forEachLetter { w = actOnPhi($0, w) }
                if w.genome < best.genome { best = FluxVacuum(genome: w.genome, tau: v.tau, phi: v.phi) }
                let negated = -w.genome
                if negated < best.genome { best = FluxVacuum(genome: negated, tau: v.tau, phi: v.phi) }
            }
        }
        return best
    }
}

/// A word of length ≤ 3 in the generators, stored inline (letters indexed into `allCases`).
struct ShortWord: Sendable {
    let count: Int
    let codes: SIMD4<UInt8>

    /// Every word of length ≤ 3, the empty one first, then by length in `allCases` order: the
    /// candidates of a stabiliser, built once.
    static let all: [ShortWord] = {
        var words = [ShortWord(count: 0, codes: .zero)], frontier = words
        for _ in 0..<3 {
            frontier = frontier.flatMap { w in (0..<ModularGenerator.allCases.count).map { g in
                var codes = w.codes
                codes[w.count] = UInt8(g)
                return ShortWord(count: w.count + 1, codes: codes)
            } }
            words += frontier
        }
        return words
    }()

    /// The letters, first applied first.
    var letters: [ModularGenerator] { (0..<count).map { ModularGenerator.allCases[Int(codes[$0])] } }

    /// Calls `body` with each letter in order (codes follow the order of `allCases`).
    @inline(__always) func forEachLetter(_ body: (ModularGenerator) -> Void) {
        for i in 0..<count {
            switch codes[i] {
            case 0: body(.t)
            case 1: body(.tInverse)
            default: body(.s)
            }
        }
    }
}
