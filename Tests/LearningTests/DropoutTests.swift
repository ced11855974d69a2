// Dropout: gradients with the mask of the same pass, masks keyed by (seed, layer, step, sample id)
// so splitting a batch changes nothing, identity at inference, and the kept fraction.

import Learning
import Numerics
import XCTest

final class DropoutTests: XCTestCase {
    private func training(_ ids: [Int], seed: UInt64 = 9, step: Int = 4, layer: Int = 2) -> Pass {
        var pass = Pass(training: true, seed: seed, step: step, sampleIDs: ids)
        pass.layer = layer
        return pass
    }

    func testGradientWithTheSameMask() {
        checkGradients(Dropout<Double>(inputShape: [3, 5], rate: 0.4), batch: 3, pass: training([7, 1, 30]))
    }

    func testMaskDependsOnlyOnSeedLayerStepAndSampleID() {
        let layer = Dropout<Double>(inputShape: [4, 6], rate: 0.3)
        let size = layer.inputSize
        let input = randomValues(4 * size, seed: 1)
        let whole = runForward(layer, input, batch: 4, parameters: [], pass: training([10, 11, 12, 13]))
        let front = runForward(layer, Array(input[0..<(2 * size)]), batch: 2, parameters: [], pass: training([10, 11]))
        let back = runForward(layer, Array(input[(2 * size)...]), batch: 2, parameters: [], pass: training([12, 13]))
        XCTAssertEqual(whole, front + back)
        // Reordered samples carry their masks with them.
        let swapped = runForward(layer, Array(input[(2 * size)..<(3 * size)] + input[0..<size]), batch: 2, parameters: [],
                                 pass: training([12, 10]))
        XCTAssertEqual(swapped, Array(whole[(2 * size)..<(3 * size)] + whole[0..<size]))
        // Another step, layer or seed gives another mask.
        XCTAssertNotEqual(runForward(layer, input, batch: 4, parameters: [], pass: training([10, 11, 12, 13], step: 5)), whole)
        XCTAssertNotEqual(runForward(layer, input, batch: 4, parameters: [], pass: training([10, 11, 12, 13], layer: 3)), whole)
        XCTAssertNotEqual(runForward(layer, input, batch: 4, parameters: [], pass: training([10, 11, 12, 13], seed: 1)), whole)
    }

    func testInferenceIsTheIdentity() {
        let layer = Dropout<Float>(inputShape: [5], rate: 0.5)
        let input = randomValues(15, seed: 3).map(Float.init)
        XCTAssertEqual(runForward(layer, input, batch: 3, parameters: [], pass: .inference(batch: 3)), input)
        let dy = randomValues(15, seed: 4).map(Float.init)
        XCTAssertEqual(runBackward(layer, input, batch: 3, parameters: [], pass: .inference(batch: 3), outputGradient: dy).input, dy)
    }

    func testKeptFractionAndScale() {
        let rate = 0.3, batch = 50, size = 400
        let layer = Dropout<Double>(inputShape: [size], rate: rate)
        let output = runForward(layer, [Double](repeating: 1, count: batch * size), batch: batch, parameters: [],
                                pass: training(Array(100..<(100 + batch))))
        let kept = output.filter { $0 != 0 }
        XCTAssertTrue(kept.allSatisfy { abs($0 - 1 / (1 - rate)) < 1e-15 })
        let n = Double(batch * size), fraction = Double(kept.count) / n
        XCTAssertEqual(fraction, 1 - rate, accuracy: 4 * (rate * (1 - rate) / n).squareRoot())
    }
}
