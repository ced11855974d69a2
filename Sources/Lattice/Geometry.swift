/// A periodic hypercubic lattice of any dimension: extents, row-major site numbering (the last axis
/// fastest), neighbours and the checkerboard colouring.
public struct Geometry: Sendable, Equatable, CustomStringConvertible {
    /// The number of sites along each axis.
    public let extents: [Int]
    /// Row-major strides: site index = Σ xᵢ·strides[i].
    public let strides: [Int]
    /// The number of sites.
    public let volume: Int

    public init(extents: [Int]) {
        precondition(!extents.isEmpty && extents.allSatisfy { $0 >= 2 }, "every extent must be at least 2")
        self.extents = extents
        var strides = [Int](repeating: 1, count: extents.count)
        for axis in stride(from: extents.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * extents[axis + 1] }
        self.strides = strides
        self.volume = extents.reduce(1, *)
    }

    /// The number of axes.
    public var dimension: Int { extents.count }

    /// Whether the sites split into two colours whose neighbours all have the other colour, which
    /// a periodic lattice allows only when every extent is even.
    public var hasCheckerboard: Bool { extents.allSatisfy { $0 % 2 == 0 } }

    /// The sites of one plane of axis 0 (the slab decomposition's unit).
    public var planeVolume: Int { volume / extents[0] }

    /// The coordinates of `site`.
    public func coordinates(of site: Int) -> [Int] {
        var rest = site
        return strides.map { s in defer { rest %= s }; return rest / s }
    }

    /// The site at `coordinates`, wrapped periodically.
    public func site(at coordinates: [Int]) -> Int {
        var index = 0
        for axis in extents.indices {
            let l = extents[axis]
            index += ((coordinates[axis] % l + l) % l) * strides[axis]
        }
        return index
    }

    /// The neighbour of `site` one step along `axis`, forward or backward, periodically.
    @inlinable
    public func neighbour(of site: Int, axis: Int, forward: Bool) -> Int {
        let s = strides[axis], l = extents[axis]
        let x = (site / s) % l
        if forward { return x == l - 1 ? site - (l - 1) * s : site + s }
        return x == 0 ? site + (l - 1) * s : site - s
    }

    /// The checkerboard colour (0 or 1) of `site`: the parity of its coordinate sum.
    public func colour(of site: Int) -> Int { coordinates(of: site).reduce(0, +) & 1 }

    /// A table of the 2·dimension neighbours of every site, for cluster algorithms: entry
    /// `2·dimension·site + 2·axis + (forward ? 0 : 1)`.
    public func neighbourTable() -> [Int32] {
        precondition(volume < Int(Int32.max), "lattice too large for 32-bit neighbour indices")
        var table = [Int32](repeating: 0, count: volume * 2 * dimension)
        for site in 0..<volume {
            for axis in 0..<dimension {
                table[2 * dimension * site + 2 * axis] = Int32(neighbour(of: site, axis: axis, forward: true))
                table[2 * dimension * site + 2 * axis + 1] = Int32(neighbour(of: site, axis: axis, forward: false))
            }
        }
        return table
    }

    public var description: String { extents.map(String.init).joined(separator: "×") }
}
