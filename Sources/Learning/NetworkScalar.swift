// The element type of networks: Float (the default, half the memory traffic) or Double (for
// gradient checks and bit-exact comparisons). Elementwise functions come from libm through the
// protocol, so layer kernels stay generic without a math library.

import Cluster
import Numerics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A floating-point type networks compute in: BLAS-backed, reducible over MPI, with libm's functions.
public protocol NetworkScalar: BinaryFloatingPoint, MPIScalar, Codable, CustomStringConvertible
where RawSignificand: FixedWidthInteger {
    /// "float32" or "float64", as job files and model files spell it.
    static var precisionName: String { get }
    /// e^x.
    static func exponential(_ x: Self) -> Self
    /// ln x.
    static func logarithm(_ x: Self) -> Self
    /// tanh x.
    static func hyperbolicTangent(_ x: Self) -> Self
    /// erf x.
    static func errorFunction(_ x: Self) -> Self
    /// C ← α·op(A)·op(B) + β·C, row-major; see `BLAS.gemm`.
    static func gemm(transA: BLAS.Transpose, transB: BLAS.Transpose, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafeBufferPointer<Self>, lda: Int?, b: UnsafeBufferPointer<Self>, ldb: Int?,
                     beta: Self, c: UnsafeMutableBufferPointer<Self>, ldc: Int?)
}

extension Float: NetworkScalar {
    /// `"float32"`, as job files and model files spell it.
    public static var precisionName: String { "float32" }
    /// e^x by libm's `expf`.
    @inlinable public static func exponential(_ x: Float) -> Float { expf(x) }
    /// ln x by libm's `logf`.
    @inlinable public static func logarithm(_ x: Float) -> Float { logf(x) }
    /// tanh x by `rationalTanh` (within 4e-7; libm's `tanhf` was half of a flow's training time).
    @inlinable public static func hyperbolicTangent(_ x: Float) -> Float { rationalTanh(x) }
    /// erf x by libm's `erff`.
    @inlinable public static func errorFunction(_ x: Float) -> Float { erff(x) }
    /// Single-precision gemm (sgemm) through `BLAS.gemm`.
    @inlinable
    public static func gemm(transA: BLAS.Transpose, transB: BLAS.Transpose, m: Int, n: Int, k: Int, alpha: Float,
                            a: UnsafeBufferPointer<Float>, lda: Int?, b: UnsafeBufferPointer<Float>, ldb: Int?,
                            beta: Float, c: UnsafeMutableBufferPointer<Float>, ldc: Int?) {
        BLAS.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                  b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}

extension Double: NetworkScalar {
    /// `"float64"`, as job files and model files spell it.
    public static var precisionName: String { "float64" }
    /// e^x by libm's `exp`.
    @inlinable public static func exponential(_ x: Double) -> Double { exp(x) }
    /// ln x by libm's `log`.
    @inlinable public static func logarithm(_ x: Double) -> Double { log(x) }
    /// tanh x by libm's `tanh`.
    @inlinable public static func hyperbolicTangent(_ x: Double) -> Double { tanh(x) }
    /// erf x by libm's `erf`.
    @inlinable public static func errorFunction(_ x: Double) -> Double { erf(x) }
    /// Double-precision gemm (dgemm) through `BLAS.gemm`.
    @inlinable
    public static func gemm(transA: BLAS.Transpose, transB: BLAS.Transpose, m: Int, n: Int, k: Int, alpha: Double,
                            a: UnsafeBufferPointer<Double>, lda: Int?, b: UnsafeBufferPointer<Double>, ldb: Int?,
                            beta: Double, c: UnsafeMutableBufferPointer<Double>, ldc: Int?) {
        BLAS.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                  b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}
