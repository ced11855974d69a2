internal import CHDF5

/// A value read back from an attribute.
public enum AttributeValue: Equatable, Sendable, CustomStringConvertible {
    case integer(Int64)
    case real(Double)
    case boolean(Bool)
    case text(String)
    case integers([Int64])
    case reals([Double])
    case other(String)

    public var description: String {
        switch self {
        case let .integer(v): return String(v)
        case let .real(v): return String(v)
        case let .boolean(v): return String(v)
        case let .text(v): return v
        case let .integers(v): return "[" + v.map(String.init).joined(separator: ", ") + "]"
        case let .reals(v): return "[" + v.map { String($0) }.joined(separator: ", ") + "]"
        case let .other(v): return v
        }
    }
}

/// Something that carries attributes: a group or a dataset. Writing an attribute is collective in a
/// parallel file, and every rank must pass the same value.
public class AttributeHolder {
    /// The HDF5 identifier of the object (inside this module only).
    let id: hid_t
    /// The file the object lives in.
    public let file: File

    init(id: hid_t, file: File) {
        self.id = id
        self.file = file
    }
}

extension AttributeHolder {
    private func replace(_ name: String, type: hid_t, space: hid_t, _ body: (hid_t) -> herr_t) throws(StoreError) {
        try file.collectively(writing: true) { () throws(StoreError) in try localReplace(name, type: type, space: space, body) }
    }

    private func localReplace(_ name: String, type: hid_t, space: hid_t, _ body: (hid_t) -> herr_t) throws(StoreError) {
        if H5Aexists(id, name) > 0 { try check(H5Adelete(id, name), "H5Adelete(\(name))") }
        let attribute = try check(H5Acreate2(id, name, type, space, chdf5_p_default(), chdf5_p_default()), "H5Acreate2(\(name))")
        defer { H5Aclose(attribute) }
        try check(body(attribute), "H5Awrite(\(name))")
    }

    /// Sets a scalar numeric attribute. Collective.
    public func setAttribute<Element: StorableScalar>(_ name: String, _ value: Element) throws(StoreError) {
        let space = try check(H5Screate(H5S_SCALAR), "H5Screate")
        defer { H5Sclose(space) }
        var v = value
        try replace(name, type: Element.fileType, space: space) { H5Awrite($0, Element.memoryType, &v) }
    }

    /// Sets a one-dimensional numeric attribute. Collective.
    public func setAttribute<Element: StorableScalar>(_ name: String, _ values: [Element]) throws(StoreError) {
        let space = try check(H5Screate_simple(1, [hsize_t(values.count)], nil), "H5Screate_simple")
        defer { H5Sclose(space) }
        try replace(name, type: Element.fileType, space: space) { a in
            values.withUnsafeBufferPointer { H5Awrite(a, Element.memoryType, UnsafeRawPointer($0.baseAddress) ?? UnsafeRawPointer(bitPattern: 8)!) }
        }
    }

    /// Sets a boolean attribute as HDF5's FALSE/TRUE enum, which h5py reads as numpy.bool_. Collective.
    public func setAttribute(_ name: String, _ value: Bool) throws(StoreError) {
        let type = try booleanType()
        defer { H5Tclose(type) }
        let space = try check(H5Screate(H5S_SCALAR), "H5Screate")
        defer { H5Sclose(space) }
        var v: Int8 = value ? 1 : 0
        try replace(name, type: type, space: space) { H5Awrite($0, type, &v) }
    }

    /// Sets a variable-length UTF-8 string attribute, which h5py reads as `str`. Collective.
    public func setAttribute(_ name: String, _ value: String) throws(StoreError) {
        let type = try check(H5Tcopy(chdf5_c_s1()), "H5Tcopy")
        defer { H5Tclose(type) }
        try check(H5Tset_size(type, chdf5_t_variable()), "H5Tset_size")
        try check(H5Tset_cset(type, H5T_CSET_UTF8), "H5Tset_cset")
        let space = try check(H5Screate(H5S_SCALAR), "H5Screate")
        defer { H5Sclose(space) }
        var text = value.utf8CString
        try text.withUnsafeMutableBufferPointer { (chars) throws(StoreError) in
            var pointer: UnsafePointer<CChar>? = UnsafePointer(chars.baseAddress)
            try replace(name, type: type, space: space) { H5Awrite($0, type, &pointer) }
        }
    }

    /// Sets an attribute from a value of any kind it can hold (`.other` is what this module reads
    /// but cannot write, and is refused). Collective.
    public func setAttribute(_ name: String, value: AttributeValue) throws(StoreError) {
        switch value {
        case let .integer(v): try setAttribute(name, v)
        case let .real(v): try setAttribute(name, v)
        case let .boolean(v): try setAttribute(name, v)
        case let .text(v): try setAttribute(name, v)
        case let .integers(v): try setAttribute(name, v)
        case let .reals(v): try setAttribute(name, v)
        case let .other(v): throw StoreError.mismatch("attribute \(name): \(v) is a value this module reads but does not write")
        }
    }

    /// The names of all attributes, in name order.
    public func attributeNames() throws(StoreError) -> [String] {
        var info = H5O_info_t()
        try check(H5Oget_info2(id, &info, UInt32(H5O_INFO_NUM_ATTRS)), "H5Oget_info2")
        var names: [String] = []
        for i in 0..<info.num_attrs {
            names.append(try readName("H5Aget_name_by_idx") { H5Aget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, $0, $1, chdf5_p_default()) })
        }
        return names
    }

    /// Whether an attribute called `name` exists.
    public func hasAttribute(_ name: String) -> Bool { H5Aexists(id, name) > 0 }

    /// Reads an attribute, whatever its type.
    public func attribute(_ name: String) throws(StoreError) -> AttributeValue {
        try file.collectively(writing: false) { () throws(StoreError) in try localAttribute(name) }
    }

    private func localAttribute(_ name: String) throws(StoreError) -> AttributeValue {
        let attribute = try check(H5Aopen(id, name, chdf5_p_default()), "H5Aopen(\(name))")
        defer { H5Aclose(attribute) }
        let type = try check(H5Aget_type(attribute), "H5Aget_type")
        defer { H5Tclose(type) }
        let space = try check(H5Aget_space(attribute), "H5Aget_space")
        defer { H5Sclose(space) }
        let count = Int(H5Sget_simple_extent_npoints(space))
        let scalar = H5Sget_simple_extent_type(space) == H5S_SCALAR
        switch H5Tget_class(type) {
        case H5T_INTEGER:
            var values = [Int64](repeating: 0, count: count)
            try check(H5Aread(attribute, chdf5_native_int64(), &values), "H5Aread(\(name))")
            return scalar ? .integer(values[0]) : .integers(values)
        case H5T_FLOAT:
            var values = [Double](repeating: 0, count: count)
            try check(H5Aread(attribute, chdf5_native_double(), &values), "H5Aread(\(name))")
            return scalar ? .real(values[0]) : .reals(values)
        case H5T_ENUM where scalar && H5Tget_size(type) == 1:
            var v: Int8 = 0
            try check(H5Aread(attribute, type, &v), "H5Aread(\(name))")
            return .boolean(v != 0)
        case H5T_STRING where scalar:
            if H5Tis_variable_str(type) > 0 {
                var pointer: UnsafeMutablePointer<CChar>? = nil
                try check(H5Aread(attribute, type, &pointer), "H5Aread(\(name))")
                defer { if let pointer { H5free_memory(pointer) } }
                return .text(pointer.map { String(cString: $0) } ?? "")
            }
            var bytes = [UInt8](repeating: 0, count: Int(H5Tget_size(type)) + 1)
            try check(H5Aread(attribute, type, &bytes), "H5Aread(\(name))")
            return .text(String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self))
        default:
            return .other(StoredType(type: type).description)
        }
    }
}

private func booleanType() throws(StoreError) -> hid_t {
    let type = try check(H5Tenum_create(chdf5_native_int8()), "H5Tenum_create")
    var no: Int8 = 0, yes: Int8 = 1
    try check(H5Tenum_insert(type, "FALSE", &no), "H5Tenum_insert")
    try check(H5Tenum_insert(type, "TRUE", &yes), "H5Tenum_insert")
    return type
}
