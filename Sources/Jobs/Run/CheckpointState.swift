import Cluster
import Store

/// A block of an array that this rank holds: where it starts, how far it extends, its values.
public struct StateBlock<Element: StorableScalar> {
    /// The index of the block's first element along each axis of the array.
    public let offset: [Int]
    /// The block's extent along each axis.
    public let count: [Int]
    /// The block's values, last axis fastest (row-major, as HDF5 stores them).
    public let values: UnsafeBufferPointer<Element>

    /// Describes the block of `count` elements per axis starting at `offset`, holding `values`.
    public init(offset: [Int], count: [Int], values: UnsafeBufferPointer<Element>) {
        self.offset = offset
        self.count = count
        self.values = values
    }
}

/// A block of an array that this rank fills from a checkpoint.
public struct MutableStateBlock<Element: StorableScalar> {
    /// The index of the block's first element along each axis of the array.
    public let offset: [Int]
    /// The block's extent along each axis.
    public let count: [Int]
    /// Where the block's values are read to, last axis fastest (row-major, as HDF5 stores them).
    public let values: UnsafeMutableBufferPointer<Element>

    /// Describes the block of `count` elements per axis starting at `offset`, to be read into `values`.
    public init(offset: [Int], count: [Int], values: UnsafeMutableBufferPointer<Element>) {
        self.offset = offset
        self.count = count
        self.values = values
    }
}

/// The state of a job kind inside a checkpoint being written: named arrays and texts under
/// `/state`, each array checksummed from the blocks the ranks write, so no read-back is needed to
/// know its checksum. Every method is collective.
public final class CheckpointState {
    let group: Group
    let communicator: Communicator
    /// The content checksum of each array written, by its path in the file.
    private(set) var checksums: [String: ContentChecksum] = [:]

    init(group: Group, communicator: Communicator) {
        self.group = group
        self.communicator = communicator
    }

    /// An array of `shape` of which each rank writes its `blocks` (any number, possibly none; the
    /// blocks of all ranks together cover the array once).
    public func put<Element: StorableScalar>(_ name: String, shape: [Int], blocks: [StateBlock<Element>]) throws {
        let path = "state/" + name, key = ContentChecksum.key(path)
        let dataset = try group.createDataset(name, of: Element.self, shape: shape)
        var sum = ContentChecksum.zero
        let rounds = try communicator.allreduce(blocks.count, .max)
        let size = MemoryLayout<Element>.size
        for round in 0..<rounds {
            guard round < blocks.count else {
                try dataset.write([Element](), at: shape.map { _ in 0 }, count: shape.map { _ in 0 })
                continue
            }
            let block = blocks[round]
            try dataset.write(block.values, at: block.offset, count: block.count)
            sum += ContentChecksum.block(UnsafeRawBufferPointer(block.values), elementSize: size, shape: shape,
                                         offset: block.offset, count: block.count, key: key)
        }
        let total = ContentChecksum(try communicator.allreduce(sum.value, .sum))
        try dataset.setAttribute("checksum", total.description)
        checksums[path] = total
    }

    /// A one-dimensional array whose values every rank holds alike; rank 0 writes it.
    public func put<Element: StorableScalar>(_ name: String, values: [Element]) throws {
        try values.withUnsafeBufferPointer { buffer in
            let blocks = communicator.isRoot ? [StateBlock(offset: [0], count: [buffer.count], values: buffer)] : []
            try put(name, shape: [buffer.count], blocks: blocks)
        }
    }

    /// A whole number.
    public func put(_ name: String, _ value: Int) throws { try put(name, values: [Int64(value)]) }

    /// A real number.
    public func put(_ name: String, _ value: Double) throws { try put(name, values: [value]) }

    /// A text (an attribute of `/state`, covered by the checkpoint's checksum).
    public func put(_ name: String, text: String) throws { try group.setAttribute(name, text) }
}

/// The state of a verified checkpoint, read back by the kind that wrote it. Every method is collective.
public final class CheckpointContents {
    let group: Group
    let path: String

    init(group: Group, path: String) {
        self.group = group
        self.path = path
    }

    private func dataset<Element: StorableScalar>(_ name: String, _: Element.Type) throws -> Dataset {
        guard group.contains(name) else { throw JobError(file: path, "is not a checkpoint of this job: it has no state/\(name)") }
        let dataset = try group.openDataset(name)
        let stored = try dataset.storedType(), expected = Element.storedType
        guard stored == expected else {
            throw JobError(file: path, "is not a checkpoint of this build: state/\(name) holds \(stored), expected \(expected)")
        }
        return dataset
    }

    /// The shape of array `name`.
    public func shape(_ name: String) throws -> [Int] {
        guard group.contains(name) else { throw JobError(file: path, "is not a checkpoint of this job: it has no state/\(name)") }
        return try group.openDataset(name).shape()
    }

    /// Fills this rank's `blocks` of array `name` (any number per rank).
    public func read<Element: StorableScalar>(_ name: String, into blocks: [MutableStateBlock<Element>], communicator: Communicator) throws {
        let dataset = try dataset(name, Element.self)
        let axes = try dataset.shape().count
        for round in 0..<(try communicator.allreduce(blocks.count, .max)) {
            if round < blocks.count {
                try dataset.read(into: blocks[round].values, at: blocks[round].offset, count: blocks[round].count)
            } else {
                try dataset.read(into: UnsafeMutableBufferPointer<Element>(start: nil, count: 0), at: [Int](repeating: 0, count: axes),
                                 count: [Int](repeating: 0, count: axes))
            }
        }
    }

    /// The whole of a one-dimensional array, on every rank.
    public func values<Element: StorableScalar & Numeric>(_ name: String, as _: Element.Type, count: Int? = nil) throws -> [Element] {
        let values = try dataset(name, Element.self).readAll(Element.self)
        if let count, values.count != count {
            throw JobError(file: path, "is not a checkpoint of this job: state/\(name) holds \(values.count) values, expected \(count)")
        }
        return values
    }

    /// A whole number.
    public func integer(_ name: String) throws -> Int { Int(try values(name, as: Int64.self, count: 1)[0]) }

    /// A real number.
    public func real(_ name: String) throws -> Double { try values(name, as: Double.self, count: 1)[0] }

    /// A text.
    public func text(_ name: String) throws -> String {
        guard group.hasAttribute(name), case let .text(value) = try group.attribute(name) else {
            throw JobError(file: path, "is not a checkpoint of this job: it has no state text '\(name)'")
        }
        return value
    }
}
