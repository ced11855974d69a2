// BLAS wrappers against naive Swift loops on seeded random inputs, including non-square shapes,
// transposes, padded leading dimensions and empty dimensions.

import Numerics
import XCTest

final class BLASTests: XCTestCase {
    private func randomMatrix(_ count: Int, seed: Int) -> [Double] {
        var s = RandomStream(seed: 77, purpose: RandomStream.Purpose(rawValue: 201), replica: seed)
        return (0..<count).map { _ in 2 * s.uniform() - 1 }
    }

    /// Element (i, j) of op(M) for M stored row-major with row stride ld.
    private func element(_ m: [Double], _ t: BLAS.Transpose, ld: Int, _ i: Int, _ j: Int) -> Double {
        t == .none ? m[i * ld + j] : m[j * ld + i]
    }

    func testGemmMatchesNaiveLoopsForAllTransposesAndShapes() {
        let shapes = [(1, 1, 1), (3, 5, 7), (17, 4, 9), (64, 33, 70), (2, 130, 1)]
        for (m, n, k) in shapes {
            for ta in [BLAS.Transpose.none, .transposed] {
                for tb in [BLAS.Transpose.none, .transposed] {
                    for pad in [0, 3] {
                        let (aRows, aCols) = ta == .none ? (m, k) : (k, m)
                        let (bRows, bCols) = tb == .none ? (k, n) : (n, k)
                        let lda = aCols + pad, ldb = bCols + pad, ldc = n + pad
                        let a = randomMatrix(aRows * lda, seed: 1)
                        let b = randomMatrix(bRows * ldb, seed: 2)
                        var c = randomMatrix(m * ldc, seed: 3)
                        let c0 = c
                        let alpha = 0.75, beta = -1.25
                        a.withUnsafeBufferPointer { pa in
                            b.withUnsafeBufferPointer { pb in
                                c.withUnsafeMutableBufferPointer { pc in
                                    BLAS.gemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: alpha,
                                              a: pa, lda: lda, b: pb, ldb: ldb, beta: beta,
                                              c: pc, ldc: ldc)
                                }
                            }
                        }
                        for i in 0..<m {
                            for j in 0..<n {
                                var sum = 0.0, scale = 0.0
                                for p in 0..<k {
                                    let t = element(a, ta, ld: lda, i, p) * element(b, tb, ld: ldb, p, j)
                                    sum += t
                                    scale += abs(t)
                                }
                                let expected = alpha * sum + beta * c0[i * ldc + j]
                                let tolerance = 1e-12 * (abs(alpha) * scale + abs(beta * c0[i * ldc + j]))
                                XCTAssertEqual(c[i * ldc + j], expected, accuracy: tolerance,
                                               "gemm \(m)×\(n)×\(k) \(ta) \(tb) pad \(pad) at (\(i), \(j))")
                            }
                            for j in n..<(n + pad) {   // padding is untouched
                                XCTAssertEqual(c[i * ldc + j], c0[i * ldc + j])
                            }
                        }
                    }
                }
            }
        }
    }

    func testGemmWithBetaZeroIgnoresNaNAndHandlesEmptyInnerDimension() {
        let a: [Double] = [1, 2, 3, 4, 5, 6]       // 2×3
        let b: [Double] = [1, 0, 0, 1, 1, 1]       // 3×2
        var c = [Double](repeating: .nan, count: 4)
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer {
            BLAS.gemm(m: 2, n: 2, k: 3, a: pa, b: pb, c: $0)
        } } }
        XCTAssertEqual(c, [4, 5, 10, 11])
        var d: [Double] = [1, 2, 3, 4]
        [Double]().withUnsafeBufferPointer { e in d.withUnsafeMutableBufferPointer {
            BLAS.gemm(m: 2, n: 2, k: 0, a: e, b: e, beta: 2, c: $0)
        } }
        XCTAssertEqual(d, [2, 4, 6, 8])
    }

    func testGemvMatchesNaiveLoops() {
        for (m, n) in [(1, 1), (5, 3), (3, 5), (100, 37)] {
            for t in [BLAS.Transpose.none, .transposed] {
                let a = randomMatrix(m * n, seed: 4)
                let (xCount, yCount) = t == .none ? (n, m) : (m, n)
                let x = randomMatrix(xCount, seed: 5)
                var y = randomMatrix(yCount, seed: 6)
                let y0 = y
                a.withUnsafeBufferPointer { pa in x.withUnsafeBufferPointer { px in
                    y.withUnsafeMutableBufferPointer {
                        BLAS.gemv(trans: t, m: m, n: n, alpha: 1.5, a: pa, x: px, beta: 0.5, y: $0)
                    }
                } }
                for i in 0..<yCount {
                    var sum = 0.0, scale = 0.0
                    for j in 0..<xCount {
                        let term = (t == .none ? a[i * n + j] : a[j * n + i]) * x[j]
                        sum += term
                        scale += abs(term)
                    }
                    XCTAssertEqual(y[i], 1.5 * sum + 0.5 * y0[i],
                                   accuracy: 1e-12 * (1.5 * scale + abs(0.5 * y0[i])),
                                   "gemv \(m)×\(n) \(t) at \(i)")
                }
            }
        }
    }

    func testAxpyAndDot() {
        for n in [0, 1, 7, 1000] {
            let x = randomMatrix(n, seed: 7)
            var y = randomMatrix(n, seed: 8)
            let y0 = y
            x.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer {
                BLAS.axpy(alpha: -2.5, x: px, y: $0)
            } }
            for i in 0..<n {
                XCTAssertEqual(y[i], y0[i] - 2.5 * x[i], accuracy: 1e-12 * (abs(y0[i]) + abs(2.5 * x[i])))
            }
            let dot = x.withUnsafeBufferPointer { px in y0.withUnsafeBufferPointer { BLAS.dot(px, $0) } }
            let naive = zip(x, y0).reduce(0) { $0 + $1.0 * $1.1 }
            let scale = zip(x, y0).reduce(0) { $0 + abs($1.0 * $1.1) }
            XCTAssertEqual(dot, naive, accuracy: 1e-12 * max(scale, 1))
        }
    }

    func testFloatWrappersAgreeWithDoubleResults() {
        let m = 6, n = 5, k = 4
        let a = randomMatrix(m * k, seed: 9), b = randomMatrix(k * n, seed: 10)
        var cd = [Double](repeating: 0, count: m * n)
        var cf = [Float](repeating: 0, count: m * n)
        let af = a.map(Float.init), bf = b.map(Float.init)
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in cd.withUnsafeMutableBufferPointer {
            BLAS.gemm(m: m, n: n, k: k, a: pa, b: pb, c: $0)
        } } }
        af.withUnsafeBufferPointer { pa in bf.withUnsafeBufferPointer { pb in cf.withUnsafeMutableBufferPointer {
            BLAS.gemm(m: m, n: n, k: k, a: pa, b: pb, c: $0)
        } } }
        for i in 0..<(m * n) { XCTAssertEqual(Double(cf[i]), cd[i], accuracy: 1e-5) }

        let x = randomMatrix(k, seed: 11)
        var yd = [Double](repeating: 0, count: m), yf = [Float](repeating: 0, count: m)
        let xf = x.map(Float.init)
        a.withUnsafeBufferPointer { pa in x.withUnsafeBufferPointer { px in yd.withUnsafeMutableBufferPointer {
            BLAS.gemv(m: m, n: k, a: pa, x: px, y: $0)
        } } }
        af.withUnsafeBufferPointer { pa in xf.withUnsafeBufferPointer { px in yf.withUnsafeMutableBufferPointer {
            BLAS.gemv(m: m, n: k, a: pa, x: px, y: $0)
        } } }
        for i in 0..<m { XCTAssertEqual(Double(yf[i]), yd[i], accuracy: 1e-5) }

        var zf = xf
        xf.withUnsafeBufferPointer { px in zf.withUnsafeMutableBufferPointer { BLAS.axpy(alpha: 2, x: px, y: $0) } }
        XCTAssertEqual(zf, xf.map { 3 * $0 })
        let df = xf.withUnsafeBufferPointer { BLAS.dot($0, $0) }
        XCTAssertEqual(Double(df), x.reduce(0) { $0 + $1 * $1 }, accuracy: 1e-5)
    }

    func testConfigurationAndThreads() {
        XCTAssertTrue(BLAS.configuration.contains("OpenBLAS"), BLAS.configuration)
        XCTAssertFalse(BLAS.coreName.isEmpty)
        let before = BLAS.threads
        XCTAssertGreaterThanOrEqual(before, 1)
        BLAS.threads = 1
        XCTAssertEqual(BLAS.threads, 1)
        BLAS.threads = before
        XCTAssertEqual(BLAS.threads, before)
    }
}
