internal import CHDF5
import Cluster

/// A column of a table: a name and the kind of value it holds.
public struct Column: Sendable, Equatable {
    /// What a column holds.
    public enum Kind: Sendable, Equatable { case integer, real, text(maximumBytes: Int) }
    public let name: String
    public let kind: Kind
    public init(_ name: String, _ kind: Kind) {
        self.name = name
        self.kind = kind
    }

    var byteCount: Int {
        switch kind {
        case .integer, .real: 8
        case let .text(n): n
        }
    }
}

/// One cell of a table row.
public enum Cell: Sendable, Equatable {
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// An extendible one-dimensional dataset of compound rows (a numpy structured array in h5py), to
/// which all ranks append their rows together, landing in rank order.
public final class Table {
    /// The dataset holding the rows.
    public let dataset: Dataset
    /// The columns, in order.
    public let columns: [Column]
    private let memoryType: hid_t
    private let rowBytes: Int

    private init(dataset: Dataset, columns: [Column]) throws(StoreError) {
        self.dataset = dataset
        self.columns = columns
        self.rowBytes = columns.reduce(0) { $0 + $1.byteCount }
        self.memoryType = try compoundType(columns, rowBytes: rowBytes)
    }

    deinit { H5Tclose(memoryType) }

    /// Creates an empty table in `group`. Collective.
    public static func create(_ name: String, in group: Group, columns: [Column], chunkRows: Int = 1024) throws(StoreError) -> Table {
        let rowBytes = columns.reduce(0) { $0 + $1.byteCount }
        let type = try compoundType(columns, rowBytes: rowBytes)
        defer { H5Tclose(type) }
        let dataset = try group.createDataset(name, fileType: type, shape: [0], maximumShape: [nil],
                                              chunk: [chunkRows], deflateLevel: nil)
        return try Table(dataset: dataset, columns: columns)
    }

    /// Opens an existing table whose columns are known. Collective in a parallel file.
    public static func open(_ name: String, in group: Group, columns: [Column]) throws(StoreError) -> Table {
        try Table(dataset: try group.openDataset(name), columns: columns)
    }

    /// Opens an existing table, reading its columns from the stored compound type. Collective in a parallel file.
    public static func open(_ name: String, in group: Group) throws(StoreError) -> Table {
        let dataset = try group.openDataset(name)
        let type = try check(H5Dget_type(dataset.id), "H5Dget_type(\(name))")
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_COMPOUND else { throw StoreError.mismatch("\(name) is not a table") }
        var columns: [Column] = []
        for i in 0..<UInt32(max(0, H5Tget_nmembers(type))) {
            guard let cName = H5Tget_member_name(type, i) else { continue }
            let columnName = String(cString: cName)
            H5free_memory(cName)
            let member = try check(H5Tget_member_type(type, i), "H5Tget_member_type")
            defer { H5Tclose(member) }
            switch H5Tget_class(member) {
            case H5T_INTEGER: columns.append(Column(columnName, .integer))
            case H5T_FLOAT: columns.append(Column(columnName, .real))
            case H5T_STRING: columns.append(Column(columnName, .text(maximumBytes: H5Tget_size(member))))
            default: throw StoreError.mismatch("\(name): column \(columnName) has a type tables do not hold")
            }
        }
        return try Table(dataset: dataset, columns: columns)
    }

    /// The number of rows.
    public func count() throws(StoreError) -> Int { try dataset.shape()[0] }

    /// Appends each rank's `rows` after the existing rows, rank 0's first: offsets come from an
    /// exclusive prefix sum of the row counts, and a rank with no rows still joins. Collective.
    public func append(_ rows: [[Cell]]) throws {
        var bytes = [UInt8](repeating: 0, count: rows.count * rowBytes)
        for (r, row) in rows.enumerated() {
            guard row.count == columns.count else {
                throw StoreError.mismatch("table \(dataset.name): a row has \(row.count) cells for \(columns.count) columns")
            }
            var at = r * rowBytes
            for (cell, column) in zip(row, columns) {
                try pack(cell, column, into: &bytes, at: at)
                at += column.byteCount
            }
        }
        let before = try count()
        let communicator = dataset.file.communicator
        let offset = try communicator?.exclusivePrefixSum(Int64(rows.count)) ?? 0
        let total = try communicator?.allreduce(Int64(rows.count), .sum) ?? Int64(rows.count)
        guard total > 0 else { return }
        try dataset.extend(to: [before + Int(total)])
        try bytes.withUnsafeMutableBytes { raw in
            try dataset.transfer(writing: true, memoryType: memoryType, elementCount: rows.count,
                                 buffer: raw.baseAddress, offset: [before + Int(offset)], count: [rows.count])
        }
    }

    /// Reads every row. Collective in a parallel file.
    public func rows() throws -> [[Cell]] {
        let n = try count()
        var bytes = [UInt8](repeating: 0, count: max(1, n * rowBytes))
        try bytes.withUnsafeMutableBytes { raw in
            try dataset.transfer(writing: false, memoryType: memoryType, elementCount: n,
                                 buffer: raw.baseAddress, offset: [0], count: [n])
        }
        return (0..<n).map { r in
            var at = r * rowBytes
            return columns.map { column in
                defer { at += column.byteCount }
                return unpack(column, from: bytes, at: at)
            }
        }
    }

    private func pack(_ cell: Cell, _ column: Column, into bytes: inout [UInt8], at offset: Int) throws(StoreError) {
        switch (cell, column.kind) {
        case let (.integer(v), .integer):
            withUnsafeBytes(of: v) { bytes.replaceSubrange(offset..<offset + 8, with: $0) }
        case let (.real(v), .real):
            withUnsafeBytes(of: v) { bytes.replaceSubrange(offset..<offset + 8, with: $0) }
        case let (.integer(v), .real):
            withUnsafeBytes(of: Double(v)) { bytes.replaceSubrange(offset..<offset + 8, with: $0) }
        case let (.text(s), .text(n)):
            let utf8 = Array(s.utf8)
            guard utf8.count <= n else {
                throw StoreError.mismatch("table \(dataset.name): '\(s)' is longer than the \(n) bytes of column \(column.name)")
            }
            bytes.replaceSubrange(offset..<offset + utf8.count, with: utf8)
        default:
            throw StoreError.mismatch("table \(dataset.name): column \(column.name) cannot hold \(cell)")
        }
    }

    private func unpack(_ column: Column, from bytes: [UInt8], at offset: Int) -> Cell {
        switch column.kind {
        case .integer:
            return .integer(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Int64.self) })
        case .real:
            return .real(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Double.self) })
        case let .text(n):
            return .text(String(decoding: bytes[offset..<offset + n].prefix { $0 != 0 }, as: UTF8.self))
        }
    }
}

/// A packed compound type: rows are stored without padding, so memory and file layouts agree.
private func compoundType(_ columns: [Column], rowBytes: Int) throws(StoreError) -> hid_t {
    let type = try check(H5Tcreate(H5T_COMPOUND, max(1, rowBytes)), "H5Tcreate(compound)")
    var offset = 0
    for column in columns {
        switch column.kind {
        case .integer: try check(H5Tinsert(type, column.name, offset, chdf5_native_int64()), "H5Tinsert(\(column.name))")
        case .real: try check(H5Tinsert(type, column.name, offset, chdf5_native_double()), "H5Tinsert(\(column.name))")
        case let .text(n):
            let text = try fixedStringType(length: n)
            defer { H5Tclose(text) }
            try check(H5Tinsert(type, column.name, offset, text), "H5Tinsert(\(column.name))")
        }
        offset += column.byteCount
    }
    return type
}
