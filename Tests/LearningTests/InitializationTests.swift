// Initial weights: He and Glorot variances within a stated statistical tolerance, zero biases, and
// the same weights from the same stream.

import Learning
import Numerics
import XCTest

final class InitializationTests: XCTestCase {
    private func initialized(_ layer: any Layer<Double>, seed: UInt64) -> [Double] {
        var p = [Double](repeating: .nan, count: layer.parameterCount)
        p.withUnsafeMutableBufferPointer {
            layer.initialize($0, random: RandomStream(seed: seed, purpose: .learningInitialization, replica: 0))
        }
        return p
    }

    /// Asserts the sample variance of `w` is `expected` to within 5 standard errors: for n normal
    /// deviates the sample variance has relative standard error √(2/(n − 1)).
    private func assertVariance(_ w: ArraySlice<Double>, _ expected: Double, file: StaticString = #filePath, line: UInt = #line) {
        let n = Double(w.count)
        let mean = w.reduce(0, +) / n
        let variance = w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        XCTAssertEqual(variance / expected, 1, accuracy: 5 * (2 / (n - 1)).squareRoot(), file: file, line: line)
        XCTAssertEqual(mean, 0, accuracy: 5 * (expected / n).squareRoot(), file: file, line: line)
    }

    func testHeDenseVarianceAndZeroBiases() {
        let layer = Dense<Double>(inputShape: [500], units: 200, initialization: .he)
        let p = initialized(layer, seed: 42)
        assertVariance(p[0..<100_000], 2.0 / 500)
        XCTAssertTrue(p[100_000...].allSatisfy { $0 == 0 })
        XCTAssertEqual(p, initialized(layer, seed: 42))
        XCTAssertNotEqual(p, initialized(layer, seed: 43))
    }

    func testGlorotConvolutionVariance() {
        let layer = Convolution2D<Double>(inputShape: [32, 8, 8], channels: 64, kernel: 3, initialization: .glorot)
        let p = initialized(layer, seed: 7)
        let weights = 64 * 32 * 9
        assertVariance(p[0..<weights], 2.0 / Double(32 * 9 + 64 * 9))
        XCTAssertTrue(p[weights...].allSatisfy { $0 == 0 })
        XCTAssertEqual(Initialization.he.standardDeviation(fanIn: 8, fanOut: 1000), 0.5)
    }

    func testFloatLayerDrawsTheSameWeightsRounded() {
        let double = initialized(Dense<Double>(inputShape: [6], units: 3, initialization: .he), seed: 1)
        let layer = Dense<Float>(inputShape: [6], units: 3, initialization: .he)
        var p = [Float](repeating: .nan, count: layer.parameterCount)
        p.withUnsafeMutableBufferPointer { layer.initialize($0, random: RandomStream(seed: 1, purpose: .learningInitialization)) }
        XCTAssertEqual(p, double.map(Float.init))
    }
}
