// Losses: gradients against central differences, known values, accuracy counts, predictions and the
// target checks' messages.

import Learning
import XCTest

final class LossTests: XCTestCase {
    private func evaluate(_ loss: Loss, _ z: [Double], _ t: [Double], batch: Int, width: Int) -> (LossValue, [Double]) {
        var g = [Double](repeating: .nan, count: z.count)
        let value = z.withUnsafeBufferPointer { z in
            t.withUnsafeBufferPointer { t in
                g.withUnsafeMutableBufferPointer { loss.evaluate(outputs: z, targets: t, batch: batch, width: width, gradient: $0) }
            }
        }
        return (value, g)
    }

    func testGradientsMatchFiniteDifferences() {
        let batch = 3, width = 4
        let z = randomValues(batch * width, seed: 11, scale: 3)
        let targets: [Loss: [Double]] = [
            .softmaxCrossEntropy: [2, 0, 3],
            .binaryCrossEntropy: randomValues(batch * width, seed: 12).map { $0 > 0 ? 1 : ($0 > -0.5 ? 0.25 : 0) },
            .meanSquaredError: randomValues(batch * width, seed: 13),
        ]
        for loss in Loss.allCases {
            let t = targets[loss]!
            XCTAssertEqual(t.count, batch * loss.targetWidth(outputWidth: width))
            let (_, analytic) = evaluate(loss, z, t, batch: batch, width: width)
            let h = 1e-6
            let numeric = z.indices.map { i -> Double in
                var plus = z, minus = z
                plus[i] += h
                minus[i] -= h
                return (evaluate(loss, plus, t, batch: batch, width: width).0.sum
                        - evaluate(loss, minus, t, batch: batch, width: width).0.sum) / (2 * h)
            }
            XCTAssertLessThan(relativeError(analytic, numeric), 1e-6, "\(loss)")
        }
    }

    func testKnownValuesAndCounts() {
        // Equal logits: −log(1/width) per sample; argmax is the first class.
        let (ce, _) = evaluate(.softmaxCrossEntropy, [0, 0, 0, 1, 5, 2], [0, 2], batch: 2, width: 3)
        XCTAssertEqual(ce.sum, log(3.0) + (5 + log(exp(-4) + 1 + exp(-3)) - 2), accuracy: 1e-12)
        XCTAssertEqual(ce.correct, 1)
        // Huge logits stay finite: log(1 + e^1000) ≈ 1000.
        let (bce, g) = evaluate(.binaryCrossEntropy, [1000, -1000, 0], [0, 0, 1], batch: 1, width: 3)
        XCTAssertEqual(bce.sum, 1000 + 0 + log(2.0), accuracy: 1e-9)
        XCTAssertEqual(g, [1, 0, -0.5])
        XCTAssertEqual(bce.correct, 1)
        let (mse, mg) = evaluate(.meanSquaredError, [1, 2, 3, 4], [0, 2, 3, 2], batch: 2, width: 2)
        XCTAssertEqual(mse.sum, 0.5 + 2)
        XCTAssertEqual(mg, [1, 0, 0, 2])
        XCTAssertEqual(mse.correct, 0)
    }

    func testFloatEvaluationAgreesWithDouble() {
        let z = randomValues(8, seed: 3, scale: 2), t: [Double] = [1, 3]
        let (reference, referenceGradient) = evaluate(.softmaxCrossEntropy, z, t, batch: 2, width: 4)
        var g = [Float](repeating: .nan, count: 8)
        let zf = z.map(Float.init), tf = t.map(Float.init)
        let value = zf.withUnsafeBufferPointer { z in
            tf.withUnsafeBufferPointer { t in
                g.withUnsafeMutableBufferPointer { Loss.softmaxCrossEntropy.evaluate(outputs: z, targets: t, batch: 2, width: 4, gradient: $0) }
            }
        }
        XCTAssertEqual(value.sum, reference.sum, accuracy: 1e-6)
        XCTAssertLessThan(relativeError(g.map(Double.init), referenceGradient), 1e-6)
    }

    func testPredictions() {
        let z: [Double] = [1, 2, 3, -1, 0, 1]
        var p = [Double](repeating: .nan, count: 6)
        z.withUnsafeBufferPointer { z in p.withUnsafeMutableBufferPointer { Loss.softmaxCrossEntropy.prediction(outputs: z, batch: 2, width: 3, into: $0) } }
        XCTAssertEqual(p[0] + p[1] + p[2], 1, accuracy: 1e-15)
        XCTAssertEqual(p[2] / p[1], exp(1.0), accuracy: 1e-12)
        z.withUnsafeBufferPointer { z in p.withUnsafeMutableBufferPointer { Loss.binaryCrossEntropy.prediction(outputs: z, batch: 2, width: 3, into: $0) } }
        XCTAssertEqual(p[4], 0.5)
        XCTAssertEqual(p[0], 1 / (1 + exp(-1.0)), accuracy: 1e-15)
        z.withUnsafeBufferPointer { z in p.withUnsafeMutableBufferPointer { Loss.meanSquaredError.prediction(outputs: z, batch: 2, width: 3, into: $0) } }
        XCTAssertEqual(p, z)
    }

    func testTargetValidationMessages() {
        func check(_ loss: Loss, _ t: [Double], width: Int) -> String? {
            t.withUnsafeBufferPointer { loss.validate(targets: $0, width: width) }
        }
        XCTAssertNil(check(.softmaxCrossEntropy, [0, 1, 2], width: 3))
        XCTAssertEqual(check(.softmaxCrossEntropy, [0, 1.5], width: 3), "target 1.5 of sample 1 is not a class index in 0..<3")
        XCTAssertEqual(check(.softmaxCrossEntropy, [3], width: 3), "target 3.0 of sample 0 is not a class index in 0..<3")
        XCTAssertNotNil(check(.softmaxCrossEntropy, [.nan], width: 3))
        XCTAssertNotNil(check(.softmaxCrossEntropy, [0], width: 1))
        XCTAssertNil(check(.binaryCrossEntropy, [0, 1, 0.5, 1], width: 2))
        XCTAssertEqual(check(.binaryCrossEntropy, [0, 1, 2, 1], width: 2), "target 2.0 of sample 1 (output 0) is not in [0, 1]")
        XCTAssertNotNil(check(.binaryCrossEntropy, [0, 1, 1], width: 2))
        XCTAssertNotNil(check(.meanSquaredError, [0, .infinity], width: 2))
        XCTAssertEqual(Loss(rawValue: "softmax_cross_entropy"), .softmaxCrossEntropy)
    }
}
