// Optimiser steps against torch.optim (numbers printed once by PyTorch 2.13 in float64 from the
// same parameters, gradients and settings) and against the formulas written out here; Adam on a
// quadratic; the learning-rate schedule's endpoints.

import Learning
import XCTest

final class OptimizerTests: XCTestCase {
    private let start = [0.5, -1.25, 2.0]
    private let gradients = [[0.1, -0.2, 0.3], [-0.4, 0.25, 0.05], [0.2, 0.2, -0.1]]

    /// The parameters after each of the three steps.
    private func trajectory(_ kind: OptimizerKind, weightDecay: Double, learningRate: Double) -> [[Double]] {
        var optimizer = Optimizer<Double>(kind: kind, weightDecay: weightDecay, parameterCount: 3)
        var p = start
        return gradients.map { g in
            p.withUnsafeMutableBufferPointer { p in
                g.withUnsafeBufferPointer { optimizer.update(parameters: p, gradients: $0, learningRate: learningRate) }
            }
            return p
        }
    }

    private func assertClose(_ a: [[Double]], _ b: [[Double]], _ tolerance: Double = 1e-12, file: StaticString = #filePath, line: UInt = #line) {
        for (x, y) in zip(a.joined(), b.joined()) { XCTAssertEqual(x, y, accuracy: tolerance * max(1, abs(y)), file: file, line: line) }
    }

    func testSGDMomentumMatchesPyTorchAndTheFormula() {
        let torch = [[0.4895, -1.22875, 1.968],
                     [0.5195605, -1.23339625, 1.932232],
                     [0.5260953895, -1.25634447875, 1.9081085679999998]]
        assertClose(trajectory(.sgd(momentum: 0.9, nesterov: false), weightDecay: 0.01, learningRate: 0.1), torch)
        // g ← g + λθ; b ← g on the first step, μb + g after; θ ← θ − lr·b.
        var p = start, b = [0.0, 0, 0], expected: [[Double]] = []
        for (step, g) in gradients.enumerated() {
            for i in 0..<3 {
                let d = g[i] + 0.01 * p[i]
                b[i] = step == 0 ? d : 0.9 * b[i] + d
                p[i] -= 0.1 * b[i]
            }
            expected.append(p)
        }
        assertClose(expected, torch, 1e-14)
    }

    func testNesterovMatchesPyTorch() {
        let torch = [[0.48005, -1.209625, 1.9392],
                     [0.546632905, -1.2376142125, 1.90009552],
                     [0.5319509619805, -1.27704169924625, 1.886536586512]]
        assertClose(trajectory(.sgd(momentum: 0.9, nesterov: true), weightDecay: 0.01, learningRate: 0.1), torch)
    }

    func testAdamAndAdamWMatchPyTorch() {
        let adam = [[0.4900000009999999, -1.2400000005, 1.9900000003333334],
                    [0.4955950357485128, -1.2416273230448174, 1.9821667272150607],
                    [0.49669677234642673, -1.246080189231454, 1.9784121864182729]]
        assertClose(trajectory(.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8), weightDecay: 0, learningRate: 0.01), adam)
        let adamW = [[0.489500099999, -1.2387500499997501, 1.9880000333332222],
                     [0.495094832875883, -1.2397187035887414, 1.978502684626353],
                     [0.4954665815304172, -1.2435938176035102, 1.9735859433981393]]
        assertClose(trajectory(.adam(beta1: 0.8, beta2: 0.99, epsilon: 1e-6), weightDecay: 0.1, learningRate: 0.01), adamW)
        // The first Adam step moves each parameter by lr·g/(|g| + ε') ≈ lr·sign(g) whatever |g|.
        let firstStep = zip(start, adam[0]).map { $0 - $1 }
        for (d, g) in zip(firstStep, gradients[0]) { XCTAssertEqual(d, 0.01 * (g > 0 ? 1 : -1), accuracy: 1e-8) }
    }

    func testStateLayoutAndDeterminism() {
        XCTAssertEqual(Optimizer<Float>(kind: .sgd(momentum: 0, nesterov: false), parameterCount: 5).state.count, 0)
        XCTAssertEqual(Optimizer<Float>(kind: .sgd(momentum: 0.9, nesterov: false), parameterCount: 5).state.count, 5)
        XCTAssertEqual(Optimizer<Float>(kind: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8), parameterCount: 5).state.count, 10)
        // A restored copy continues bit for bit like the original.
        var a = Optimizer<Float>(kind: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8), weightDecay: 0.01, parameterCount: 3)
        var pa: [Float] = [1, 2, 3]
        let g: [Float] = [0.3, -0.1, 0.7]
        pa.withUnsafeMutableBufferPointer { p in g.withUnsafeBufferPointer { a.update(parameters: p, gradients: $0, learningRate: 0.1) } }
        var b = Optimizer<Float>(kind: a.kind, weightDecay: a.weightDecay, parameterCount: 3)
        b.state = a.state
        b.stepsTaken = a.stepsTaken
        var pb = pa
        for _ in 0..<3 {
            pa.withUnsafeMutableBufferPointer { p in g.withUnsafeBufferPointer { a.update(parameters: p, gradients: $0, learningRate: 0.1) } }
            pb.withUnsafeMutableBufferPointer { p in g.withUnsafeBufferPointer { b.update(parameters: p, gradients: $0, learningRate: 0.1) } }
        }
        XCTAssertEqual(pa.map(\.bitPattern), pb.map(\.bitPattern))
        XCTAssertEqual(a.stepsTaken, 4)
    }

    func testAdamMinimisesAQuadratic() {
        // f(θ) = ½ Σ cᵢ (θᵢ − tᵢ)², minimum at t.
        let c = [1.0, 10.0, 0.1, 3.0], target = [1.0, -2.0, 0.5, 3.0]
        var theta = [0.0, 0, 0, 0]
        var optimizer = Optimizer<Double>(kind: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8), parameterCount: 4)
        let schedule = LearningRateSchedule(base: 0.1, warmupSteps: 10, totalSteps: 2000, minimum: 1e-4, cosine: true)
        for step in 0..<2000 {
            let g = (0..<4).map { c[$0] * (theta[$0] - target[$0]) }
            theta.withUnsafeMutableBufferPointer { p in
                g.withUnsafeBufferPointer { optimizer.update(parameters: p, gradients: $0, learningRate: schedule.rate(atStep: step)) }
            }
        }
        for i in 0..<4 { XCTAssertEqual(theta[i], target[i], accuracy: 1e-3) }
    }

    func testScheduleWarmupAndCosineEndpoints() {
        let s = LearningRateSchedule(base: 0.1, warmupSteps: 4, totalSteps: 104, minimum: 0.001, cosine: true)
        XCTAssertEqual(s.rate(atStep: 0), 0.025, accuracy: 1e-15)
        XCTAssertEqual(s.rate(atStep: 1), 0.05, accuracy: 1e-15)
        XCTAssertEqual(s.rate(atStep: 3), 0.1, accuracy: 1e-15)
        XCTAssertEqual(s.rate(atStep: 4), 0.1, accuracy: 1e-15)
        XCTAssertEqual(s.rate(atStep: 54), (0.1 + 0.001) / 2, accuracy: 1e-15)
        XCTAssertEqual(s.rate(atStep: 104), 0.001)
        XCTAssertEqual(s.rate(atStep: 500), 0.001)
        XCTAssertGreaterThan(s.rate(atStep: 103), 0.001)
        let constant = LearningRateSchedule(base: 0.02)
        XCTAssertEqual(constant.rate(atStep: 0), 0.02)
        XCTAssertEqual(constant.rate(atStep: 10_000), 0.02)
        var warm = constant
        warm.warmupSteps = 2
        XCTAssertEqual(warm.rate(atStep: 0), 0.01)
        XCTAssertEqual(warm.rate(atStep: 7), 0.02)
    }
}
