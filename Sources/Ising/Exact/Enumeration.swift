import Foundation

/// The exact joint density of states g(E, M) of a small n × m periodic Ising lattice, counted over
/// all 2^{nm} states (the finite-lattice oracle used e.g. by Ferdinand & Fisher 1969 and by
/// Beale, Phys. Rev. Lett. 76, 78 (1996)). E = −Σ⟨ij⟩ sᵢsⱼ over the 2nm bonds (a side of
/// length 2 bonds each pair twice), M = Σ sᵢ; both are totals, not per site.
public struct Enumeration: Sendable, Equatable {
    /// One (E, M) level and how many states have it.
    public struct Level: Sendable, Equatable {
        /// Total energy E = −Σ⟨ij⟩ sᵢsⱼ.
        public let energy: Int
        /// Total magnetisation M = Σ sᵢ.
        public let magnetization: Int
        /// Number of states with this E and M.
        public let count: UInt64
    }

    /// Largest number of sites enumerated: 2²⁵ states (2²⁴ visited) take about 0.2 s in release, 4 s in debug.
    public static let maximumSites = 25

    /// Number of rows n.
    public let rows: Int
    /// Number of columns m.
    public let columns: Int
    /// The levels with g(E, M) > 0, by increasing E, then increasing M.
    public let levels: [Level]

    /// n·m.
    public var sites: Int { rows * columns }
    /// 2nm: each site's bond to its right and to its lower neighbour.
    public var bonds: Int { 2 * sites }

    /// Counts g(E, M) for every state of the rows × columns torus.
    ///
    /// - Precondition: rows, columns ≥ 2 and rows·columns ≤ `maximumSites`.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 2 && columns >= 2, "enumeration needs rows, columns ≥ 2 (got \(rows) × \(columns))")
        precondition(rows * columns <= Self.maximumSites,
                     "enumeration is limited to \(Self.maximumSites) sites (got \(rows) × \(columns))")
        self.rows = rows
        self.columns = columns
        let counts = Self.countUnsatisfiedBondsAndUpSpins(rows: rows, columns: columns)
        let n = rows * columns
        var levels = [Level]()
        for unsatisfied in 0...(2 * n) {
            for up in 0...n where counts[unsatisfied * (n + 1) + up] > 0 {
                levels.append(Level(energy: 2 * unsatisfied - 2 * n, magnetization: 2 * up - n,
                                    count: counts[unsatisfied * (n + 1) + up]))
            }
        }
        self.levels = levels
    }

    /// g(E, M): the number of states with total energy E and total magnetisation M (0 if none).
    public func count(energy: Int, magnetization: Int) -> UInt64 {
        levels.first { $0.energy == energy && $0.magnetization == magnetization }?.count ?? 0
    }

    /// g(E) = Σ_M g(E, M), by increasing E.
    public var energyDensityOfStates: [(energy: Int, count: UInt64)] {
        var result = [(energy: Int, count: UInt64)]()
        for level in levels {
            if let last = result.last, last.energy == level.energy {
                result[result.count - 1].count += level.count
            } else {
                result.append((level.energy, level.count))
            }
        }
        return result
    }

    /// counts[u·(n+1) + k] = number of states with u unsatisfied bonds and k up spins.
    ///
    /// A state is the bit pattern x (bit i·columns + j set ⇔ spin (i, j) up). Rotating x within
    /// each row and by one row gives every site's right and lower neighbour in the same bit, so a
    /// state's unsatisfied bonds are two popcounts of XORs: no per-site loop. Only states with the
    /// last spin down are visited; the spin-flipped partner has the same bonds and n − k up spins.
    private static func countUnsatisfiedBondsAndUpSpins(rows: Int, columns: Int) -> [UInt64] {
        let n = rows * columns
        let all: UInt64 = (1 << UInt64(n)) - 1
        var lastColumn: UInt64 = 0
        for i in 0..<rows { lastColumn |= 1 << UInt64(i * columns + columns - 1) }
        let otherColumns = all & ~lastColumn
        let rowShift = UInt64(columns)
        let wrapShift = UInt64(n - columns)
        let columnWrap = UInt64(columns - 1)
        let width = n + 1
        var counts = [UInt64](repeating: 0, count: (2 * n + 1) * width)
        counts.withUnsafeMutableBufferPointer { counts in
            for x in 0..<(UInt64(1) << UInt64(n - 1)) {
                let right = ((x >> 1) & otherColumns) | ((x << columnWrap) & lastColumn)
                let below = (x >> rowShift) | ((x << wrapShift) & all)
                let unsatisfied = (x ^ right).nonzeroBitCount + (x ^ below).nonzeroBitCount
                let up = x.nonzeroBitCount
                counts[unsatisfied * width + up] &+= 1
                counts[unsatisfied * width + n - up] &+= 1
            }
        }
        return counts
    }
}
