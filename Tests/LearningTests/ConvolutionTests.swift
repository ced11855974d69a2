// The periodic convolution: forward against a direct loop over the window, gradients against finite
// differences (non-square lattices, kernels 1, 3 and 5 where the window wraps), every grouping of
// samples per gemm, and Float32 against Float64.

import Learning
import Numerics
import XCTest

final class ConvolutionTests: XCTestCase {
    /// out[b, f, x, y] = bias[f] + Σ W[f, c, i, j]·in[b, c, (x + i − r) mod X, (y + j − r) mod Y].
    private func directConvolution(_ input: [Double], _ parameters: [Double], batch: Int, c: Int, x: Int, y: Int,
                                   f: Int, k: Int) -> [Double] {
        let r = k / 2
        var out = [Double](repeating: 0, count: batch * f * x * y)
        for b in 0..<batch {
            for o in 0..<f {
                for i in 0..<x {
                    for j in 0..<y {
                        var sum = parameters[f * c * k * k + o]
                        for ci in 0..<c {
                            for di in 0..<k {
                                for dj in 0..<k {
                                    let xi = ((i + di - r) % x + x) % x, yj = ((j + dj - r) % y + y) % y
                                    sum += parameters[((o * c + ci) * k + di) * k + dj] * input[((b * c + ci) * x + xi) * y + yj]
                                }
                            }
                        }
                        out[((b * f + o) * x + i) * y + j] = sum
                    }
                }
            }
        }
        return out
    }

    private let shapes: [(c: Int, x: Int, y: Int, f: Int, k: Int)] = [
        (2, 5, 4, 3, 3), (2, 3, 5, 3, 1), (1, 5, 6, 2, 5), (3, 7, 7, 2, 3), (2, 4, 4, 4, 3), (2, 3, 3, 2, 3), (1, 1, 4, 2, 1),
    ]

    func testForwardMatchesDirectPeriodicConvolution() {
        for (n, s) in shapes.enumerated() {
            for group in [1, 2, 3] {
                let batch = 3
                let layer = Convolution2D<Double>(inputShape: [s.c, s.x, s.y], channels: s.f, kernel: s.k, initialization: .he)
                layer.samplesPerGEMM = group
                let input = randomValues(batch * layer.inputSize, seed: 10 * n)
                let parameters = randomValues(layer.parameterCount, seed: 10 * n + 1)
                let output = runForward(layer, input, batch: batch, parameters: parameters, pass: .inference(batch: batch))
                let expected = directConvolution(input, parameters, batch: batch, c: s.c, x: s.x, y: s.y, f: s.f, k: s.k)
                XCTAssertLessThan(zip(output, expected).map { abs($0 - $1) }.max()!, 1e-12, "\(s), \(group) per gemm")
            }
        }
    }

    func testGradientsMatchFiniteDifferences() {
        for (n, s) in shapes.enumerated() {
            for group in [1, 2] {
                let layer = Convolution2D<Double>(inputShape: [s.c, s.x, s.y], channels: s.f, kernel: s.k, initialization: .he)
                layer.samplesPerGEMM = group
                checkGradients(layer, batch: 3, seed: 20 * n + group)
            }
        }
    }

    func testFloatForwardAgreesWithDouble() {
        let batch = 4
        let double = Convolution2D<Double>(inputShape: [3, 8, 6], channels: 5, kernel: 3, initialization: .he)
        let float = Convolution2D<Float>(inputShape: [3, 8, 6], channels: 5, kernel: 3, initialization: .he)
        let input = randomValues(batch * double.inputSize, seed: 7)
        let parameters = randomValues(double.parameterCount, seed: 8)
        let reference = runForward(double, input, batch: batch, parameters: parameters, pass: .inference(batch: batch))
        let single = runForward(float, input.map(Float.init), batch: batch, parameters: parameters.map(Float.init),
                                pass: .inference(batch: batch))
        XCTAssertLessThan(relativeError(single.map(Double.init), reference), 1e-5)
    }

    func testBackwardWithoutInputGradientGivesTheSameParameterGradient() {
        let layer = Convolution2D<Double>(inputShape: [2, 5, 4], channels: 3, kernel: 3, initialization: .he)
        let batch = 2
        let input = randomValues(batch * layer.inputSize, seed: 1), parameters = randomValues(layer.parameterCount, seed: 2)
        let dy = randomValues(batch * layer.outputSize, seed: 3)
        let pass = Pass.inference(batch: batch)
        let full = runBackward(layer, input, batch: batch, parameters: parameters, pass: pass, outputGradient: dy)
        var dp = [Double](repeating: .nan, count: parameters.count)
        let output = runForward(layer, input, batch: batch, parameters: parameters, pass: pass)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeBufferPointer { y in
                dy.withUnsafeBufferPointer { g in
                    parameters.withUnsafeBufferPointer { p in
                        dp.withUnsafeMutableBufferPointer {
                            layer.backward(input: x, output: y, outputGradient: g, inputGradient: nil, batch: batch,
                                           parameters: p, parameterGradient: $0, pass: pass)
                        }
                    }
                }
            }
        }
        XCTAssertEqual(dp, full.parameters)
    }
}
