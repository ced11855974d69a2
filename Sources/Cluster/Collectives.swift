internal import CMPI

// Typed collectives. Buffer forms work on caller-owned memory (no copies); array and scalar forms
// are conveniences for small messages. Counts are checked against Int32 because MPI takes `int`.

@inline(__always)
func mpiCount(_ n: Int, _ call: String) throws(MPIError) -> Int32 {
    guard n <= Int(Int32.max) else { throw MPIError(code: MPI_ERR_COUNT, call: call) }
    return Int32(n)
}

extension Communicator {
    // MARK: broadcast

    /// Sends `buffer` on `root` to the same-sized buffer on every other rank. Collective.
    public func broadcast<T: MPIScalar>(_ buffer: UnsafeMutableBufferPointer<T>, from root: Rank = .root) throws(MPIError) {
        let n = try mpiCount(buffer.count, "MPI_Bcast")
        try check(MPI_Bcast(buffer.baseAddress, n, T.mpiDatatype, root.mpi, handle), "MPI_Bcast")
    }

    /// `root`'s value, on every rank. Collective.
    public func broadcast<T: MPIScalar>(_ value: T, from root: Rank = .root) throws(MPIError) -> T {
        var v = value
        try withUnsafeMutablePointer(to: &v) { (p) throws(MPIError) in
            try broadcast(UnsafeMutableBufferPointer(start: p, count: 1), from: root)
        }
        return v
    }

    /// `root`'s array, on every rank, whatever length the others passed. Collective.
    public func broadcast<T: MPIScalar & Numeric>(_ values: [T], from root: Rank = .root) throws(MPIError) -> [T] {
        let n = try broadcast(values.count, from: root)
        var out = rank == root ? values : [T](repeating: 0, count: n)
        try out.withUnsafeMutableBufferPointer { (b) throws(MPIError) in try broadcast(b, from: root) }
        return out
    }

    /// `root`'s string, on every rank. Collective.
    public func broadcast(_ string: String, from root: Rank = .root) throws(MPIError) -> String {
        let bytes = try broadcast(Array(string.utf8), from: root)
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: allreduce

    /// Reduces `buffer` element-wise over all ranks, in place, leaving the result on every rank. Collective.
    public func allreduce<T: MPIScalar>(_ buffer: UnsafeMutableBufferPointer<T>, _ operation: ReductionOperation) throws(MPIError) {
        let n = try mpiCount(buffer.count, "MPI_Allreduce")
        try check(MPI_Allreduce(cmpi_in_place(), buffer.baseAddress, n, T.mpiDatatype, operation.mpi, handle), "MPI_Allreduce")
    }

    /// Reduces `values` element-wise over all ranks, in place. Collective.
    public func allreduce<T: MPIScalar>(_ values: inout [T], _ operation: ReductionOperation) throws(MPIError) {
        try values.withUnsafeMutableBufferPointer { (b) throws(MPIError) in try allreduce(b, operation) }
    }

    /// The reduction of one value over all ranks, on every rank. Collective.
    public func allreduce<T: MPIScalar>(_ value: T, _ operation: ReductionOperation) throws(MPIError) -> T {
        var v = value
        try withUnsafeMutablePointer(to: &v) { (p) throws(MPIError) in
            try allreduce(UnsafeMutableBufferPointer(start: p, count: 1), operation)
        }
        return v
    }

    /// Whether `flag` holds on any rank. Collective.
    public func any(_ flag: Bool) throws(MPIError) -> Bool {
        try allreduce(Int32(flag ? 1 : 0), .max) != 0
    }

    /// Whether `flag` holds on every rank. Collective.
    public func all(_ flag: Bool) throws(MPIError) -> Bool {
        try allreduce(Int32(flag ? 1 : 0), .min) != 0
    }

    // MARK: exscan

    /// The sum of `value` over the ranks before this one (0 on rank 0): each rank's offset into a
    /// shared table. Collective.
    public func exclusivePrefixSum<T: MPIScalar & Numeric>(_ value: T) throws(MPIError) -> T {
        var send = value
        var result: T = 0
        try check(MPI_Exscan(&send, &result, 1, T.mpiDatatype, cmpi_sum(), handle), "MPI_Exscan")
        // MPI leaves rank 0's result undefined; zero is the sum over no ranks.
        return rank == .root ? 0 : result
    }

    // MARK: gather

    /// Every rank's `values` (all of the same length) concatenated in rank order on `root`; empty elsewhere. Collective.
    public func gather<T: MPIScalar & Numeric>(_ values: [T], to root: Rank = .root) throws(MPIError) -> [T] {
        let n = try mpiCount(values.count, "MPI_Gather")
        var out = [T](repeating: 0, count: rank == root ? values.count * size : 0)
        try values.withUnsafeBufferPointer { (s) throws(MPIError) in
            try out.withUnsafeMutableBufferPointer { (r) throws(MPIError) in
                try check(MPI_Gather(s.baseAddress, n, T.mpiDatatype, r.baseAddress, n, T.mpiDatatype, root.mpi, handle), "MPI_Gather")
            }
        }
        return out
    }

    /// Every rank's value in rank order on `root`; empty elsewhere. Collective.
    public func gather<T: MPIScalar & Numeric>(_ value: T, to root: Rank = .root) throws(MPIError) -> [T] {
        try gather([value], to: root)
    }

    /// Every rank's `values` (lengths may differ, zero included), one array per rank, on `root`;
    /// empty elsewhere. Collective.
    public func gatherVariable<T: MPIScalar & Numeric>(_ values: [T], to root: Rank = .root) throws(MPIError) -> [[T]] {
        let counts = try gather(Int32(try mpiCount(values.count, "MPI_Gatherv")), to: root)
        let displacements = counts.indices.map { i in Int32(counts[..<i].reduce(0, +)) }
        let total = counts.reduce(0) { $0 + Int($1) }
        var flat = [T](repeating: 0, count: rank == root ? total : 0)
        try values.withUnsafeBufferPointer { (s) throws(MPIError) in
            try flat.withUnsafeMutableBufferPointer { (r) throws(MPIError) in
                try check(MPI_Gatherv(s.baseAddress, Int32(values.count), T.mpiDatatype, r.baseAddress,
                                      counts, displacements, T.mpiDatatype, root.mpi, handle), "MPI_Gatherv")
            }
        }
        guard rank == root else { return [] }
        return counts.indices.map { i in Array(flat[Int(displacements[i])..<Int(displacements[i] + counts[i])]) }
    }

    /// Every rank's value, in rank order, on every rank. Collective.
    public func allgather<T: MPIScalar & Numeric>(_ value: T) throws(MPIError) -> [T] {
        var send = value
        var out = [T](repeating: 0, count: size)
        try out.withUnsafeMutableBufferPointer { (r) throws(MPIError) in
            try check(MPI_Allgather(&send, 1, T.mpiDatatype, r.baseAddress, 1, T.mpiDatatype, handle), "MPI_Allgather")
        }
        return out
    }

    /// Every rank's `values` (lengths may differ), one array per rank, on every rank. Collective.
    public func allgatherVariable<T: MPIScalar & Numeric>(_ values: [T]) throws(MPIError) -> [[T]] {
        let counts = try allgather(try mpiCount(values.count, "MPI_Allgatherv"))
        let displacements = counts.indices.map { i in Int32(counts[..<i].reduce(0, +)) }
        var flat = [T](repeating: 0, count: counts.reduce(0) { $0 + Int($1) })
        try values.withUnsafeBufferPointer { (s) throws(MPIError) in
            try flat.withUnsafeMutableBufferPointer { (r) throws(MPIError) in
                try check(MPI_Allgatherv(s.baseAddress, Int32(values.count), T.mpiDatatype, r.baseAddress,
                                         counts, displacements, T.mpiDatatype, handle), "MPI_Allgatherv")
            }
        }
        return counts.indices.map { i in Array(flat[Int(displacements[i])..<Int(displacements[i] + counts[i])]) }
    }

    /// Every rank's string, in rank order, on every rank (e.g. host names). Collective.
    public func allgather(_ string: String) throws(MPIError) -> [String] {
        try allgatherVariable(Array(string.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }
}
