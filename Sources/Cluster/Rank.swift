/// A process's index in a communicator: not an `Int32`, so a rank cannot be mixed up with a count or a tag.
public struct Rank: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The zero-based index.
    public let index: Int

    public init(_ index: Int) {
        precondition(index >= 0, "a rank is never negative")
        self.index = index
    }

    /// The root of collectives by convention: rank 0 writes summaries and renames files.
    public static let root = Rank(0)

    var mpi: Int32 { Int32(index) }

    public static func < (a: Rank, b: Rank) -> Bool { a.index < b.index }
    public var description: String { "rank \(index)" }
}

/// A message tag for point-to-point calls.
public struct Tag: Hashable, Sendable {
    public let value: Int32
    public init(_ value: Int32) {
        precondition(value >= 0, "MPI tags are non-negative")
        self.value = value
    }
}
