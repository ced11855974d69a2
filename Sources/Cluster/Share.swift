/// The contiguous block of `total` items that part `part` of `parts` owns, in part order: sizes
/// differ by at most one, the earlier parts taking the extra items. The one rule by which replicas,
/// chains, lattice planes and benchmark data are spread over ranks.
public func evenShare(of total: Int, part: Int, parts: Int) -> Range<Int> {
    precondition(parts >= 1 && part >= 0 && part < parts && total >= 0)
    let base = total / parts, extra = total % parts
    let start = part * base + min(part, extra)
    return start..<(start + base + (part < extra ? 1 : 0))
}

extension Communicator {
    /// This rank's block of `total` items under `evenShare`.
    public func share(of total: Int) -> Range<Int> { evenShare(of: total, part: rank.index, parts: size) }
}
