// Batch generation of Philox blocks for lattice updates: block 0 of many consecutive sites at once.
//
// A checkerboard half-sweep needs one 32-bit word per active site, as a pure function of
// (seed, purpose, replica, step, site). The agreed mapping: active site k of a half-sweep takes word
// k & 3 of `RandomStream(seed:purpose:replica:step:site: k >> 2).block(0)`, so four sites share one
// Philox block and `fillWords` produces the words of a run of consecutive blocks in that order.
//
// Vectorisation. Only counter word 0 (the site) differs between the blocks of one call, so the
// kernel keeps the four counter words of eight blocks in four SIMD8<UInt64> registers, one block
// per 64-bit lane with the 32-bit value in the low half ("structure of arrays"):
// - x86's pmuludq multiplies the low 32 bits of each 64-bit lane into a full 64-bit product, which
//   is exactly Philox's 32×32→64 multiply; LLVM selects it from `(x & 0xFFFF_FFFF) &* m`.
// - The high half of a product is brought down by swapping the 32-bit halves of each lane
//   (one pshufd, non-destructive) instead of a shift; the upper halves then hold garbage, which
//   is harmless because every value is either masked by the next multiply or masked at the end.
// - Rounds 1 and 2 are partly constant (counter words 1–3 are the same for every block) and are
//   folded into per-call scalars: 18 vector multiplies per block instead of 20.
// - Round 10 is written directly in output order: the swapped product p = (hi, lo) XOR the other
//   word and the key is (word 0, word 1) of the block as one 64-bit lane (little-endian), so the
//   transpose to words[4i + j] is one 64-bit interleave of two registers per group of eight blocks.
//
// Speed (Xeon Ice Lake server, 2.8 GHz, ns per block): scalar `RandomStream.block` ≈ 16; this
// kernel ≈ 4.3 on the default x86-64 target, which allows only SSE2 (128-bit registers; at about
// 8 vector instructions per two blocks and round it is near that target's limit). The same source
// built with `-target-cpu haswell` (AVX2, 256-bit) gives ≈ 3.2, and with `-target-cpu
// icelake-server` or `skylake-avx512` (AVX-512: vpmuludq, vpshufd, vpternlogq on 512-bit
// registers, 68 instructions per eight blocks) ≈ 1.7. Swift has no per-function target
// attributes, so the wider registers come from the build's -target-cpu: the Makefile compiles
// for the host (CPU=native), and `InstructionSet` checks at start-up that the CPU has them.
//
// Not @inlinable on purpose: the kernel is compiled once, in this module, with whole-module
// optimisation (it needs Philox4x32's constants inlined); callers pay one call per buffer.

extension RandomStream {
    /// Writes `words[4·i + j] = RandomStream(seed:purpose:replica:step:site: firstBlock + i).block(0)[j]`
    /// for every `4·i + j < words.count`; a count not divisible by 4 takes the first words of the
    /// last block. Equivalently, word k of the buffer is word `k & 3` of block 0 of site
    /// `firstBlock + (k >> 2)`, which is the lattice engines' one-word-per-site mapping: to start a
    /// buffer at active site k₀, pass `firstBlock: k₀ >> 2` and skip the first `k₀ & 3` words (or
    /// cut half-sweeps into chunks that start at multiples of 4).
    ///
    /// Bit-identical to `block(0)` of the scalar streams (the counter layout of `counter(block:)`),
    /// and several times faster: the blocks are computed eight at a time in SIMD registers (see
    /// the top of PhiloxBatch.swift for measured speeds). A pure function of its arguments, so any
    /// thread or rank may fill any part of a lattice, in chunks of any size.
    ///
    /// Writes nothing outside `words`. Traps, like `RandomStream.init`, if `replica` or `step` is
    /// outside 0..<2^32, or if a site index `firstBlock ..< firstBlock + ⌈words.count / 4⌉` is
    /// (`firstBlock` must be below 2^32 even for an empty buffer).
    public static func fillWords(seed: UInt64, purpose: Purpose, replica: Int, step: Int,
                                 firstBlock: Int, into words: UnsafeMutableBufferPointer<UInt32>) {
        precondition(replica >= 0 && replica < indexLimit,
                     "RandomStream.fillWords: replica \(replica) outside 0..<2^32")
        precondition(step >= 0 && step < indexLimit,
                     "RandomStream.fillWords: step \(step) outside 0..<2^32")
        let count = words.count
        let blocks = count / 4 + (count % 4 == 0 ? 0 : 1)
        precondition(firstBlock >= 0 && firstBlock < indexLimit && blocks <= indexLimit - firstBlock,
                     "RandomStream.fillWords: \(blocks) blocks from site \(firstBlock) leave 0..<2^32")
        guard count > 0, let base = words.baseAddress else { return }
        #if _endian(little)
        PhiloxBatch.fill(key: SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)),
                         step: UInt32(truncatingIfNeeded: step),
                         replica: UInt32(truncatingIfNeeded: replica),
                         word3: purpose.rawValue << 24,
                         firstSite: UInt32(truncatingIfNeeded: firstBlock),
                         words: base, count: count)
        #else
        // The kernel stores (word 0, word 1) as one little-endian 64-bit lane; elsewhere go scalar.
        for i in 0..<blocks {
            let b = RandomStream(seed: seed, purpose: purpose, replica: replica, step: step,
                                 site: firstBlock + i).block(0)
            for j in 0..<Swift.min(4, count - 4 * i) { base[4 * i + j] = b[j] }
        }
        #endif
    }
}

extension RandomStream {
    /// Writes block 0 of each of the given sites: `words[4·i + j] = RandomStream(seed:purpose:replica:
    /// step:site: sites[i]).block(0)[j]`. The sites may be in any order; they are computed eight at
    /// a time by the same SIMD kernel as `fillWords`, for engines that need scattered blocks (the
    /// few sites a batch left undecided) without paying for scalar blocks.
    ///
    /// Bit-identical to the scalar streams. Traps if `words.count != 4 · sites.count`, or if
    /// `replica` or `step` is outside 0..<2^32 (sites are 32-bit already).
    public static func fillBlocks(seed: UInt64, purpose: Purpose, replica: Int, step: Int,
                                  sites: UnsafeBufferPointer<UInt32>, into words: UnsafeMutableBufferPointer<UInt32>) {
        precondition(replica >= 0 && replica < indexLimit,
                     "RandomStream.fillBlocks: replica \(replica) outside 0..<2^32")
        precondition(step >= 0 && step < indexLimit,
                     "RandomStream.fillBlocks: step \(step) outside 0..<2^32")
        precondition(words.count == 4 * sites.count, "RandomStream.fillBlocks: needs 4 words per site")
        guard let first = sites.baseAddress, let base = words.baseAddress else { return }
        #if _endian(little)
        PhiloxBatch.gather(key: SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)),
                           step: UInt32(truncatingIfNeeded: step), replica: UInt32(truncatingIfNeeded: replica),
                           word3: purpose.rawValue << 24, sites: first, count: sites.count, words: base)
        #else
        for i in 0..<sites.count {
            let b = RandomStream(seed: seed, purpose: purpose, replica: replica, step: step, site: Int(first[i])).block(0)
            for j in 0..<4 { base[4 * i + j] = b[j] }
        }
        #endif
    }
}

/// The vectorised kernel behind `RandomStream.fillWords`; see the comment at the top of the file.
enum PhiloxBatch {
    /// Eight blocks, one per 64-bit lane; the 32-bit value lives in the low half of each lane.
    typealias Lanes = SIMD8<UInt64>

    /// Blocks per group (SIMD lanes) and the words one group writes.
    static var groupBlocks: Int { 8 }
    static var groupWords: Int { 32 }

    /// One Philox counter word per register: x0 … x3 of the eight blocks of a group.
    struct State {
        var x0, x1, x2, x3: Lanes
    }

    /// The per-call constants: what rounds 1–2 contribute that does not depend on the site, and
    /// the key, from which the kernel derives the later round keys.
    struct Constants {
        /// XORed into round 1's x2 (purpose word ^ key 1 of round 1).
        var r1x2: UInt64
        /// XORed into round 2's x0, x2; round 2's x3 (all from the constant products of rounds 1–2).
        var r2x0: UInt64, r2x2: UInt64, r2x3: UInt64
        /// The two key words, zero-extended.
        var key0: UInt64, key1: UInt64

        /// Key word 0 of round `r` (1…10), zero-extended: key0 + (r − 1)·weyl0 mod 2^32.
        ///
        /// Kept as masked 64-bit scalar arithmetic on purpose: computed from 32-bit vectors, the
        /// keys reach LLVM as zero-extensions, and it then narrows every XOR to 32 bits and pays
        /// for it in shuffles (vpermd/vpmovzxdq with AVX2).
        @inline(__always) func k0(_ r: UInt64) -> UInt64 {
            (key0 &+ (r &- 1) &* UInt64(Philox4x32.weyl0)) & 0xFFFF_FFFF
        }
        /// Key word 1 of round `r` (1…10), zero-extended.
        @inline(__always) func k1(_ r: UInt64) -> UInt64 {
            (key1 &+ (r &- 1) &* UInt64(Philox4x32.weyl1)) & 0xFFFF_FFFF
        }
    }

    @inline(__always)
    static func constants(key: SIMD2<UInt32>, step: UInt32, replica: UInt32, word3: UInt32) -> Constants {
        let m0 = UInt64(Philox4x32.multiplier0), m1 = UInt64(Philox4x32.multiplier1)
        var c = Constants(r1x2: 0, r2x0: 0, r2x2: 0, r2x3: 0, key0: UInt64(key[0]), key1: UInt64(key[1]))
        // Round 1: x2 = replica is the same for every block, so p1 and the new x0, x1 are constants;
        // only p0 = m0 · site varies: x2' = hi(p0) ^ word3 ^ k1, x3' = lo(p0).
        let q1 = UInt64(replica) &* m1
        let x0r1 = (q1 >> 32) ^ UInt64(step) ^ c.k0(1)
        let x1r1 = q1 & 0xFFFF_FFFF
        c.r1x2 = UInt64(word3) ^ c.k1(1)
        // Round 2: p0 = m0 · x0' is a constant, p1 = m1 · x2' varies:
        // x0'' = hi(p1) ^ x1' ^ k0, x1'' = lo(p1), x2'' = hi(q0) ^ x3' ^ k1, x3'' = lo(q0).
        let q0 = x0r1 &* m0
        c.r2x0 = x1r1 ^ c.k0(2)
        c.r2x2 = (q0 >> 32) ^ c.k1(2)
        c.r2x3 = q0 & 0xFFFF_FFFF
        return c
    }

    /// The 64-bit products of the low 32 bits of each lane with `m` (pmuludq on x86).
    @inline(__always)
    static func multiply(_ x: Lanes, _ m: UInt32) -> Lanes {
        (x & Lanes(repeating: 0xFFFF_FFFF)) &* Lanes(repeating: UInt64(m))
    }

    /// Swaps the 32-bit halves of each lane, moving the high word of a product to the low half.
    @inline(__always)
    static func swapHalves(_ p: Lanes) -> Lanes {
        let words = unsafeBitCast(p, to: SIMD16<UInt32>.self)
        var swapped = SIMD16<UInt32>()
        swapped.evenHalf = words.oddHalf
        swapped.oddHalf = words.evenHalf
        return unsafeBitCast(swapped, to: Lanes.self)
    }

    /// One Philox round on eight blocks (`Philox4x32.round`), keeping garbage in the upper halves.
    @inline(__always)
    static func round(_ s: inout State, _ k0: UInt64, _ k1: UInt64) {
        let p0 = multiply(s.x0, Philox4x32.multiplier0)
        let p1 = multiply(s.x2, Philox4x32.multiplier1)
        s = State(x0: swapHalves(p1) ^ s.x1 ^ Lanes(repeating: k0), x1: p1,
                  x2: swapHalves(p0) ^ s.x3 ^ Lanes(repeating: k1), x3: p0)
    }

    /// The eight blocks of sites `site` (low halves of the lanes) in output order: lane 2i holds
    /// words 0–1 of block i, lane 2i + 1 words 2–3 (low word first, as little-endian memory).
    @inline(__always)
    static func group(_ site: Lanes, _ c: Constants) -> SIMD16<UInt64> {
        // Rounds 1 and 2 with their constant parts folded into `c`.
        let p0r1 = multiply(site, Philox4x32.multiplier0)
        let x2r1 = swapHalves(p0r1) ^ Lanes(repeating: c.r1x2)
        let p1r2 = multiply(x2r1, Philox4x32.multiplier1)
        var s = State(x0: swapHalves(p1r2) ^ Lanes(repeating: c.r2x0), x1: p1r2,
                      x2: p0r1 ^ Lanes(repeating: c.r2x2), x3: Lanes(repeating: c.r2x3))
        // Rounds 3 to 9.
        round(&s, c.k0(3), c.k1(3))
        round(&s, c.k0(4), c.k1(4))
        round(&s, c.k0(5), c.k1(5))
        round(&s, c.k0(6), c.k1(6))
        round(&s, c.k0(7), c.k1(7))
        round(&s, c.k0(8), c.k1(8))
        round(&s, c.k0(9), c.k1(9))
        // Round 10 in output order: (hi(p1) ^ x1 ^ k0, lo(p1)) is swapHalves(p1) ^ (x1 ^ k0) with
        // x1 cut to its low half, and likewise (hi(p0) ^ x3 ^ k1, lo(p0)).
        let p0 = multiply(s.x0, Philox4x32.multiplier0)
        let p1 = multiply(s.x2, Philox4x32.multiplier1)
        let low = Lanes(repeating: 0xFFFF_FFFF)
        let words01 = swapHalves(p1) ^ ((s.x1 & low) ^ Lanes(repeating: c.k0(10)))
        let words23 = swapHalves(p0) ^ ((s.x3 & low) ^ Lanes(repeating: c.k1(10)))
        var out = SIMD16<UInt64>()
        out.evenHalf = words01
        out.oddHalf = words23
        return out
    }

    /// Writes the `count` (> 0) words of the blocks of sites `firstSite`, `firstSite + 1`, … to `words`
    /// (little-endian hosts only: each 64-bit lane holds two consecutive output words).
    /// The caller has checked that the sites used fit in 32 bits; lanes past the end of the last
    /// group may wrap around 2^32, which is harmless because they are computed but never stored.
    static func fill(key: SIMD2<UInt32>, step: UInt32, replica: UInt32, word3: UInt32,
                     firstSite: UInt32, words: UnsafeMutablePointer<UInt32>, count: Int) {
        let c = constants(key: key, step: step, replica: replica, word3: word3)
        var site = Lanes(repeating: UInt64(firstSite)) &+ Lanes(0, 1, 2, 3, 4, 5, 6, 7)
        var out = UnsafeMutableRawPointer(words)
        var remaining = count
        while remaining >= groupWords {
            out.storeBytes(of: group(site, c), as: SIMD16<UInt64>.self)   // unaligned store
            out += 4 * groupWords
            remaining &-= groupWords
            site &+= Lanes(repeating: UInt64(groupBlocks))
        }
        if remaining > 0 {
            var last = group(site, c)
            withUnsafeBytes(of: &last) { out.copyMemory(from: $0.baseAddress!, byteCount: 4 * remaining) }
        }
    }

    /// Writes block 0 of sites `sites[0 ..< count]` (count > 0), four words each, to `words`
    /// (little-endian hosts only). A last partial group repeats its last site in the spare lanes.
    static func gather(key: SIMD2<UInt32>, step: UInt32, replica: UInt32, word3: UInt32,
                       sites: UnsafePointer<UInt32>, count: Int, words: UnsafeMutablePointer<UInt32>) {
        let c = constants(key: key, step: step, replica: replica, word3: word3)
        var out = UnsafeMutableRawPointer(words)
        var i = 0
        while i < count {
            var site = Lanes()
            for k in 0..<groupBlocks { site[k] = UInt64(sites[Swift.min(i &+ k, count &- 1)]) }
            var blocks = group(site, c)
            let n = Swift.min(groupBlocks, count &- i)
            if n == groupBlocks {
                out.storeBytes(of: blocks, as: SIMD16<UInt64>.self)   // unaligned store
            } else {
                withUnsafeBytes(of: &blocks) { out.copyMemory(from: $0.baseAddress!, byteCount: 16 * n) }
            }
            out += 16 * n
            i &+= groupBlocks
        }
    }
}
