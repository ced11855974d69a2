internal import CHDF5

/// How HDF5 actually moved the data of the last transfer (`H5Pget_mpio_actual_io_mode`): the proof
/// that a collective write was collective.
public enum TransferMode: Sendable, Equatable {
    case serial, independent, chunkIndependent, chunkCollective, chunkMixed, contiguousCollective

    /// Whether MPI-IO collective calls carried the data.
    public var isCollective: Bool { self == .chunkCollective || self == .contiguousCollective || self == .chunkMixed }
}

/// An n-dimensional array in a file. Each rank reads or writes its own block; all ranks join every
/// transfer, a rank with nothing to move passing an empty block.
public final class Dataset: AttributeHolder {
    /// The dataset's name within its group.
    public let name: String
    /// How the last read or write was carried out.
    public private(set) var lastTransfer: TransferMode = .serial

    init(id: hid_t, name: String, file: File) {
        self.name = name
        super.init(id: id, file: file)
    }

    /// The current extent of each axis.
    public func shape() throws(StoreError) -> [Int] {
        let space = try check(H5Dget_space(id), "H5Dget_space(\(name))")
        defer { H5Sclose(space) }
        let rank = try check(H5Sget_simple_extent_ndims(space), "H5Sget_simple_extent_ndims")
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        try check(H5Sget_simple_extent_dims(space, &dims, nil), "H5Sget_simple_extent_dims")
        return dims.map { Int($0) }
    }

    /// The stored element type.
    public func storedType() throws(StoreError) -> StoredType {
        let type = try check(H5Dget_type(id), "H5Dget_type(\(name))")
        defer { H5Tclose(type) }
        return StoredType(type: type)
    }

    /// Grows (or shrinks) an extendible dataset to `shape`. Collective: every rank passes the same shape.
    public func extend(to shape: [Int]) throws(StoreError) {
        try file.collectively(writing: true) { () throws(StoreError) in try check(H5Dset_extent(id, shape.map { hsize_t($0) }), "H5Dset_extent(\(name))") }
    }

    /// Writes this rank's block `values` (row-major, `count` elements along each axis) at `offset`.
    /// Collective: every rank calls it, a rank with nothing to write passing an empty buffer and a
    /// `count` with a zero.
    public func write<Element: StorableScalar>(_ values: UnsafeBufferPointer<Element>, at offset: [Int], count: [Int]) throws(StoreError) {
        try transfer(writing: true, memoryType: Element.memoryType, elementCount: values.count,
                     buffer: UnsafeMutableRawPointer(mutating: values.baseAddress), offset: offset, count: count)
    }

    /// Writes an array block; see the buffer form. Collective.
    public func write<Element: StorableScalar>(_ values: [Element], at offset: [Int], count: [Int]) throws(StoreError) {
        try values.withUnsafeBufferPointer { (b) throws(StoreError) in try write(b, at: offset, count: count) }
    }

    /// Writes the whole dataset from rank 0's `values`; the other ranks join with empty blocks. Collective.
    public func writeFromRoot<Element: StorableScalar>(_ values: [Element]) throws(StoreError) {
        let shape = try shape()
        // An empty dataset has no storage to write to (MPI-IO fails on the attempt); all ranks agree.
        guard shape.reduce(1, *) > 0 else { return }
        let isRoot = file.communicator?.isRoot ?? true
        try write(isRoot ? values : [], at: shape.map { _ in 0 }, count: isRoot ? shape : shape.map { _ in 0 })
    }

    /// Reads the block of `count` elements at `offset` into `values`. Collective in a parallel file.
    public func read<Element: StorableScalar>(into values: UnsafeMutableBufferPointer<Element>, at offset: [Int], count: [Int]) throws(StoreError) {
        try transfer(writing: false, memoryType: Element.memoryType, elementCount: values.count,
                     buffer: UnsafeMutableRawPointer(values.baseAddress), offset: offset, count: count)
    }

    /// Writes this rank's block of strings into a fixed-length string dataset; each must fit the
    /// dataset's length in UTF-8 bytes. Collective, like every write.
    public func write(strings values: [String], at offset: [Int], count: [Int]) throws(StoreError) {
        let type = try check(H5Dget_type(id), "H5Dget_type(\(name))")
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_STRING, H5Tis_variable_str(type) <= 0 else {
            throw StoreError.mismatch("dataset \(name) does not hold fixed-length strings")
        }
        let length = H5Tget_size(type)
        var bytes = [UInt8](repeating: 0, count: max(1, values.count * length))
        for (i, value) in values.enumerated() {
            let utf8 = Array(value.utf8)
            guard utf8.count <= length else {
                throw StoreError.mismatch("dataset \(name): \"\(value)\" is longer than its \(length) bytes")
            }
            bytes.replaceSubrange(i * length..<(i * length + utf8.count), with: utf8)
        }
        let memoryType = try fixedStringType(length: length)
        defer { H5Tclose(memoryType) }
        try bytes.withUnsafeMutableBufferPointer { (raw) throws(StoreError) in
            try transfer(writing: true, memoryType: memoryType, elementCount: values.count,
                         buffer: UnsafeMutableRawPointer(raw.baseAddress), offset: offset, count: count)
        }
    }

    /// Reads a block as an array. Collective in a parallel file.
    public func read<Element: StorableScalar & Numeric>(_: Element.Type, at offset: [Int], count: [Int]) throws(StoreError) -> [Element] {
        var values = [Element](repeating: 0, count: count.reduce(1, *))
        try values.withUnsafeMutableBufferPointer { (b) throws(StoreError) in try read(into: b, at: offset, count: count) }
        return values
    }

    /// Reads the whole dataset on every rank. Collective in a parallel file.
    public func readAll<Element: StorableScalar & Numeric>(_: Element.Type) throws(StoreError) -> [Element] {
        let shape = try shape()
        return try read(Element.self, at: shape.map { _ in 0 }, count: shape)
    }

    /// Moves raw fixed-size records (numbers, compound rows or fixed-length strings) with an explicit memory type.
    func transfer(writing: Bool, memoryType: hid_t, elementCount: Int, buffer: UnsafeMutableRawPointer?,
                  offset: [Int], count: [Int]) throws(StoreError) {
        // A dataset of no elements has no storage to move (and MPI-IO fails on the attempt); every
        // rank sees the same shape, so all skip alike.
        if try shape().reduce(1, *) == 0, count.reduce(1, *) == 0 { return }
        try file.collectively(writing: writing) { () throws(StoreError) in
            try localTransfer(writing: writing, memoryType: memoryType, elementCount: elementCount, buffer: buffer, offset: offset, count: count)
        }
    }

    private func localTransfer(writing: Bool, memoryType: hid_t, elementCount: Int, buffer: UnsafeMutableRawPointer?,
                               offset: [Int], count: [Int]) throws(StoreError) {
        let shape = try shape()
        guard offset.count == shape.count, count.count == shape.count else {
            throw StoreError.mismatch("dataset \(name) has \(shape.count) axes; block has \(offset.count) and \(count.count)")
        }
        let n = count.reduce(1, *)
        guard n == elementCount else {
            throw StoreError.mismatch("dataset \(name): block \(count) holds \(n) elements, buffer \(elementCount)")
        }
        for axis in shape.indices where offset[axis] < 0 || count[axis] < 0 || offset[axis] + count[axis] > shape[axis] {
            throw StoreError.mismatch("dataset \(name): block at \(offset) of \(count) lies outside shape \(shape)")
        }
        let fileSpace = try check(H5Dget_space(id), "H5Dget_space(\(name))")
        defer { H5Sclose(fileSpace) }
        let memoryDims = count.map { hsize_t($0) }
        let memorySpace = try check(H5Screate_simple(Int32(max(1, memoryDims.count)), memoryDims.isEmpty ? [1] : memoryDims, nil),
                                    "H5Screate_simple")
        defer { H5Sclose(memorySpace) }
        if n == 0 {
            try check(H5Sselect_none(fileSpace), "H5Sselect_none")
            try check(H5Sselect_none(memorySpace), "H5Sselect_none")
        } else if !shape.isEmpty {
            try check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, offset.map { hsize_t($0) }, nil, memoryDims, nil),
                      "H5Sselect_hyperslab")
        }
        let xfer = try check(H5Pcreate(chdf5_p_dataset_xfer()), "H5Pcreate(transfer)")
        defer { H5Pclose(xfer) }
        if file.isParallel { try check(H5Pset_dxpl_mpio(xfer, H5FD_MPIO_COLLECTIVE), "H5Pset_dxpl_mpio") }
        // HDF5 wants a non-null buffer even for an empty selection.
        var dummy: UInt64 = 0
        try withUnsafeMutableBytes(of: &dummy) { (scratch) throws(StoreError) in
            let pointer = buffer ?? scratch.baseAddress!
            if writing {
                try check(H5Dwrite(id, memoryType, memorySpace, fileSpace, xfer, pointer), "H5Dwrite(\(name))")
            } else {
                try check(H5Dread(id, memoryType, memorySpace, fileSpace, xfer, pointer), "H5Dread(\(name))")
            }
        }
        lastTransfer = file.isParallel ? try actualMode(xfer) : .serial
    }

    private func actualMode(_ xfer: hid_t) throws(StoreError) -> TransferMode {
        var mode = H5D_MPIO_NO_COLLECTIVE
        try check(H5Pget_mpio_actual_io_mode(xfer, &mode), "H5Pget_mpio_actual_io_mode")
        switch mode {
        case H5D_MPIO_CHUNK_INDEPENDENT: return .chunkIndependent
        case H5D_MPIO_CHUNK_COLLECTIVE: return .chunkCollective
        case H5D_MPIO_CHUNK_MIXED: return .chunkMixed
        case H5D_MPIO_CONTIGUOUS_COLLECTIVE: return .contiguousCollective
        default: return .independent
        }
    }

    /// Closes the dataset. Collective in a parallel file.
    public func close() throws(StoreError) {
        try file.collectively(writing: true) { () throws(StoreError) in try check(H5Dclose(id), "H5Dclose(\(name))") }
    }
}
