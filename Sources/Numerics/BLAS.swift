// BLAS wrappers: the only place in Ensemble that touches OpenBLAS (DESIGN.md: only Numerics imports
// CBLAS). Matrices are row-major, as Swift arrays of rows are laid out, with an optional leading
// dimension (row stride) that defaults to the number of stored columns. Sizes are checked with
// preconditions before calling into C, because OpenBLAS would otherwise read out of bounds or print
// an xerbla message and carry on.

internal import CBLAS

/// Row-major dense linear algebra (gemm, gemv, axpy, dot) on buffers, through OpenBLAS's CBLAS.
public enum BLAS: Sendable {
    /// Whether a matrix operand enters as stored or transposed.
    public enum Transpose: Sendable, Equatable {
        /// op(A) = A.
        case none
        /// op(A) = Aᵀ.
        case transposed

        var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
    }

    /// OpenBLAS's build configuration (`openblas_get_config()`), for `ensemble info` and provenance.
    public static var configuration: String {
        String(cString: openblas_get_config())
    }

    /// The CPU kernel OpenBLAS selected at run time (`openblas_get_corename()`).
    public static var coreName: String {
        String(cString: openblas_get_corename())
    }

    /// OpenBLAS's thread count; MPI runs usually set 1 so ranks do not oversubscribe cores.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set {
            precondition(newValue >= 1, "BLAS.threads must be at least 1, got \(newValue)")
            openblas_set_num_threads(Int32(clamping: newValue))
        }
    }

    // MARK: Double

    /// C ← α·op(A)·op(B) + β·C, with op(A) m×k, op(B) k×n and C m×n, all row-major.
    ///
    /// A is stored m×k (k×m if transposed) with row stride `lda` (default: its column count);
    /// likewise B and C. With β = 0, C need not be initialised (NaNs in it are ignored).
    /// C must not overlap A or B (BLAS reads them while writing C).
    public static func gemm(transA: Transpose = .none, transB: Transpose = .none,
                            m: Int, n: Int, k: Int, alpha: Double = 1,
                            a: UnsafeBufferPointer<Double>, lda: Int? = nil,
                            b: UnsafeBufferPointer<Double>, ldb: Int? = nil,
                            beta: Double = 0,
                            c: UnsafeMutableBufferPointer<Double>, ldc: Int? = nil) {
        let d = GemmShape(transA: transA, transB: transB, m: m, n: n, k: k,
                          lda: lda, ldb: ldb, ldc: ldc, counts: (a.count, b.count, c.count))
        guard m > 0, n > 0 else { return }
        guard k > 0 else { return scaleRows(c, rows: m, cols: n, ld: d.ldc, by: beta) }
        cblas_dgemm(CblasRowMajor, transA.cblas, transB.cblas, blasint(m), blasint(n), blasint(k),
                    alpha, a.baseAddress, blasint(d.lda), b.baseAddress, blasint(d.ldb),
                    beta, c.baseAddress, blasint(d.ldc))
    }

    /// y ← α·op(A)·x + β·y for A stored m×n row-major (row stride `lda`, default n).
    ///
    /// x has n elements and y has m (the other way round if transposed). With β = 0, y need not
    /// be initialised.
    public static func gemv(trans: Transpose = .none, m: Int, n: Int, alpha: Double = 1,
                            a: UnsafeBufferPointer<Double>, lda: Int? = nil,
                            x: UnsafeBufferPointer<Double>, beta: Double = 0,
                            y: UnsafeMutableBufferPointer<Double>) {
        let ld = GemvShape.check(trans: trans, m: m, n: n, lda: lda,
                                 counts: (a.count, x.count, y.count))
        guard m > 0, n > 0 else { return scaleRows(y, rows: 1, cols: y.count, ld: y.count, by: beta) }
        cblas_dgemv(CblasRowMajor, trans.cblas, blasint(m), blasint(n), alpha,
                    a.baseAddress, blasint(ld), x.baseAddress, 1, beta, y.baseAddress, 1)
    }

    /// y ← α·x + y; x and y must have the same length.
    public static func axpy(alpha: Double, x: UnsafeBufferPointer<Double>,
                            y: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == y.count, "BLAS.axpy: x has \(x.count) elements, y has \(y.count)")
        checkDimension(x.count, "n")
        guard x.count > 0 else { return }
        cblas_daxpy(blasint(x.count), alpha, x.baseAddress, 1, y.baseAddress, 1)
    }

    /// The inner product x·y; x and y must have the same length.
    public static func dot(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>) -> Double {
        precondition(x.count == y.count, "BLAS.dot: x has \(x.count) elements, y has \(y.count)")
        checkDimension(x.count, "n")
        guard x.count > 0 else { return 0 }
        return cblas_ddot(blasint(x.count), x.baseAddress, 1, y.baseAddress, 1)
    }

    // MARK: Shared checks

    /// Traps unless a dimension is non-negative and fits OpenBLAS's integer type.
    static func checkDimension(_ value: Int, _ name: String) {
        precondition(value >= 0 && value <= Int(blasint.max),
                     "BLAS: \(name) = \(value) outside 0...\(blasint.max)")
    }

    /// Traps unless a row-major rows×cols matrix with row stride `ld` fits in `count` elements.
    static func checkMatrix(_ name: String, rows: Int, cols: Int, ld: Int, count: Int) {
        checkDimension(ld, "ld\(name)")
        precondition(ld >= max(1, cols),
                     "BLAS: ld\(name) = \(ld) is less than the \(cols) columns of \(name)")
        let needed = rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols
        precondition(count >= needed,
                     "BLAS: \(name) (\(rows)×\(cols), ld \(ld)) needs \(needed) elements, has \(count)")
    }

    /// C ← β·C on the rows×cols block, with β = 0 writing exact zeros as BLAS does.
    static func scaleRows<T: BinaryFloatingPoint>(_ c: UnsafeMutableBufferPointer<T>,
                                                  rows: Int, cols: Int, ld: Int, by beta: T) {
        for r in 0..<rows {
            for j in 0..<cols { c[r * ld + j] = beta == 0 ? 0 : beta * c[r * ld + j] }
        }
    }

    /// Checked leading dimensions of a gemm call.
    struct GemmShape {
        let lda: Int, ldb: Int, ldc: Int

        init(transA: Transpose, transB: Transpose, m: Int, n: Int, k: Int,
             lda: Int?, ldb: Int?, ldc: Int?, counts: (a: Int, b: Int, c: Int)) {
            checkDimension(m, "m"); checkDimension(n, "n"); checkDimension(k, "k")
            let (aRows, aCols) = transA == .none ? (m, k) : (k, m)
            let (bRows, bCols) = transB == .none ? (k, n) : (n, k)
            self.lda = lda ?? max(1, aCols)
            self.ldb = ldb ?? max(1, bCols)
            self.ldc = ldc ?? max(1, n)
            checkMatrix("A", rows: aRows, cols: aCols, ld: self.lda, count: counts.a)
            checkMatrix("B", rows: bRows, cols: bCols, ld: self.ldb, count: counts.b)
            checkMatrix("C", rows: m, cols: n, ld: self.ldc, count: counts.c)
        }
    }

    /// Checks of a gemv call.
    enum GemvShape {
        /// Returns the leading dimension of A after checking A, x and y against m, n.
        static func check(trans: Transpose, m: Int, n: Int, lda: Int?,
                          counts: (a: Int, x: Int, y: Int)) -> Int {
            checkDimension(m, "m"); checkDimension(n, "n")
            let ld = lda ?? max(1, n)
            checkMatrix("A", rows: m, cols: n, ld: ld, count: counts.a)
            let (xCount, yCount) = trans == .none ? (n, m) : (m, n)
            precondition(counts.x == xCount, "BLAS.gemv: x has \(counts.x) elements, expected \(xCount)")
            precondition(counts.y == yCount, "BLAS.gemv: y has \(counts.y) elements, expected \(yCount)")
            return ld
        }
    }
}
