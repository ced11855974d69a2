// Philox4x32-10: the counter-based generator behind every random number in Ensemble.
//
// Reference: J. K. Salmon, M. A. Moraes, R. O. Dror, D. E. Shaw, "Parallel random numbers: as easy
// as 1, 2, 3", SC'11 (Random123). Being a pure function of (counter, key), it lets any rank compute
// the numbers for any (seed, purpose, replica, step, site) without communicating or replaying a
// sequence, which is what makes runs independent of the number of ranks (DESIGN.md).

/// The Philox4x32-10 block function: a keyed bijection of 128-bit counters, inlined into callers.
public enum Philox4x32: Sendable {
    /// Round multiplier for counter word 0 (Random123's PHILOX_M4x32_0).
    @inlinable public static var multiplier0: UInt32 { 0xD251_1F53 }
    /// Round multiplier for counter word 2 (Random123's PHILOX_M4x32_1).
    @inlinable public static var multiplier1: UInt32 { 0xCD9E_8D57 }
    /// Key increment between rounds for key word 0 (golden ratio, PHILOX_W32_0).
    @inlinable public static var weyl0: UInt32 { 0x9E37_79B9 }
    /// Key increment between rounds for key word 1 (√3 − 1, PHILOX_W32_1).
    @inlinable public static var weyl1: UInt32 { 0xBB67_AE85 }
    /// Number of rounds; ten is the variant Random123 recommends and that passes BigCrush with margin.
    @inlinable public static var rounds: Int { 10 }

    /// One Philox round: two 32×32→64 multiplies, the high halves mixed with the other words and key.
    @inlinable @inline(__always)
    public static func round(_ c: SIMD4<UInt32>, key k: SIMD2<UInt32>) -> SIMD4<UInt32> {
        let p0 = UInt64(c[0]) &* UInt64(multiplier0)
        let p1 = UInt64(c[2]) &* UInt64(multiplier1)
        return SIMD4(
            UInt32(truncatingIfNeeded: p1 >> 32) ^ c[1] ^ k[0],
            UInt32(truncatingIfNeeded: p1),
            UInt32(truncatingIfNeeded: p0 >> 32) ^ c[3] ^ k[1],
            UInt32(truncatingIfNeeded: p0))
    }

    /// The 128 random bits for `counter` under `key`; ten rounds with the key bumped between them.
    @inlinable @inline(__always)
    public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
        let bump = SIMD2<UInt32>(weyl0, weyl1)
        var c = counter
        var k = key
        c = round(c, key: k); k &+= bump
        c = round(c, key: k); k &+= bump
        c = round(c, key: k); k &+= bump
        c = round(c, key: k); k &+= bump
        c = round(c, key: k); k &+= bump
        c = round(c, key: k); k &+= bump
        c = round(c, key: k); k &+= bump
        c = round(c, key: k); k &+= bump
        c = round(c, key: k); k &+= bump
        c = round(c, key: k)
        return c
    }
}
