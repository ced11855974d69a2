// Random streams: every random number is a pure function of (seed, purpose, replica, step, site)
// (DESIGN.md, "Randomness and reproducibility"), so results do not depend on how many ranks ran,
// how the lattice was decomposed, or whether the run was resumed.
//
// Mapping onto Philox4x32-10 (key: 2 words, counter: 4 words):
//
//     key      = (seed & 0xFFFF_FFFF, seed >> 32)
//     counter0 = site                    site    < 2^32
//     counter1 = step                    step    < 2^32
//     counter2 = replica                 replica < 2^32   (replica, chain, walker, search …)
//     counter3 = purpose << 24 | block   purpose < 2^8,   block < 2^24
//
// Philox is a bijection of the counter for a fixed key, so distinct (purpose, replica, step, site,
// block) tuples never share a block. One substream, i.e. one (seed, purpose, replica, step, site),
// holds 2^24 blocks = 2^26 words: 2^25 uniforms or normals. Out-of-range indices and exhausted
// substreams trap rather than silently wrap onto another substream's numbers.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A reproducible substream of random numbers identified by (seed, purpose, replica, step, site).
///
/// Sequential draws walk the substream's blocks 0, 1, 2, …; `block(_:)`, `seek(toBlock:)` and
/// `substream(replica:step:site:)` give random access without generating earlier numbers.
/// Word consumption, which fixes what a given call returns:
/// - `nextUInt32()` takes the next word, refilling from the next block when the current one is used up;
/// - `uniform()`, `exponential()` and `nextUInt64()` take two words of one block, abandoning a
///   lone leftover word;
/// - `normal()` returns the cached second value if there is one, otherwise abandons what is left of
///   the current block and applies Box–Muller to the whole next block, returning its cosine branch
///   and caching the sine branch. So each pair of normals is a function of one counter alone.
public struct RandomStream: Sendable {
    /// Blocks in one substream: the low 24 bits of counter word 3.
    @inlinable public static var blocksPerSubstream: UInt32 { 1 << 24 }
    /// Largest index + 1 accepted for `site`, `step` and `replica` (one counter word each).
    @inlinable public static var indexLimit: Int { 1 << 32 }

    /// The run's seed; both halves form the Philox key.
    public let seed: UInt64
    /// What these numbers are for; keeps e.g. momenta and accept/reject draws apart.
    public let purpose: Purpose

    @usableFromInline let key: SIMD2<UInt32>
    /// Counter of block 0 of this substream; block b adds b to word 3.
    @usableFromInline let base: SIMD4<UInt32>
    /// Index of the next block to generate.
    @usableFromInline var nextBlock: UInt32 = 0
    @usableFromInline var buffer: SIMD4<UInt32> = .zero
    /// Next unread word of `buffer`; 4 means the buffer is used up.
    @usableFromInline var position: Int = 4
    @usableFromInline var cachedNormal: Double = 0
    @usableFromInline var hasCachedNormal = false

    /// The substream for these indices; traps if an index is negative or does not fit in 32 bits.
    @inlinable
    public init(seed: UInt64, purpose: Purpose, replica: Int = 0, step: Int = 0, site: Int = 0) {
        precondition(replica >= 0 && replica < Self.indexLimit,
                     "RandomStream: replica \(replica) outside 0..<2^32")
        precondition(step >= 0 && step < Self.indexLimit,
                     "RandomStream: step \(step) outside 0..<2^32")
        precondition(site >= 0 && site < Self.indexLimit,
                     "RandomStream: site \(site) outside 0..<2^32")
        self.seed = seed
        self.purpose = purpose
        self.key = SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
        self.base = SIMD4(UInt32(truncatingIfNeeded: site), UInt32(truncatingIfNeeded: step),
                          UInt32(truncatingIfNeeded: replica), purpose.rawValue << 24)
    }

    /// The replica (chain, walker, search) index: counter word 2.
    @inlinable public var replica: Int { Int(base[2]) }
    /// The step (sweep, trajectory, generation, epoch) index: counter word 1.
    @inlinable public var step: Int { Int(base[1]) }
    /// The site (or any per-step item) index: counter word 0.
    @inlinable public var site: Int { Int(base[0]) }
    /// Index of the next block sequential draws will generate.
    @inlinable public var blockIndex: Int { Int(nextBlock) }

    /// A fresh stream (at block 0) with the given indices replaced and the rest copied from `self`.
    @inlinable
    public func substream(replica: Int? = nil, step: Int? = nil, site: Int? = nil) -> RandomStream {
        RandomStream(seed: seed, purpose: purpose, replica: replica ?? self.replica,
                     step: step ?? self.step, site: site ?? self.site)
    }

    /// The Philox counter of block `index` of this substream (the documented layout, for checks).
    @inlinable
    public func counter(block index: Int) -> SIMD4<UInt32> {
        precondition(index >= 0 && index < Int(Self.blocksPerSubstream),
                     "RandomStream: block \(index) outside 0..<2^24")
        var c = base
        c[3] |= UInt32(truncatingIfNeeded: index)
        return c
    }

    /// Block `index` of this substream, computed directly: random access within the substream.
    @inlinable
    public func block(_ index: Int) -> SIMD4<UInt32> {
        Philox4x32.block(counter: counter(block: index), key: key)
    }

    /// Moves sequential draws to block `index`, dropping buffered words and any cached normal.
    @inlinable
    public mutating func seek(toBlock index: Int) {
        precondition(index >= 0 && index <= Int(Self.blocksPerSubstream),
                     "RandomStream: block \(index) outside 0...2^24")
        nextBlock = UInt32(truncatingIfNeeded: index)
        position = 4
        hasCachedNormal = false
    }

    /// Generates the next block into the buffer; traps when the substream is exhausted.
    /// Kept out of line so that the common path of single draws stays small enough to inline.
    @inlinable @inline(never)
    mutating func refill() {
        precondition(nextBlock < Self.blocksPerSubstream,
                     "RandomStream: substream exhausted (2^24 blocks); use another step or site index")
        var c = base
        c[3] |= nextBlock
        buffer = Philox4x32.block(counter: c, key: key)
        nextBlock &+= 1
        position = 0
    }

    /// The next whole block, starting a fresh one (words left in the current block are abandoned).
    @inlinable
    public mutating func nextBlockWords() -> SIMD4<UInt32> {
        refill()
        position = 4
        return buffer
    }

    /// The next 32 random bits.
    @inlinable @inline(__always)
    public mutating func nextUInt32() -> UInt32 {
        if position > 3 { refill() }
        let w = buffer[position]
        position &+= 1
        return w
    }

    /// The next 64 random bits: two words of one block, the first in the high half.
    @inlinable @inline(__always)
    public mutating func nextUInt64() -> UInt64 {
        if position > 2 { refill() }
        let w = UInt64(buffer[position]) << 32 | UInt64(buffer[position &+ 1])
        position &+= 2
        return w
    }

    /// A uniform Double in the open interval (0, 1) with 53 random bits (see `uniform(high:low:)`).
    @inlinable @inline(__always)
    public mutating func uniform() -> Double {
        if position > 2 { refill() }
        let u = Self.uniform(high: buffer[position], low: buffer[position &+ 1])
        position &+= 2
        return u
    }

    /// A standard normal deviate (mean 0, variance 1) by Box–Muller on one block per pair.
    @inlinable
    public mutating func normal() -> Double {
        if hasCachedNormal {
            hasCachedNormal = false
            return cachedNormal
        }
        let pair = Self.normalPair(nextBlockWords())
        cachedNormal = pair.1
        hasCachedNormal = true
        return pair.0
    }

    /// An exponential deviate with rate 1 (mean 1), as −ln u with u from `uniform()`, so never 0 or ∞.
    @inlinable
    public mutating func exponential() -> Double {
        -log(uniform())
    }

    /// A uniform integer in 0..<bound (bound ≤ 2^32) without modulo bias (Lemire's method).
    @inlinable
    public mutating func integer(below bound: Int) -> Int {
        precondition(bound > 0 && bound <= Self.indexLimit,
                     "RandomStream.integer(below:): bound \(bound) outside 1...2^32")
        let n = UInt64(bound)
        var m = UInt64(nextUInt32()) &* n
        if m & 0xFFFF_FFFF < n {
            let threshold = (0x1_0000_0000 &- n) % n
            while m & 0xFFFF_FFFF < threshold {
                m = UInt64(nextUInt32()) &* n
            }
        }
        return Int(truncatingIfNeeded: m >> 32)
    }
}

extension RandomStream {
    /// The uniform in (0, 1) made from two random words; exposed so tests can pin its extremes.
    ///
    /// Takes k = the top 53 of the 64 bits (high word first) and returns (k + ½)·2⁻⁵³, the midpoint
    /// of k's cell, so 0 is impossible (smallest 2⁻⁵⁴). Above ½ the half-ulp offset is not
    /// representable and rounds to even, which is unbiased on average, except that the very top
    /// cell would round to 1; it is clamped to 1 − 2⁻⁵³, so 1 is impossible too.
    @inlinable @inline(__always)
    public static func uniform(high: UInt32, low: UInt32) -> Double {
        let k = UInt64(high) << 21 | UInt64(low) >> 11
        return Swift.min(Double(k) * 0x1p-53 + 0x1p-54, 0x1.fffffffffffffp-1)
    }

    /// Two independent standard normals from one block (Box–Muller: words 0–1 give the radius,
    /// words 2–3 the angle); finite for every block since the uniforms are never 0.
    @inlinable @inline(__always)
    public static func normalPair(_ block: SIMD4<UInt32>) -> (Double, Double) {
        let u1 = uniform(high: block[0], low: block[1])
        let u2 = uniform(high: block[2], low: block[3])
        let r = (-2 * log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        return (r * cos(theta), r * sin(theta))
    }
}
