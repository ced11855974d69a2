// Standard normals for whole lattices: HMC draws one per site per trajectory, and a libm log,
// square root, sine and cosine per pair cost more than the trajectory's force evaluations.

extension RandomStream {
    /// Writes `normals[i]` = the standard normal of site `firstSite + i`, where sites 2k and 2k + 1
    /// are the pair `normalPair(block)` of block 0 of `RandomStream(seed:purpose:replica:step:
    /// site: k)` (radius from words 0–1, angle from words 2–3), computed eight pairs at a time with
    /// `VectorMath`: equal to `normalPair` within a few units in the last place, and a pure function
    /// of (seed, purpose, replica, step, site), the same bit for bit wherever the site falls in a
    /// buffer, so ranks that split a lattice draw what one rank would.
    ///
    /// `scratch` must hold `scratchWords(sites:firstSite:)` words. Traps like `fillWords` if a
    /// pair's index leaves 0..<2^32.
    public static func fillNormals(seed: UInt64, purpose: Purpose, replica: Int, step: Int, firstSite: Int,
                                   into normals: UnsafeMutableBufferPointer<Double>, scratch: UnsafeMutableBufferPointer<UInt32>) {
        let n = normals.count
        guard n > 0, let out = normals.baseAddress else { return }
        let firstPair = firstSite >> 1, odd = firstSite & 1
        let pairs = ((firstSite + n - 1) >> 1) - firstPair + 1, groups = (pairs + 7) / 8
        let words = scratchWords(sites: n, firstSite: firstSite)
        precondition(scratch.count >= words, "RandomStream.fillNormals: scratch holds \(scratch.count) words, needs \(words)")
        fillWords(seed: seed, purpose: purpose, replica: replica, step: step, firstBlock: firstPair,
                  into: UnsafeMutableBufferPointer(rebasing: scratch[0..<words]))
        let blocks = UnsafeRawPointer(scratch.baseAddress!)
        // Two groups per round (the scratch holds an even number), so that one group's long chains of dependent operations (the
        // division and the square root) overlap with the other's.
        var g = 0
        while g < groups {
            let first = normalGroup(blocks.loadUnaligned(fromByteOffset: 128 * g, as: SIMD16<UInt64>.self))
            let second = normalGroup(blocks.loadUnaligned(fromByteOffset: 128 * (g + 1), as: SIMD16<UInt64>.self))
            store(first, group: g, odd: odd, into: out, count: n)
            if g + 1 < groups { store(second, group: g + 1, odd: odd, into: out, count: n) }
            g += 2
        }
    }

    /// Stores group `g`'s sixteen normals, whose first site is output index 16g − `odd`; the
    /// groups at the buffer's ends go lane by lane.
    @inline(__always)
    private static func store(_ values: SIMD16<Double>, group g: Int, odd: Int, into out: UnsafeMutablePointer<Double>, count n: Int) {
        let at = 16 * g - odd
        if at >= 0 && at + 16 <= n {
            UnsafeMutableRawPointer(out + at).storeBytes(of: values, as: SIMD16<Double>.self)
        } else {
            for lane in 0..<16 where at + lane >= 0 && at + lane < n { out[at + lane] = values[lane] }
        }
    }

    /// The scratch words `fillNormals` needs for `sites` sites from `firstSite` on: the blocks of an
    /// even number of groups of eight pairs.
    public static func scratchWords(sites: Int, firstSite: Int) -> Int {
        guard sites > 0 else { return 0 }
        let pairs = ((firstSite + sites - 1) >> 1) - (firstSite >> 1) + 1
        return 32 * (((pairs + 7) / 8 + 1) & ~1)
    }

    /// The sixteen normals of eight blocks, given as 64-bit words: lane 2i holds words 0–1 of block
    /// i (word 0 in the low half), lane 2i + 1 words 2–3; out lane 2i and 2i + 1 are its pair.
    @inline(__always)
    static func normalGroup(_ blocks: SIMD16<UInt64>) -> SIMD16<Double> {
        let radius = uniforms(blocks.evenHalf), angle = uniforms(blocks.oddHalf)
        let r = VectorMath.squareRoot(-2 * VectorMath.log(radius))
        let (sine, cosine) = VectorMath.sinCosTurns(angle)
        var result = SIMD16<Double>()
        result.evenHalf = r * cosine
        result.oddHalf = r * sine
        return result
    }

    /// `uniform(high: word 0, low: word 1)` of each lane (word 0 in the low half): the same
    /// double, from exact pieces. (k · 2⁻⁵³ with k = high·2²¹ + low/2¹¹ is the exact sum of the two
    /// parts, so adding 2⁻⁵⁴ rounds once, as the scalar does.)
    @inline(__always)
    static func uniforms(_ pair: SIMD8<UInt64>) -> SIMD8<Double> {
        let high = pair & 0xFFFF_FFFF, low = (pair &>> 32) &>> 11
        let h = unsafeBitCast(high | 0x4330_0000_0000_0000, to: SIMD8<Double>.self) - 0x1p52
        let l = unsafeBitCast(low | 0x4330_0000_0000_0000, to: SIMD8<Double>.self) - 0x1p52
        let u = unsafeBitCast((h * 0x1p-32 + l * 0x1p-53) + 0x1p-54, to: SIMD8<UInt64>.self)
        // min(u, 1 − 2⁻⁵³): only u = 1 has exponent field 0x3FF, and 1 − 2⁻⁵³ is the double below it.
        return unsafeBitCast(u &- ((u &+ 0x0010_0000_0000_0000) &>> 62), to: SIMD8<Double>.self)
    }
}
