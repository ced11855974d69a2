import CMPI

/// A Swift scalar that maps one-to-one onto an MPI datatype, so buffers of it can be sent and reduced.
public protocol MPIScalar: BitwiseCopyable, Sendable {
    /// The matching predefined MPI datatype.
    static var mpiDatatype: MPI_Datatype { get }
}

extension Double: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_double() } }
extension Float: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_float() } }
extension Int8: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_int8() } }
extension UInt8: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_uint8() } }
extension Int32: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_int32() } }
extension UInt32: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_uint32() } }
extension Int64: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_int64() } }
extension UInt64: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_uint64() } }
extension Int: MPIScalar {
    public static var mpiDatatype: MPI_Datatype { MemoryLayout<Int>.size == 8 ? cmpi_int64() : cmpi_int32() }
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
