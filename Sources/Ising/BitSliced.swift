/// The bit-sliced arithmetic of the packed updates, 64 lanes to a word: neighbour counts and the
/// most-significant-bit-first comparison of random numbers with thresholds.
public enum BitSliced {
    /// Per lane, how many of the 4 (2D: n4, n5 ignored) or 6 (3D) bits are set, as bits (b₀, b₁, b₂)
    /// of a 3-bit number.
    @inline(__always)
    public static func count<B: WordBlock>(_ n0: B, _ n1: B, _ n2: B, _ n3: B, _ n4: B, _ n5: B,
                                           threeD: Bool) -> (B, B, B) {
        let (s1, c1) = fullAdd(n0, n1, n2)
        if !threeD {
            let s = s1 ^ n3, c2 = s1 & n3
            return (s, c1 ^ c2, c1 & c2)
        }
        let (s2, c2) = fullAdd(n3, n4, n5)
        let (twos, fours) = fullAdd(c1, c2, s1 & s2)
        return (s1 ^ s2, twos, fours)
    }

    /// The sum and carry of three one-bit numbers per lane.
    @inline(__always)
    static func fullAdd<B: WordBlock>(_ a: B, _ b: B, _ c: B) -> (B, B) {
        let t = a ^ b
        return (t ^ c, (a & b) | (t & c))
    }

    /// One bit of the comparison u < t in the lanes still `undecided`: `random` holds the
    /// complement of this bit of u, `threshold` this bit of t. A lane whose bits differ is decided
    /// here, and joins `accepted` when u's bit is the smaller; equal bits leave it undecided.
    @inline(__always)
    public static func compare<B: WordBlock>(random r: B, threshold p: B, undecided: inout B, accepted: inout B) {
        accepted = accepted | (undecided & r & p)
        undecided = undecided & (r ^ p)
    }
}
