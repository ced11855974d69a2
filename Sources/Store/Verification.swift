internal import CHDF5

/// The part of a dataset a run has written so far: the elements whose index along `axis` lies in
/// the first `count` of each block of `period` (a series written up to measurement `count` has
/// period = the axis length; samples saved chain-major have period = samples per chain).
public struct StoredRegion: Sendable, Equatable, CustomStringConvertible {
    public let axis: Int
    public let period: Int
    public let count: Int

    public init(axis: Int, period: Int, count: Int) {
        precondition(axis >= 0 && period >= 1 && count >= 0 && count <= period, "invalid region")
        self.axis = axis
        self.period = period
        self.count = count
    }

    /// Whether the index `j` along the axis is inside.
    public func contains(_ j: Int) -> Bool { j % period < count }

    public var description: String { "axis \(axis), first \(count) of every \(period)" }
}

extension Dataset {
    /// The element size in bytes as stored.
    func storedElementSize() throws(StoreError) -> Int {
        let type = try check(H5Dget_type(id), "H5Dget_type(\(name))")
        defer { H5Tclose(type) }
        return H5Tget_size(type)
    }

    /// The checksum of the stored bytes of `region` (all of the dataset when nil), tied to `key`:
    /// the file is read back in slabs of at most `budgetBytes`, dealt to the ranks in turn, and the
    /// sums added over the ranks, so the value is the one `ContentChecksum.block` gives for the same
    /// values written by any decomposition. Collective in a parallel file.
    public func checksum(of region: StoredRegion? = nil, key: UInt64, budgetBytes: Int = 64 << 20) throws(StoreError) -> ContentChecksum {
        let shape = try shape()
        guard shape.reduce(1, *) > 0 else { return .zero }
        let type = try file.collectively(writing: false) { () throws(StoreError) in try check(H5Dget_type(id), "H5Dget_type(\(name))") }
        defer { H5Tclose(type) }
        let size = H5Tget_size(type)
        let slabs = Slabs(shape: shape, region: region, budget: max(1, budgetBytes / max(1, size)))
        let communicator = file.communicator
        let ranks = communicator?.size ?? 1, rank = communicator?.rank.index ?? 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, slabs.largest * size), alignment: 16)
        defer { buffer.deallocate() }
        var sum = ContentChecksum.zero
        let rounds = (slabs.count + ranks - 1) / ranks
        for round in 0..<rounds {
            let j = round * ranks + rank
            let (offset, count) = j < slabs.count ? slabs.slab(j) : (shape.map { _ in 0 }, shape.map { _ in 0 })
            let n = count.reduce(1, *)
            try transfer(writing: false, memoryType: type, elementCount: n, buffer: buffer.baseAddress, offset: offset, count: count)
            if n > 0 {
                sum += ContentChecksum.block(UnsafeRawBufferPointer(rebasing: buffer[0..<(n * size)]), elementSize: size,
                                             shape: shape, offset: offset, count: count, key: key)
            }
        }
        guard let communicator, communicator.size > 1 else { return sum }
        do {
            return ContentChecksum(try communicator.allreduce(sum.value, .sum))
        } catch {
            throw StoreError.mpi("summing checksums: \(error)")
        }
    }
}

/// A region cut into hyperslabs small enough to read at once, and numerous enough to deal to the
/// ranks: the axes before a `split` axis take one index per slab, the split axis is cut into pieces
/// that fit the budget with everything after it, and the region's axis, when after the split, adds
/// its runs.
struct Slabs {
    let shape: [Int]
    let axis: Int
    /// Runs (start, length) along `axis`.
    let runs: [(Int, Int)]
    let split: Int
    /// The indices each axis before `split` takes: every index, or the region's along its axis.
    let indices: [[Int]]
    /// The pieces (start, length) of the split axis.
    let pieces: [(Int, Int)]
    let count: Int
    let largest: Int

    init(shape: [Int], region: StoredRegion?, budget: Int) {
        self.shape = shape
        let axis = region?.axis ?? 0, period = region?.period ?? max(1, shape[0]), length = region?.count ?? max(1, shape[0])
        self.axis = axis
        var runs: [(Int, Int)] = []
        for start in stride(from: 0, to: shape[axis], by: period) where min(length, shape[axis] - start) > 0 {
            runs.append((start, min(length, shape[axis] - start)))
        }
        self.runs = runs
        let longest = runs.map(\.1).max() ?? 0
        // Elements of one index of `axis` d with everything after it.
        func after(_ d: Int) -> Int { ((d + 1)..<shape.count).reduce(1) { $0 * ($1 == axis ? longest : shape[$1]) } }
        var split = 0
        while split < shape.count - 1 && after(split) * (split == axis ? longest : shape[split]) > budget { split += 1 }
        self.split = split
        indices = (0..<split).map { d in d == axis ? runs.flatMap { Array($0.0..<($0.0 + $0.1)) } : Array(0..<shape[d]) }
        let step = max(1, budget / max(1, after(split)))
        let spans = split == axis ? runs : [(0, shape[split])]
        pieces = spans.flatMap { span in stride(from: span.0, to: span.0 + span.1, by: step).map { ($0, min(step, span.0 + span.1 - $0)) } }
        count = runs.isEmpty ? 0 : indices.reduce(1) { $0 * $1.count } * pieces.count * (axis > split ? runs.count : 1)
        largest = min(step, pieces.map(\.1).max() ?? 0) * after(split)
    }

    /// The offset and count of slab `j`: the region's runs vary fastest, then the pieces, then the
    /// indices of the leading axes.
    func slab(_ j: Int) -> ([Int], [Int]) {
        var offset = [Int](repeating: 0, count: shape.count), count = shape
        var rest = j
        if axis > split {
            let run = runs[rest % runs.count]
            rest /= runs.count
            offset[axis] = run.0
            count[axis] = run.1
        }
        let piece = pieces[rest % pieces.count]
        rest /= pieces.count
        offset[split] = piece.0
        count[split] = piece.1
        for d in stride(from: split - 1, through: 0, by: -1) {
            offset[d] = indices[d][rest % indices[d].count]
            count[d] = 1
            rest /= indices[d].count
        }
        return (offset, count)
    }
}
