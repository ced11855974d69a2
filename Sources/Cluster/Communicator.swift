package import CMPI

/// A group of ranks that talk to each other: MPI's communicator, with errors returned as throws.
///
/// Every collective method says so and must be called by all ranks of the communicator in the same
/// order. Communicators made by `duplicate()` or `split` are released with `free()`, not in `deinit`,
/// because the order of deinitialisation is not the same on every rank.
public final class Communicator {
    /// The underlying `MPI_Comm`: for the Store layer's MPI-IO driver inside this package, nothing else.
    package let handle: MPI_Comm
    private let owned: Bool

    init(borrowing handle: MPI_Comm) {
        self.handle = handle
        self.owned = false
    }

    init(owning handle: MPI_Comm) throws(MPIError) {
        self.handle = handle
        self.owned = true
        try check(MPI_Comm_set_errhandler(handle, cmpi_errors_return()), "MPI_Comm_set_errhandler")
    }

    /// The communicator of all processes of the job; initialises MPI if needed.
    public static func world() throws(MPIError) -> Communicator { try MPIEnvironment.initialize() }

    /// This process's rank.
    public var rank: Rank {
        var r: Int32 = 0
        MPI_Comm_rank(handle, &r)
        return Rank(Int(r))
    }

    /// The number of ranks.
    public var size: Int {
        var s: Int32 = 0
        MPI_Comm_size(handle, &s)
        return Int(s)
    }

    /// Whether this process is rank 0, the one that prints and renames.
    public var isRoot: Bool { rank == .root }

    /// All ranks, in order.
    public var ranks: [Rank] { (0..<size).map(Rank.init) }

    /// A new communicator over the same ranks, for a library that must not see this one's messages. Collective.
    public func duplicate() throws(MPIError) -> Communicator {
        var new: MPI_Comm? = nil
        try check(MPI_Comm_dup(handle, &new), "MPI_Comm_dup")
        return try Communicator(owning: new!)
    }

    /// Splits into one communicator per `color`, ranked by `key` then old rank. Collective.
    /// Returns nil for ranks that pass a nil color (MPI_UNDEFINED).
    public func split(color: Int?, key: Int = 0) throws(MPIError) -> Communicator? {
        var new: MPI_Comm? = nil
        let c = color.map { Int32($0) } ?? cmpi_undefined()
        try check(MPI_Comm_split(handle, c, Int32(key), &new), "MPI_Comm_split")
        guard let new, new != cmpi_comm_null() else { return nil }
        return try Communicator(owning: new)
    }

    /// Releases a communicator made by `duplicate` or `split`. Collective.
    public func free() throws(MPIError) {
        guard owned else { return }
        var h: MPI_Comm? = handle
        try check(MPI_Comm_free(&h), "MPI_Comm_free")
    }

    /// Waits until every rank has arrived. Collective.
    public func barrier() throws(MPIError) {
        try check(MPI_Barrier(handle), "MPI_Barrier")
    }

    /// Stops every rank of the job with `code`; for errors after which ranks cannot agree any more.
    public func abort(code: Int32) -> Never {
        MPI_Abort(handle, code)
        fatalError("MPI_Abort returned")
    }
}
