// Single-precision twins of the Double wrappers, for training where Float halves memory traffic.
// Same shapes, defaults and preconditions as in BLAS.swift.

internal import CBLAS

extension BLAS {
    /// C ← α·op(A)·op(B) + β·C in single precision; see the Double overload for shapes.
    public static func gemm(transA: Transpose = .none, transB: Transpose = .none,
                            m: Int, n: Int, k: Int, alpha: Float = 1,
                            a: UnsafeBufferPointer<Float>, lda: Int? = nil,
                            b: UnsafeBufferPointer<Float>, ldb: Int? = nil,
                            beta: Float = 0,
                            c: UnsafeMutableBufferPointer<Float>, ldc: Int? = nil) {
        let d = GemmShape(transA: transA, transB: transB, m: m, n: n, k: k,
                          lda: lda, ldb: ldb, ldc: ldc, counts: (a.count, b.count, c.count))
        guard m > 0, n > 0 else { return }
        guard k > 0 else { return scaleRows(c, rows: m, cols: n, ld: d.ldc, by: beta) }
        cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, blasint(m), blasint(n), blasint(k),
                    alpha, a.baseAddress, blasint(d.lda), b.baseAddress, blasint(d.ldb),
                    beta, c.baseAddress, blasint(d.ldc))
    }

    /// y ← α·op(A)·x + β·y in single precision; see the Double overload for shapes.
    public static func gemv(trans: Transpose = .none, m: Int, n: Int, alpha: Float = 1,
                            a: UnsafeBufferPointer<Float>, lda: Int? = nil,
                            x: UnsafeBufferPointer<Float>, beta: Float = 0,
                            y: UnsafeMutableBufferPointer<Float>) {
        let ld = GemvShape.check(trans: trans, m: m, n: n, lda: lda,
                                 counts: (a.count, x.count, y.count))
        guard m > 0, n > 0 else { return scaleRows(y, rows: 1, cols: y.count, ld: y.count, by: beta) }
        cblas_sgemv(CblasRowMajor, trans.cblas, blasint(m), blasint(n), alpha,
                    a.baseAddress, blasint(ld), x.baseAddress, 1, beta, y.baseAddress, 1)
    }

    /// y ← α·x + y in single precision; x and y must have the same length.
    public static func axpy(alpha: Float, x: UnsafeBufferPointer<Float>,
                            y: UnsafeMutableBufferPointer<Float>) {
        precondition(x.count == y.count, "BLAS.axpy: x has \(x.count) elements, y has \(y.count)")
        checkDimension(x.count, "n")
        guard x.count > 0 else { return }
        cblas_saxpy(blasint(x.count), alpha, x.baseAddress, 1, y.baseAddress, 1)
    }

    /// The inner product x·y in single precision (accumulated in Float, as sdot does).
    public static func dot(_ x: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>) -> Float {
        precondition(x.count == y.count, "BLAS.dot: x has \(x.count) elements, y has \(y.count)")
        checkDimension(x.count, "n")
        guard x.count > 0 else { return 0 }
        return cblas_sdot(blasint(x.count), x.baseAddress, 1, y.baseAddress, 1)
    }
}
