import Cluster
import Numerics

/// One rank's slab of a field on the lattice, with a halo plane on each side that mirrors the
/// neighbouring ranks' boundary planes. Local plane 0 is the lower halo, planes 1…P are owned,
/// plane P+1 is the upper halo; storage is contiguous and stays put, so non-blocking exchanges can
/// read and write it directly.
public final class HaloField<Element: MPIScalar> {
    /// The decomposition this slab belongs to.
    public let decomposition: SlabDecomposition
    /// Which part (rank) of the decomposition this slab is.
    public let part: Int
    /// The owned planes, as global plane indices.
    public let planes: Range<Int>
    /// Elements per plane: the plane's sites, unless the field packs several sites per element.
    public let planeVolume: Int
    /// Halo, owned planes, halo: (P + 2)·planeVolume elements.
    public let storage: UnsafeMutableBufferPointer<Element>

    /// One element per site.
    public convenience init(decomposition: SlabDecomposition, part: Int, initial: Element) {
        self.init(decomposition: decomposition, part: part, elementsPerPlane: decomposition.geometry.planeVolume, initial: initial)
    }

    /// `elementsPerPlane` elements per plane, laid out as the caller chooses (e.g. packed spins).
    public init(decomposition: SlabDecomposition, part: Int, elementsPerPlane: Int, initial: Element) {
        precondition(elementsPerPlane > 0)
        self.decomposition = decomposition
        self.part = part
        self.planes = decomposition.planes(of: part)
        self.planeVolume = elementsPerPlane
        // Cache-line aligned: with planes of a multiple of eight doubles, every plane and row of
        // the vector kernels starts on a line.
        self.storage = .allocateAligned(capacity: (planes.count + 2) * planeVolume)
        storage.initialize(repeating: initial)
    }

    deinit { storage.deallocateAligned() }

    /// The owned elements (without halos); for one element per site, in global row-major order.
    public var owned: UnsafeMutableBufferPointer<Element> {
        UnsafeMutableBufferPointer(rebasing: storage[planeVolume..<((planes.count + 1) * planeVolume)])
    }

    /// The storage index of global site `site`, which must be owned.
    @inlinable
    public func localIndex(ofGlobal site: Int) -> Int { site - planes.lowerBound * planeVolume + planeVolume }

    /// Fills both halos from the neighbouring slabs. Collective over the decomposition's ranks.
    public func exchangeHalos(_ communicator: Communicator) throws(MPIError) {
        try startExchange(communicator).finish()
    }

    /// Starts filling the halos; owned planes may be read meanwhile, and the boundary planes must
    /// not change until `finish()`. Collective over the decomposition's ranks.
    public func startExchange(_ communicator: Communicator) throws(MPIError) -> HaloExchange {
        let p = planes.count, v = planeVolume, base = storage.baseAddress!
        let lowerHalo = UnsafeMutableBufferPointer(start: base, count: v)
        let first = UnsafeBufferPointer(start: base + v, count: v)
        let last = UnsafeBufferPointer(start: base + p * v, count: v)
        let upperHalo = UnsafeMutableBufferPointer(start: base + (p + 1) * v, count: v)
        if decomposition.parts == 1 {
            // The lattice wraps onto itself. Raw copies: this generic class is not specialised for
            // its callers, and typed copies looked up Element's metadata on every call.
            let bytes = v * MemoryLayout<Element>.stride
            UnsafeMutableRawPointer(lowerHalo.baseAddress!).copyMemory(from: last.baseAddress!, byteCount: bytes)
            UnsafeMutableRawPointer(upperHalo.baseAddress!).copyMemory(from: first.baseAddress!, byteCount: bytes)
            return HaloExchange(nil)
        }
        let n = decomposition.parts
        let lower = Rank((part + n - 1) % n), upper = Rank((part + 1) % n)
        let goingUp = Tag(0), goingDown = Tag(1)
        return HaloExchange(HaloExchange.Requests(
            receiveLower: try communicator.startReceive(lowerHalo, from: lower, tag: goingUp),
            receiveUpper: try communicator.startReceive(upperHalo, from: upper, tag: goingDown),
            sendFirst: try communicator.startSend(first, to: lower, tag: goingDown),
            sendLast: try communicator.startSend(last, to: upper, tag: goingUp)))
    }
}

/// A halo exchange in flight: `finish()` waits for all four messages.
public struct HaloExchange: ~Copyable {
    struct Requests: ~Copyable {
        var receiveLower: Request
        var receiveUpper: Request
        var sendFirst: Request
        var sendLast: Request
    }
    private var requests: Requests?

    init(_ requests: consuming Requests?) { self.requests = requests }

    /// Lets MPI move the messages along while the caller computes: a plane above the transport's
    /// eager limit (4 KB in Open MPI's shared-memory transport) travels only inside MPI calls, so
    /// without these it would all wait for `finish()`.
    public mutating func progress() throws(MPIError) {
        guard var r = requests.take() else { return }
        _ = try r.receiveLower.test()
        _ = try r.receiveUpper.test()
        _ = try r.sendFirst.test()
        _ = try r.sendLast.test()
        requests = consume r
    }

    /// Waits until both halos are filled and both boundary planes sent.
    public consuming func finish() throws(MPIError) {
        guard let r = requests.take() else { return }
        try r.receiveLower.wait()
        try r.receiveUpper.wait()
        try r.sendFirst.wait()
        try r.sendLast.wait()
    }
}
