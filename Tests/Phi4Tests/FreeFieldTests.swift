import Foundation
import Numerics
import Phi4
import XCTest

/// HMC at λ = 0 against the exact free field (4σ with Γ-method errors, fixed seeds).
final class FreeFieldTests: XCTestCase {
    func testExactPropagatorValues() {
        // The reference values for d = 2, L = 8, κ = 0.2.
        let free = FreeField(extents: [8, 8], kappa: 0.2)
        XCTAssertEqual(free.propagator([0, 0]), 0.635434994226, accuracy: 1e-11)
        XCTAssertEqual(free.propagator([1, 0]), 0.169293742782, accuracy: 1e-11)
        XCTAssertEqual(free.correlator(0) + (1..<8).map(free.correlator).reduce(0, +), 1 / (2 * (1 - 4 * 0.2)), accuracy: 1e-12)
    }

    func testTwoDimensions() throws {
        let free = FreeField(extents: [8, 8], kappa: 0.2)
        var chain = try Chain(extents: [8, 8], kappa: 0.2, lambda: 0)
        try chain.run(20_000, thermalization: 100, steps: 5)
        try check(chain, free)
    }

    func testThreeDimensionsWithUnequalExtents() throws {
        let free = FreeField(extents: [6, 4, 8], kappa: 0.12)
        var chain = try Chain(extents: [6, 4, 8], kappa: 0.12, lambda: 0, seed: 9)
        try chain.run(8_000, thermalization: 100, integrator: .omelyan, steps: 3)
        try check(chain, free)
    }

    func testFourDimensions() throws {
        let free = FreeField(extents: [4, 4, 4, 4], kappa: 0.1)
        var chain = try Chain(extents: [4, 4, 4, 4], kappa: 0.1, lambda: 0, seed: 13)
        try chain.run(6_000, thermalization: 100, integrator: .omelyan, steps: 3)
        try check(chain, free)
    }

    private func check(_ chain: Chain, _ free: FreeField, file: StaticString = #filePath, line: UInt = #line) throws {
        let m = chain.measurements, volume = Double(free.volume), d = Double(free.dimension)
        // Equipartition: S is quadratic in V degrees of freedom.
        try assertWithinFourSigma(m.map(\.actionDensity), 0.5, "⟨S⟩/V", file: file, line: line)
        try assertWithinFourSigma(m.map(\.phi2), free.propagator([Int](repeating: 0, count: free.extents.count)), "⟨φ²⟩", file: file, line: line)
        var step = [Int](repeating: 0, count: free.extents.count)
        step[0] = 1
        try assertWithinFourSigma(chain.nearestNeighbour, free.propagator(step), "G(1, 0…)", file: file, line: line)
        try assertWithinFourSigma(m.map { $0.magnetizationSquared * volume }, 1 / (2 * (1 - 2 * d * free.kappa)), "⟨M²⟩·V", file: file, line: line)
        for t in [0, 1, 2] {
            try assertWithinFourSigma(m.map { $0.correlator[t] }, free.correlator(t), "G(t = \(t))", file: file, line: line)
        }
        try assertWithinFourSigma(m.map(\.magnetization), 0, "⟨M⟩", file: file, line: line)
    }
}
