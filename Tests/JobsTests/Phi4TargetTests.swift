import Foundation
import Generative
import Jobs
import Numerics
import Phi4
import XCTest

/// The flow's target computed by the φ⁴ engine: S and ∂S/∂φ against REFERENCE.md's formula, and an
/// identity flow corrected by Metropolis against the exact free field.
final class Phi4TargetTests: XCTestCase {
    /// S = Σₓ [−2κ Σ_μ φₓφₓ₊μ̂ + φₓ² + λ(φₓ² − 1)²], written out for a 2-D lattice.
    func referenceAction(_ phi: [Double], extents: [Int], kappa: Double, lambda: Double) -> Double {
        let (l0, l1) = (extents[0], extents[1])
        var s = 0.0
        for x in 0..<l0 {
            for y in 0..<l1 {
                let f = phi[x * l1 + y], up = phi[((x + 1) % l0) * l1 + y], right = phi[x * l1 + (y + 1) % l1]
                s += -2 * kappa * f * (up + right) + f * f + lambda * (f * f - 1) * (f * f - 1)
            }
        }
        return s
    }

    func testActionAndGradientAgreeWithTheFormula() {
        for extents in [[4, 8], [6, 6], [8, 16]] {
            let couplings = Phi4Couplings(kappa: 0.27, lambda: 0.9), v = extents[0] * extents[1], batch = 3
            let target = Phi4Target(extents: extents, couplings: couplings)
            var random = SystemRandomNumberGenerator()
            let fields = (0..<(batch * v)).map { _ in Double.random(in: -1.5...1.5, using: &random) }
            var gradient = [Double](repeating: 0, count: batch * v)
            let s = fields.withUnsafeBufferPointer { f in gradient.withUnsafeMutableBufferPointer { target.evaluate(f, batch: batch, gradient: $0) } }
            for b in 0..<batch {
                let phi = Array(fields[(b * v)..<((b + 1) * v)])
                XCTAssertEqual(s[b], referenceAction(phi, extents: extents, kappa: 0.27, lambda: 0.9), accuracy: 1e-10 * Double(v))
                for i in stride(from: 0, to: v, by: 5) {
                    var plus = phi, minus = phi
                    plus[i] += 1e-5
                    minus[i] -= 1e-5
                    let numeric = (referenceAction(plus, extents: extents, kappa: 0.27, lambda: 0.9)
                        - referenceAction(minus, extents: extents, kappa: 0.27, lambda: 0.9)) / 2e-5
                    XCTAssertEqual(gradient[b * v + i], numeric, accuracy: 1e-6, "\(extents) site \(i)")
                }
            }
        }
    }

    func testIdentityFlowWithMetropolisGivesTheExactFreeField() throws {
        let extents = [4, 8], kappa = 0.15, v = 32
        let target = Phi4Target(extents: extents, couplings: Phi4Couplings(kappa: kappa, lambda: 0))
        let flow = try CouplingFlow<Double>(extents: extents, architecture: FlowArchitecture(couplings: 2, hidden: [4], kernel: 3))
        flow.initializeParameters(seed: 4, identity: true)
        var chain = IndependenceMetropolis(seed: 8), squares: [Double] = [], current = 0.0
        for first in stride(from: 0, to: 100_000, by: 1000) {
            var fields = [Double](repeating: 0, count: 1000 * v)
            let logWeights = fields.withUnsafeMutableBufferPointer { f in
                flow.drawPrior(f, count: 1000, first: first, seed: 2, purpose: .flowProposal, step: 0)
                let logQ = flow.forward(f, batch: 1000)
                let s = target.evaluate(UnsafeBufferPointer(f), batch: 1000, gradient: nil)
                return (0..<1000).map { -s[$0] - logQ[$0] }
            }
            for b in 0..<1000 {
                if chain.offer(index: first + b, logWeight: logWeights[b]) {
                    current = fields[(b * v)..<((b + 1) * v)].reduce(0) { $0 + $1 * $1 } / Double(v)
                }
                squares.append(current)
            }
        }
        // ⟨φ²⟩ = (1/2V) Σ_p 1/(1 − 2κ Σ_μ cos p_μ) (REFERENCE.md).
        var exact = 0.0
        for n0 in 0..<4 {
            for n1 in 0..<8 { exact += 1 / (1 - 2 * kappa * (cos(2 * .pi * Double(n0) / 4) + cos(2 * .pi * Double(n1) / 8))) }
        }
        exact /= 2 * Double(v)
        let measured = try GammaAnalysis(squares)
        print("identity flow on the φ⁴ engine's action: acceptance \(chain.acceptance), ⟨φ²⟩ \(measured.value) ± \(measured.error), exact \(exact)")
        XCTAssertLessThan(abs(measured.value - exact), 4 * measured.error)
        XCTAssertLessThan(measured.error, 0.02 * exact)
    }
}
