internal import CHDF5

/// A Swift scalar stored as the HDF5 type of the same width, so h5py reads it as the matching numpy dtype.
public protocol StorableScalar: BitwiseCopyable, Sendable {
    /// Which stored element type matches it.
    static var scalarKind: ScalarKind { get }
}

/// The element types datasets hold; the HDF5 types behind each stay inside this module.
public enum ScalarKind: Sendable {
    case int8, int32, int64, uint64, float32, float64

    /// The in-memory HDF5 type.
    var memoryType: hid_t {
        switch self {
        case .int8: chdf5_native_int8()
        case .int32: chdf5_native_int32()
        case .int64: chdf5_native_int64()
        case .uint64: chdf5_native_uint64()
        case .float32: chdf5_native_float()
        case .float64: chdf5_native_double()
        }
    }

    /// The little-endian type written to the file.
    var fileType: hid_t {
        switch self {
        case .int8: chdf5_std_i8le()
        case .int32: chdf5_std_i32le()
        case .int64: chdf5_std_i64le()
        case .uint64: chdf5_std_u64le()
        case .float32: chdf5_ieee_f32le()
        case .float64: chdf5_ieee_f64le()
        }
    }

    /// What `Dataset.storedType()` reports for a dataset of this type.
    public var storedType: StoredType {
        switch self {
        case .int8: .integer(bits: 8, signed: true)
        case .int32: .integer(bits: 32, signed: true)
        case .int64: .integer(bits: 64, signed: true)
        case .uint64: .integer(bits: 64, signed: false)
        case .float32: .float(bits: 32)
        case .float64: .float(bits: 64)
        }
    }
}

extension StorableScalar {
    static var memoryType: hid_t { scalarKind.memoryType }
    static var fileType: hid_t { scalarKind.fileType }
    /// What `Dataset.storedType()` reports for a dataset of this type.
    public static var storedType: StoredType { scalarKind.storedType }
}

extension Int8: StorableScalar { public static var scalarKind: ScalarKind { .int8 } }
extension Int32: StorableScalar { public static var scalarKind: ScalarKind { .int32 } }
extension Int64: StorableScalar { public static var scalarKind: ScalarKind { .int64 } }
extension UInt64: StorableScalar { public static var scalarKind: ScalarKind { .uint64 } }
extension Float: StorableScalar { public static var scalarKind: ScalarKind { .float32 } }
extension Double: StorableScalar { public static var scalarKind: ScalarKind { .float64 } }

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
