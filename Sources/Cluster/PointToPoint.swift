internal import CMPI

/// A non-blocking operation in flight. The buffers it was started with must stay alive and
/// untouched until `wait()` returns; that is the caller's promise, as in MPI.
public struct Request: ~Copyable {
    private var handle: MPI_Request?
    private let call: String

    init(handle: MPI_Request?, call: String) {
        self.handle = handle
        self.call = call
    }

    /// Blocks until the operation has completed.
    public consuming func wait() throws(MPIError) {
        try check(MPI_Wait(&handle, cmpi_status_ignore()), "MPI_Wait(\(call))")
    }

    /// Whether the operation has completed; when it has, the request is spent (a later `wait()`
    /// returns at once). Either way it lets MPI move the operation along.
    public mutating func test() throws(MPIError) -> Bool {
        var done: Int32 = 0
        try check(MPI_Test(&handle, &done, cmpi_status_ignore()), "MPI_Test(\(call))")
        return done != 0
    }
}

extension Communicator {
    /// Sends `send` to `destination` while receiving `receive` from `source`, without deadlock:
    /// the halo-exchange primitive. Either peer may be nil (nothing sent or received on that side).
    public func sendReceive<T: MPIScalar>(_ send: UnsafeBufferPointer<T>, to destination: Rank?,
                                          _ receive: UnsafeMutableBufferPointer<T>, from source: Rank?,
                                          tag: Tag = Tag(0)) throws(MPIError) {
        let ns = try mpiCount(send.count, "MPI_Sendrecv"), nr = try mpiCount(receive.count, "MPI_Sendrecv")
        try check(MPI_Sendrecv(send.baseAddress, ns, T.mpiDatatype, destination?.mpi ?? cmpi_proc_null(), tag.value,
                               receive.baseAddress, nr, T.mpiDatatype, source?.mpi ?? cmpi_proc_null(), tag.value,
                               handle, cmpi_status_ignore()), "MPI_Sendrecv")
    }

    /// Sends `buffer` to `destination` (blocking).
    public func send<T: MPIScalar>(_ buffer: UnsafeBufferPointer<T>, to destination: Rank, tag: Tag = Tag(0)) throws(MPIError) {
        try check(MPI_Send(buffer.baseAddress, try mpiCount(buffer.count, "MPI_Send"), T.mpiDatatype,
                           destination.mpi, tag.value, handle), "MPI_Send")
    }

    /// Receives exactly `buffer.count` elements from `source` (blocking).
    public func receive<T: MPIScalar>(_ buffer: UnsafeMutableBufferPointer<T>, from source: Rank, tag: Tag = Tag(0)) throws(MPIError) {
        try check(MPI_Recv(buffer.baseAddress, try mpiCount(buffer.count, "MPI_Recv"), T.mpiDatatype,
                           source.mpi, tag.value, handle, cmpi_status_ignore()), "MPI_Recv")
    }

    /// Starts sending `buffer` to `destination`; the buffer must outlive the returned request.
    public func startSend<T: MPIScalar>(_ buffer: UnsafeBufferPointer<T>, to destination: Rank, tag: Tag = Tag(0)) throws(MPIError) -> Request {
        var request: MPI_Request? = nil
        try check(MPI_Isend(buffer.baseAddress, try mpiCount(buffer.count, "MPI_Isend"), T.mpiDatatype,
                            destination.mpi, tag.value, handle, &request), "MPI_Isend")
        return Request(handle: request, call: "MPI_Isend")
    }

    /// Starts receiving into `buffer` from `source`; the buffer must outlive the returned request.
    public func startReceive<T: MPIScalar>(_ buffer: UnsafeMutableBufferPointer<T>, from source: Rank, tag: Tag = Tag(0)) throws(MPIError) -> Request {
        var request: MPI_Request? = nil
        try check(MPI_Irecv(buffer.baseAddress, try mpiCount(buffer.count, "MPI_Irecv"), T.mpiDatatype,
                            source.mpi, tag.value, handle, &request), "MPI_Irecv")
        return Request(handle: request, call: "MPI_Irecv")
    }

    /// Starts an in-place allreduce of `buffer`, so that computation can overlap it (e.g. gradient
    /// averaging layer by layer). Collective; the buffer must outlive the returned request.
    public func startAllreduce<T: MPIScalar>(_ buffer: UnsafeMutableBufferPointer<T>, _ operation: ReductionOperation) throws(MPIError) -> Request {
        var request: MPI_Request? = nil
        try check(MPI_Iallreduce(cmpi_in_place(), buffer.baseAddress, try mpiCount(buffer.count, "MPI_Iallreduce"),
                                 T.mpiDatatype, operation.mpi, handle, &request), "MPI_Iallreduce")
        return Request(handle: request, call: "MPI_Iallreduce")
    }
}

extension Request {
    /// Gives up ownership of the MPI handle, for a `RequestList`.
    consuming func detach() -> MPI_Request? { handle }
}

/// Non-blocking operations in flight, completed together (e.g. the gradient buckets of one step).
/// Every buffer behind them must stay alive and untouched until `waitAll()` returns.
public struct RequestList: ~Copyable {
    private var handles: [MPI_Request?] = []

    /// An empty list.
    public init() {}

    /// How many operations are in flight.
    public var count: Int { handles.count }

    /// Adds an operation started elsewhere.
    public mutating func append(_ request: consuming Request) {
        handles.append(request.detach())
    }

    /// Blocks until every operation has completed, and empties the list.
    public mutating func waitAll() throws(MPIError) {
        guard !handles.isEmpty else { return }
        let n = try mpiCount(handles.count, "MPI_Waitall")
        try check(MPI_Waitall(n, &handles, cmpi_statuses_ignore()), "MPI_Waitall")
        handles.removeAll(keepingCapacity: true)
    }
}

extension Communicator {
    /// Every rank's `send` (all of the same length), concatenated in rank order into `receive` on
    /// every rank; `receive` holds `size × send.count` elements. Collective.
    public func allgather<T: MPIScalar>(_ send: UnsafeBufferPointer<T>, into receive: UnsafeMutableBufferPointer<T>) throws(MPIError) {
        precondition(receive.count == send.count * size,
                     "allgather: receive holds \(receive.count) elements, expected \(send.count) × \(size) ranks")
        let n = try mpiCount(send.count, "MPI_Allgather")
        try check(MPI_Allgather(send.baseAddress, n, T.mpiDatatype, receive.baseAddress, n, T.mpiDatatype, handle),
                  "MPI_Allgather")
    }
}
