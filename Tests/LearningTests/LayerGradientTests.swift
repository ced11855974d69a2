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
