import Ising
import XCTest

/// Binder cumulants of growing lattices cross at the critical temperature.
final class BinderCrossingTests: XCTestCase {
    /// Where U₄(L₂) − U₄(L₁) changes sign, by linear interpolation between neighbouring temperatures.
    func crossing(_ temperatures: [Double], _ small: [Sampled], _ large: [Sampled]) -> Double? {
        let difference = zip(small, large).map { $1.binder.value - $0.binder.value }
        for i in 0..<(difference.count - 1) where difference[i] > 0 && difference[i + 1] <= 0 {
            let f = difference[i] / (difference[i] - difference[i + 1])
            return temperatures[i] + f * (temperatures[i + 1] - temperatures[i])
        }
        return nil
    }

    func testTwoDimensionalCrossingsWithinOnePercentOfOnsager() throws {
        let tc = ExactIsing2D.criticalTemperature
        let temperatures = [2.18, 2.22, 2.25, 2.28, 2.31, 2.35]
        let samples = try [8, 16, 32].map { l in
            try Sampled.run(extents: [l, l], temperatures: temperatures, algorithms: [.wolff, .metropolis], sweeps: 20_000, thermalization: 500)
        }
        for (a, b) in [(0, 1), (1, 2)] {
            let t = try XCTUnwrap(crossing(temperatures, samples[a], samples[b]), "no crossing of L = \([8, 16, 32][a]) and \([8, 16, 32][b])")
            print("2D Binder crossing L = \([8, 16, 32][a]), \([8, 16, 32][b]): T = \(t) (T_c = \(tc), \(100 * (t - tc) / tc)%)")
            XCTAssertLessThan(abs(t - tc) / tc, 0.01)
        }
    }

    func testThreeDimensionalCrossingWithinOnePercent() throws {
        let tc = 1 / Ising3DReference.criticalCoupling
        let temperatures = [4.40, 4.45, 4.49, 4.53, 4.57, 4.62]
        let samples = try [8, 16].map { l in
            try Sampled.run(extents: [l, l, l], temperatures: temperatures, algorithms: [.wolff, .metropolis], sweeps: 6_000, thermalization: 300)
        }
        let t = try XCTUnwrap(crossing(temperatures, samples[0], samples[1]), "no crossing of L = 8 and 16")
        print("3D Binder crossing L = 8, 16: T = \(t) (T_c = \(tc), \(100 * (t - tc) / tc)%)")
        XCTAssertLessThan(abs(t - tc) / tc, 0.01)
    }
}
