internal import CMPI

/// A Swift scalar that maps one-to-one onto an MPI datatype, so buffers of it can be sent and reduced.
public protocol MPIScalar: BitwiseCopyable, Sendable {
    /// Which predefined MPI datatype matches it.
    static var mpiKind: MPIScalarKind { get }
}

/// The scalar kinds MPI moves, one per predefined datatype this package uses; the MPI handle
/// behind each stays inside this module.
public enum MPIScalarKind: Sendable {
    case double, float, int8, uint8, int32, uint32, int64, uint64

    var datatype: MPI_Datatype {
        switch self {
        case .double: cmpi_double()
        case .float: cmpi_float()
        case .int8: cmpi_int8()
        case .uint8: cmpi_uint8()
        case .int32: cmpi_int32()
        case .uint32: cmpi_uint32()
        case .int64: cmpi_int64()
        case .uint64: cmpi_uint64()
        }
    }
}

extension MPIScalar {
    /// The MPI datatype, for the calls in this module.
    static var mpiDatatype: MPI_Datatype { mpiKind.datatype }
}

extension Double: MPIScalar { public static var mpiKind: MPIScalarKind { .double } }
extension Float: MPIScalar { public static var mpiKind: MPIScalarKind { .float } }
extension Int8: MPIScalar { public static var mpiKind: MPIScalarKind { .int8 } }
extension UInt8: MPIScalar { public static var mpiKind: MPIScalarKind { .uint8 } }
extension Int32: MPIScalar { public static var mpiKind: MPIScalarKind { .int32 } }
extension UInt32: MPIScalar { public static var mpiKind: MPIScalarKind { .uint32 } }
extension Int64: MPIScalar { public static var mpiKind: MPIScalarKind { .int64 } }
extension UInt64: MPIScalar { public static var mpiKind: MPIScalarKind { .uint64 } }
extension Int: MPIScalar {
    public static var mpiKind: MPIScalarKind { MemoryLayout<Int>.size == 8 ? .int64 : .int32 }
}

/// A reduction operation for allreduce, reduce and exscan.
public enum ReductionOperation: Sendable {
    case sum, min, max, product, logicalOr, logicalAnd

    var mpi: MPI_Op {
        switch self {
        case .sum: cmpi_sum()
        case .min: cmpi_min()
        case .max: cmpi_max()
        case .product: cmpi_prod()
        case .logicalOr: cmpi_lor()
        case .logicalAnd: cmpi_land()
        }
    }
}
