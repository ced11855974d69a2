import Phi4
import XCTest

final class StepSizeTunerTests: XCTestCase {
    /// A field relaxing from its start (large negative ΔH) must not read as perfect acceptance.
    func testRelaxationShrinksTheStep() {
        var tuner = StepSizeTuner(trajectoryLength: 1, steps: 4, target: 0.8)
        for _ in 0..<50 { tuner.record(deltaH: -30) }
        XCTAssertGreaterThan(tuner.steps, 4)
    }

    /// On a free-field-like model where acceptance = erfc(½√⟨ΔH⟩) with ⟨ΔH⟩ = c ε⁴, the frozen step
    /// count is one of the two whole counts that bracket the target.
    func testConvergesToTheTargetAndFreezesOnTheAverage() {
        var tuner = StepSizeTuner(trajectoryLength: 1, steps: 2, target: 0.8)
        let c = 40.0
        for _ in 0..<3000 {
            let eps = tuner.stepSize
            // The deterministic |ΔH| whose e^{−|ΔH|} is the acceptance erfc(½√(cε⁴)) of that step size.
            tuner.record(deltaH: -log(erfc(0.5 * (c * pow(eps, 4)).squareRoot())))
        }
        tuner.freeze()
        func acceptance(_ n: Int) -> Double { erfc(0.5 * (c * pow(1 / Double(n), 4)).squareRoot()) }
        let best = (1...100).first { acceptance($0) >= 0.8 }!
        XCTAssertTrue([best - 1, best].contains(tuner.steps),
                      "frozen at \(tuner.steps) steps (acceptance \(acceptance(tuner.steps))); \(best) is the fewest reaching 0.8")
    }
}
