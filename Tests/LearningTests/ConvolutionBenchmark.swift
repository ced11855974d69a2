// The training benchmark's convolution (batch 64, 16→16 channels, 3×3, 32×32, Float32) timed
// against the raw sgemm calls it makes. Runs only with ENSEMBLE_BENCH_CONV=1 set, since timings
// mean nothing on a loaded test machine and the suite must stay fast.

import Learning
import Numerics
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class ConvolutionBenchmark: XCTestCase {
    private func seconds(_ repeats: Int, _ body: () -> Void) -> Double {
        body()
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            body()
            let d = ContinuousClock.now - start
            best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
        }
        return best
    }

    func testConvolutionForwardBackwardAgainstRawGemm() throws {
        guard getenv("ENSEMBLE_BENCH_CONV") != nil else { throw XCTSkip("set ENSEMBLE_BENCH_CONV=1 to time the convolution") }
        let threads = getenv("ENSEMBLE_BENCH_THREADS").flatMap { Int(String(cString: $0)) } ?? 1
        BLAS.threads = threads
        let batch = 64, c = 16, f = 16, x = 32, k = 3, sites = x * x, rows = c * k * k
        let flops = 3 * 2 * Double(f * rows * sites * batch)
        let input = randomValues(batch * c * sites, seed: 1).map(Float.init)
        let dy = randomValues(batch * f * sites, seed: 2).map(Float.init)
        var output = [Float](repeating: 0, count: batch * f * sites)
        var dx = [Float](repeating: 0, count: batch * c * sites)
        print("threads \(threads), \(BLAS.coreName); forward+backward \(flops / 1e9) GFLOP per batch")
        for group in [1, 2, 4, 64] {
            let layer = Convolution2D<Float>(inputShape: [c, x, x], channels: f, kernel: k, initialization: .he)
            layer.samplesPerGEMM = group
            let any: any Layer<Float> = layer
            var parameters = [Float](repeating: 0, count: layer.parameterCount)
            var dp = parameters
            parameters.withUnsafeMutableBufferPointer { layer.initialize($0, random: RandomStream(seed: 1, purpose: .learningInitialization)) }
            let pass = Pass(training: true, sampleIDs: Array(0..<batch))
            var forward = 0.0
            let total = seconds(10) {
                input.withUnsafeBufferPointer { xin in
                    parameters.withUnsafeBufferPointer { p in
                        output.withUnsafeMutableBufferPointer { y in
                            let start = ContinuousClock.now
                            any.forward(xin, output: y, batch: batch, parameters: p, pass: pass)
                            let d = ContinuousClock.now - start
                            forward = Double(d.components.attoseconds) * 1e-18 + Double(d.components.seconds)
                        }
                        output.withUnsafeBufferPointer { y in
                            dy.withUnsafeBufferPointer { g in
                                dx.withUnsafeMutableBufferPointer { dx in
                                    dp.withUnsafeMutableBufferPointer { dp in
                                        any.backward(input: xin, output: y, outputGradient: g, inputGradient: dx, batch: batch,
                                                     parameters: p, parameterGradient: dp, pass: pass)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // The layer's three gemms (forward, ∂L/∂W with the bias row, ∂L/∂input) on buffers of the same
            // shapes, with no column expansion.
            let n = group * sites
            let a = [Float](repeating: 0.5, count: max(f * (rows + 1), f * n)), b = [Float](repeating: 0.25, count: (rows + 1) * n)
            var out = [Float](repeating: 0, count: max(f, c) * n)
            let gemmOnly = seconds(10) {
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        out.withUnsafeMutableBufferPointer { o in
                            for _ in 0..<(batch / group) {
                                BLAS.gemm(m: f, n: n, k: rows + 1, a: a, b: b, c: o)
                                BLAS.gemm(transB: .transposed, m: rows + 1, n: f, k: n, a: b, b: a, beta: 1, c: o)
                                BLAS.gemm(m: c, n: n, k: f * k * k, a: a, b: b, c: o)
                            }
                        }
                    }
                }
            }
            print(String(format: "samples per gemm %2d: forward %.2f ms, forward+backward %.2f ms = %.1f GFLOP/s; raw sgemm %.2f ms = %.1f GFLOP/s",
                         group, forward * 1e3, total * 1e3, flops / total / 1e9, gemmOnly * 1e3, flops / gemmOnly / 1e9))
        }
    }
}
