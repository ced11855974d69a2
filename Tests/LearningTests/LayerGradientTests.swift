// Every layer's backward pass against central finite differences of L = Σ r·output in Float64.

import Learning
import Numerics
import XCTest

final class LayerGradientTests: XCTestCase {
    func testDenseGradients() {
        checkGradients(Dense<Double>(inputShape: [7], units: 4, initialization: .he), batch: 3)
        checkGradients(Dense<Double>(inputShape: [2, 3, 2], units: 5, initialization: .glorot), batch: 2, seed: 4)
    }

    func testActivationGradients() {
        for function in ActivationFunction.allCases {
            checkGradients(Activation<Double>(inputShape: [3, 4], function: function), batch: 2, inputScale: 3)
        }
    }

    func testFlattenAndPoolingGradients() {
        checkGradients(Flatten<Double>(inputShape: [2, 3, 4]), batch: 2)
        checkGradients(GlobalAveragePooling<Double>(inputShape: [3, 5, 4]), batch: 2)
        checkGradients(GlobalAveragePooling<Double>(inputShape: [2, 7]), batch: 3)
    }
}

final class PrecisionTests: XCTestCase {
    /// Every layer kind, built by the factory in both precisions, gives the same forward pass to
    /// Float32's precision (relative to the largest output).
    func testFloatForwardAgreesWithDouble() throws {
        let texts = ["dense units=6", "conv2d channels=3 kernel=3", "global_average_pool", "flatten",
                     "relu", "tanh", "gelu", "sigmoid", "dropout rate=0.25"]
        let shape = [2, 5, 4], batch = 3
        let pass = Pass(training: true, seed: 3, step: 1, sampleIDs: [4, 5, 6])
        for text in texts {
            let specification = try LayerSpecification(parsing: text)
            let double = try specification.makeLayer(inputShape: shape, as: Double.self)
            let float = try specification.makeLayer(inputShape: shape, as: Float.self)
            let input = randomValues(batch * double.inputSize, seed: 1, scale: 2)
            let parameters = randomValues(double.parameterCount, seed: 2)
            let reference = runForward(double, input, batch: batch, parameters: parameters, pass: pass)
            let single = runForward(float, input.map(Float.init), batch: batch, parameters: parameters.map(Float.init), pass: pass)
            XCTAssertLessThan(relativeError(single.map(Double.init), reference), 1e-5, text)
        }
    }
}
