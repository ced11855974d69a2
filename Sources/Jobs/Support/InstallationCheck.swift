import Cluster
import Foundation
import Store

/// `ensemble check`: the runtime's collective operations exercised across the ranks, with
/// results known in advance, and a file that h5py and h5dump can check afterwards. Run it once on a
/// new cluster install; the multi-rank tests run it under mpirun with 1, 2 and 4 ranks.
public enum InstallationCheck {
    /// One verified property.
    public struct Result: Sendable {
        /// What was checked, e.g. "gather in rank order".
        public let name: String
        /// Whether it held on every rank.
        public let passed: Bool
        /// The values seen or expected, for the report.
        public let detail: String
    }

    /// The 3-D dataset's extent; axis 0 is split over the ranks (some ranks may get none).
    public static let cube = [6, 5, 4]

    /// The value every element of the cube must hold, so readers can check it independently.
    public static func cubeValue(_ i: Int, _ j: Int, _ k: Int) -> Double { Double(i * 100 + j * 10 + k) + 0.5 }

    /// Rows rank r appends to the table: 2r + 1 rows, except rank 1, which appends none.
    public static func tableRows(rank: Int) -> Int { rank == 1 ? 0 : 2 * rank + 1 }

    /// Runs every check and writes `path` (a new file, refused if it exists). Collective.
    public static func run(writing path: String, communicator: Communicator) throws -> [Result] {
        let rank = communicator.rank.index, size = communicator.size
        var results: [Result] = []
        func record(_ name: String, _ passed: Bool, _ detail: String) throws {
            // A check passes only if it passed on every rank.
            results.append(Result(name: name, passed: try communicator.all(passed), detail: detail))
        }

        let x = 3.0
        let sum = try communicator.allreduce(Double(rank + 1) * x, .sum)
        let exact = Double(size * (size + 1) / 2) * x
        try record("allreduce sum of doubles is exact", sum == exact, "\(sum) = N(N+1)/2·x = \(exact)")
        var vector = (0..<1000).map { Int64($0 * (rank + 1)) }
        try communicator.allreduce(&vector, .sum)
        try record("allreduce of Int64 vectors", vector.enumerated().allSatisfy { $0.element == Int64($0.offset * size * (size + 1) / 2) },
                   "1000 elements")
        try record("allreduce min/max", try communicator.allreduce(Int32(rank), .max) == Int32(size - 1)
                   && communicator.allreduce(Float(rank), .min) == 0, "max rank \(size - 1), min 0")

        let gathered = try communicator.gather(Int64(rank * 7))
        try record("gather in rank order", !communicator.isRoot || gathered == (0..<size).map { Int64($0 * 7) }, "\(gathered)")
        let everywhere = try communicator.allgatherVariable([UInt64](repeating: UInt64(rank), count: rank))
        try record("allgatherv with unequal counts", everywhere.enumerated().allSatisfy { $0.element == [UInt64](repeating: UInt64($0.offset), count: $0.offset) },
                   "rank r sends r values")
        let offset = try communicator.exclusivePrefixSum(Int64(rank + 1))
        try record("exscan offsets", offset == Int64(rank * (rank + 1) / 2), "rank \(rank): \(offset)")
        let word = try communicator.broadcast(communicator.isRoot ? "φ⁴ from rank 0" : "")
        try record("broadcast of a string", word == "φ⁴ from rank 0", word)

        var right = [Double](repeating: -1, count: 3)
        let mine = [Double](repeating: Double(rank), count: 3)
        try mine.withUnsafeBufferPointer { s in
            try right.withUnsafeMutableBufferPointer { r in
                try communicator.sendReceive(s, to: Rank((rank + 1) % size), r, from: Rank((rank + size - 1) % size))
            }
        }
        try record("sendrecv around a ring", right == [Double](repeating: Double((rank + size - 1) % size), count: 3), "\(right)")
        var pending = [Double](repeating: Double(rank), count: 4)
        try pending.withUnsafeMutableBufferPointer { b in try communicator.startAllreduce(b, .sum).wait() }
        try record("non-blocking allreduce", pending == [Double](repeating: Double(size * (size - 1) / 2), count: 4), "\(pending)")

        let file = try File.createRun(at: path, communicator: communicator, replacing: false)
        let root = try file.root()
        try root.setAttribute("schema", Provenance.schema)
        try root.setAttribute("kind", "check")
        try root.setAttribute("ranks", Int64(size))
        let slab = communicator.share(of: cube[0]), start = slab.lowerBound, planes = slab.count
        var block: [Double] = []
        for i in slab { for j in 0..<cube[1] { for k in 0..<cube[2] { block.append(cubeValue(i, j, k)) } } }
        let dataset = try root.createDataset("cube", of: Double.self, shape: cube)
        try dataset.write(block, at: [start, 0, 0], count: [planes, cube[1], cube[2]])
        try record("collective write of a 3-D dataset", dataset.lastTransfer.isCollective || size == 1 && dataset.lastTransfer != .serial,
                   "HDF5 reports \(dataset.lastTransfer)")
        let back = try dataset.readAll(Double.self)
        try record("collective read back", back.count == cube.reduce(1, *) && back.enumerated().allSatisfy { n, v in
            v == cubeValue(n / (cube[1] * cube[2]), (n / cube[2]) % cube[1], n % cube[2]) }, "\(back.count) values")
        let spins = try root.createDataset("spins", of: Int8.self, shape: [size, 8], chunk: [1, 8], deflateLevel: 4)
        try spins.write([Int8](repeating: rank % 2 == 0 ? 1 : -1, count: 8), at: [rank, 0], count: [1, 8])
        try record("collective write of a compressed int8 dataset", spins.lastTransfer != .serial, "HDF5 reports \(spins.lastTransfer)")

        let table = try Table.create("table", in: root, columns: [Column("rank", .integer), Column("index", .integer), Column("value", .real)])
        let rows = tableRows(of: rank)
        try table.append(rows)
        try table.append(rows)
        let stored = try table.rows()
        var once: [[Cell]] = []
        for r in 0..<size { once += tableRows(of: r) }
        try record("table appended in rank order, a rank with no rows joining", stored == once + once, "\(stored.count) rows")
        try root.setAttribute("completed", true)
        try file.commit()
        return results
    }

    /// The rows rank r appends: (rank, index, rank + index/10).
    public static func tableRows(of rank: Int) -> [[Cell]] {
        (0..<tableRows(rank: rank)).map { i in [Cell.integer(Int64(rank)), Cell.integer(Int64(i)), Cell.real(Double(rank) + Double(i) / 10)] }
    }
}
