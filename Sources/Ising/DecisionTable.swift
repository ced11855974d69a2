/// The thresholds of one local algorithm at one temperature, arranged for bit-sliced decisions on
/// 64 sites at once.
///
/// A site's class is (its spin σ, a neighbour count n): for Metropolis n counts the neighbours
/// that disagree with the spin (one XOR per neighbour, a cheaper sum than the agreeing ones), for
/// heat bath the neighbours that are up. The site accepts (Metropolis: flips; heat bath: becomes
/// up) when its uniform u < t(σ, n), with t from `Thresholds`. Classes with t = 0 never accept,
/// with t = 2³² always accept, and only the others ("uncertain") compare u bit by bit with t.
/// When t does not depend on σ (Metropolis at h = 0, heat bath always) the spin is ignored.
public final class DecisionTable {
    /// Whether this is heat bath (the decision is the new spin) rather than Metropolis (a flip).
    public let heatBath: Bool
    /// 2·dimension: the largest neighbour count.
    let degree: Int
    /// Whether t depends on the spin.
    let spinDependent: Bool
    /// Classes that never accept, then the uncertain ones, as (σ, n).
    let never: [(spin: Int, count: Int)]
    let uncertain: [(spin: Int, count: Int)]
    /// The most classes: two spins × counts 0 … 6.
    static let maxClasses = 14
    /// Per listed class (never, then uncertain, then empty slots up to `maxClasses`), four masks
    /// x₀, x₁, x₂, x_σ: the class's lanes are those where (b₀ ^ x₀) & (b₁ ^ x₁) & (b₂ ^ x₂) &
    /// ((s ^ x_σ) | ignoreSpin) is set. An empty slot selects count 7, which no site has.
    private let selectors: UnsafeMutablePointer<UInt64>
    /// `planeMasks[32·i + j]` is all ones when bit 31 − j of uncertain class i's threshold is set
    /// (0 for empty slots).
    private let planeMasks: UnsafeMutablePointer<UInt64>
    private let thresholds: [UInt64]

    public init(_ thresholds: Thresholds, algorithm: UpdateAlgorithm, dimension: Int) {
        precondition(algorithm.isLocal && (dimension == 2 || dimension == 3))
        heatBath = algorithm == .heatBath
        degree = 2 * dimension
        let degree = self.degree, heatBath = self.heatBath
        // t(σ, n), indexed σ·(degree + 1) + n.
        self.thresholds = (0..<2).flatMap { spin in
            (0...degree).map { n in
                if heatBath { return thresholds.heatBath[n] }
                let up = spin == 1 ? degree - n : n   // neighbours up, from those disagreeing with σ
                return thresholds.metropolis[spin * (degree + 1) + up]
            }
        }
        let t = self.thresholds
        spinDependent = (0...degree).contains { t[$0] != t[degree + 1 + $0] }
        let classes = (spinDependent ? [0, 1] : [0]).flatMap { spin in (0...degree).map { (spin: spin, count: $0) } }
        let value = { (c: (spin: Int, count: Int)) in t[c.spin * (degree + 1) + c.count] }
        never = classes.filter { value($0) == 0 }
        uncertain = classes.filter { value($0) != 0 && value($0) < 1 << 32 }
        let listed = never + uncertain, slots = 2 * Self.maxClasses
        selectors = .allocate(capacity: 4 * slots)
        for i in 0..<slots {
            let c = i < listed.count ? listed[i] : (spin: 0, count: 7)
            for bit in 0..<3 { selectors[4 * i + bit] = (c.count >> bit) & 1 == 1 ? 0 : ~0 }
            selectors[4 * i + 3] = c.spin == 1 ? 0 : ~0
        }
        planeMasks = .allocate(capacity: RandomPlanes.depth * slots)
        planeMasks.initialize(repeating: 0, count: RandomPlanes.depth * slots)
        for (i, c) in uncertain.enumerated() {
            for j in 0..<RandomPlanes.depth {
                planeMasks[RandomPlanes.depth * i + j] = (value(c) >> UInt64(31 - j)) & 1 == 1 ? ~0 : 0
            }
        }
    }

    deinit {
        selectors.deallocate()
        planeMasks.deallocate()
    }

    /// The threshold t(σ, n) of spin `up` and count `n`, as the kernel uses it (for tests and scalar references).
    public func threshold(up: Bool, count n: Int) -> UInt64 { thresholds[(up ? degree + 1 : 0) + n] }

    /// The raw view the kernel reads: no ARC, no bounds checks.
    var view: View {
        View(selectors: selectors, planeMasks: planeMasks, neverCount: never.count, uncertainCount: uncertain.count,
             ignoreSpin: spinDependent ? 0 : ~0)
    }

    /// Pointers into a `DecisionTable`, valid while it lives.
    struct View {
        let selectors: UnsafeMutablePointer<UInt64>
        let planeMasks: UnsafeMutablePointer<UInt64>
        let neverCount: Int
        let uncertainCount: Int
        let ignoreSpin: UInt64

        /// The lanes of listed class `i` (never classes first, then uncertain ones).
        @inline(__always)
        func lanes<B: WordBlock>(of i: Int, _ b0: B, _ b1: B, _ b2: B, _ s: B) -> B {
            let x = selectors + 4 &* i
            return (b0 ^ B(repeating: x[0])) & (b1 ^ B(repeating: x[1])) & (b2 ^ B(repeating: x[2]))
                & ((s ^ B(repeating: x[3])) | B(repeating: ignoreSpin))
        }

        /// Bit 31 − j of every lane's threshold, from the lanes of the uncertain classes (padded
        /// with empty slots to a count fixed at compile time, so the loop unrolls into registers).
        @inline(__always)
        func thresholdPlane<B: WordBlock, let slots: Int>(_ j: Int, _ classLanes: InlineArray<slots, B>) -> B {
            var p = B(repeating: 0)
            for i in 0..<slots { p = p | (classLanes[i] & B(repeating: planeMasks[RandomPlanes.depth &* i &+ j])) }
            return p
        }
    }
}
