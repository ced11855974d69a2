// Helpers shared by the Learning tests: seeded random arrays, running a layer on arrays, and the
// central finite-difference check of a layer's backward pass.

import Learning
import Numerics
import XCTest

/// `count` numbers uniform in (−scale, scale), fixed by `seed`.
func randomValues(_ count: Int, seed: Int, scale: Double = 1) -> [Double] {
    var s = RandomStream(seed: 2024, purpose: RandomStream.Purpose(rawValue: 250), site: seed)
    return (0..<count).map { _ in scale * (2 * s.uniform() - 1) }
}

/// The layer's output for `input` (batch × inputSize) as an array.
func runForward<L: Layer>(_ layer: L, _ input: [L.Scalar], batch: Int, parameters: [L.Scalar], pass: Pass) -> [L.Scalar] {
    var output = [L.Scalar](repeating: .nan, count: batch * layer.outputSize)
    input.withUnsafeBufferPointer { x in
        parameters.withUnsafeBufferPointer { p in
            output.withUnsafeMutableBufferPointer { y in layer.forward(x, output: y, batch: batch, parameters: p, pass: pass) }
        }
    }
    return output
}

/// (∂L/∂input, ∂L/∂parameters) from the layer's backward pass, after a forward pass on the same data.
func runBackward<L: Layer>(_ layer: L, _ input: [L.Scalar], batch: Int, parameters: [L.Scalar], pass: Pass,
                           outputGradient: [L.Scalar]) -> (input: [L.Scalar], parameters: [L.Scalar]) {
    let output = runForward(layer, input, batch: batch, parameters: parameters, pass: pass)
    var inputGradient = [L.Scalar](repeating: .nan, count: input.count)
    var parameterGradient = [L.Scalar](repeating: .nan, count: parameters.count)
    input.withUnsafeBufferPointer { x in
        output.withUnsafeBufferPointer { y in
            outputGradient.withUnsafeBufferPointer { dy in
                parameters.withUnsafeBufferPointer { p in
                    inputGradient.withUnsafeMutableBufferPointer { dx in
                        parameterGradient.withUnsafeMutableBufferPointer { dp in
                            layer.backward(input: x, output: y, outputGradient: dy, inputGradient: dx, batch: batch,
                                           parameters: p, parameterGradient: dp, pass: pass)
                        }
                    }
                }
            }
        }
    }
    return (inputGradient, parameterGradient)
}

/// max |a − b| / max |a|: the error of a gradient relative to its largest component.
func relativeError(_ analytic: [Double], _ numeric: [Double]) -> Double {
    precondition(analytic.count == numeric.count)
    let scale = max(analytic.map(abs).max() ?? 0, numeric.map(abs).max() ?? 0, 1e-300)
    return zip(analytic, numeric).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
}

/// Checks both gradients of `layer` against central differences of L = Σ r·output with random r,
/// at random inputs and parameters (biases included), to relative error `tolerance`.
func checkGradients<L: Layer>(_ layer: L, batch: Int, pass: Pass? = nil, inputScale: Double = 1, seed: Int = 1,
                              tolerance: Double = 1e-6, file: StaticString = #filePath, line: UInt = #line)
    where L.Scalar == Double {
    let pass = pass ?? Pass(training: true, seed: 5, step: 3, sampleIDs: Array(0..<batch))
    let input = randomValues(batch * layer.inputSize, seed: seed, scale: inputScale)
    let parameters = randomValues(layer.parameterCount, seed: seed + 1, scale: 0.7)
    let r = randomValues(batch * layer.outputSize, seed: seed + 2)
    func objective(_ x: [Double], _ p: [Double]) -> Double {
        zip(runForward(layer, x, batch: batch, parameters: p, pass: pass), r).reduce(0) { $0 + $1.0 * $1.1 }
    }
    let analytic = runBackward(layer, input, batch: batch, parameters: parameters, pass: pass, outputGradient: r)
    let h = 1e-5
    func difference(_ values: [Double], _ evaluate: ([Double]) -> Double) -> [Double] {
        values.indices.map { i in
            var plus = values, minus = values
            plus[i] += h
            minus[i] -= h
            return (evaluate(plus) - evaluate(minus)) / (2 * h)
        }
    }
    let numericInput = difference(input) { objective($0, parameters) }
    let numericParameters = difference(parameters) { objective(input, $0) }
    let inputError = relativeError(analytic.input, numericInput)
    XCTAssertLessThan(inputError, tolerance, "\(layer.specification) ∂L/∂input", file: file, line: line)
    if layer.parameterCount > 0 {
        let parameterError = relativeError(analytic.parameters, numericParameters)
        XCTAssertLessThan(parameterError, tolerance, "\(layer.specification) ∂L/∂θ", file: file, line: line)
    }
}
