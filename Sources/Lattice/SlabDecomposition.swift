import Cluster

/// One lattice split over ranks into slabs of whole planes along axis 0, in rank order, as even as
/// possible. Grid-style: the geometry knows nothing of ranks, and only `HaloField` exchanges planes.
public struct SlabDecomposition: Sendable, Equatable {
    /// The whole lattice.
    public let geometry: Geometry
    /// The number of ranks sharing it.
    public let parts: Int

    /// Nil when some rank would get no plane.
    public init?(geometry: Geometry, parts: Int) {
        guard parts >= 1, parts <= geometry.extents[0] else { return nil }
        self.geometry = geometry
        self.parts = parts
    }

    /// The planes of axis 0 that part `index` owns.
    public func planes(of index: Int) -> Range<Int> {
        evenShare(of: geometry.extents[0], part: index, parts: parts)
    }

    /// The global sites part `index` owns: a contiguous range in row-major order.
    public func sites(of index: Int) -> Range<Int> {
        let p = planes(of: index)
        return (p.lowerBound * geometry.planeVolume)..<(p.upperBound * geometry.planeVolume)
    }
}
