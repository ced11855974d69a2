import CHDF5

/// A Swift scalar stored as the HDF5 type of the same width, so h5py reads it as the matching numpy dtype.
public protocol StorableScalar: BitwiseCopyable, Sendable {
    /// The in-memory HDF5 type.
    static var memoryType: hid_t { get }
    /// The little-endian type written to the file.
    static var fileType: hid_t { get }
    /// What `Dataset.storedType()` reports for a dataset of this type.
    static var storedType: StoredType { get }
}

extension Int8: StorableScalar {
    public static var memoryType: hid_t { chdf5_native_int8() }
    public static var fileType: hid_t { chdf5_std_i8le() }
    public static var storedType: StoredType { .integer(bits: 8, signed: true) }
}
extension Int32: StorableScalar {
    public static var memoryType: hid_t { chdf5_native_int32() }
    public static var fileType: hid_t { chdf5_std_i32le() }
    public static var storedType: StoredType { .integer(bits: 32, signed: true) }
}
extension Int64: StorableScalar {
    public static var memoryType: hid_t { chdf5_native_int64() }
    public static var fileType: hid_t { chdf5_std_i64le() }
    public static var storedType: StoredType { .integer(bits: 64, signed: true) }
}
extension UInt64: StorableScalar {
    public static var memoryType: hid_t { chdf5_native_uint64() }
    public static var fileType: hid_t { chdf5_std_u64le() }
    public static var storedType: StoredType { .integer(bits: 64, signed: false) }
}
extension Float: StorableScalar {
    public static var memoryType: hid_t { chdf5_native_float() }
    public static var fileType: hid_t { chdf5_ieee_f32le() }
    public static var storedType: StoredType { .float(bits: 32) }
}
extension Double: StorableScalar {
    public static var memoryType: hid_t { chdf5_native_double() }
    public static var fileType: hid_t { chdf5_ieee_f64le() }
    public static var storedType: StoredType { .float(bits: 64) }
}

/// What a stored dataset or attribute holds, as `inspect` describes it.
public enum StoredType: Equatable, Sendable, CustomStringConvertible {
    case integer(bits: Int, signed: Bool)
    case float(bits: Int)
    case string
    case compound([String])
    case other(String)

    public var description: String {
        switch self {
        case let .integer(bits, signed): return "\(signed ? "int" : "uint")\(bits)"
        case let .float(bits): return "float\(bits)"
        case .string: return "string"
        case let .compound(fields): return "compound(\(fields.joined(separator: ", ")))"
        case let .other(name): return name
        }
    }

    init(type: hid_t) {
        let size = Int(H5Tget_size(type)) * 8
        switch H5Tget_class(type) {
        case H5T_INTEGER: self = .integer(bits: size, signed: H5Tget_sign(type) == H5T_SGN_2)
        case H5T_FLOAT: self = .float(bits: size)
        case H5T_STRING: self = .string
        case H5T_COMPOUND:
            let n = max(0, H5Tget_nmembers(type))
            self = .compound((0..<UInt32(n)).map { i in
                guard let name = H5Tget_member_name(type, i) else { return "?" }
                defer { H5free_memory(name) }
                return String(cString: name)
            })
        default: self = .other("class \(H5Tget_class(type).rawValue)")
        }
    }
}
