import Foundation
import Generative
import Learning
import Numerics
import XCTest

/// The flow's exactness: log-determinant, inverse and reverse-KL gradient against finite
/// differences and round trips, on a 4 × 4 lattice in double precision.
final class CouplingFlowTests: XCTestCase {
    static let extents = [4, 4]

    /// A flow with random (not identity) weights, so every coupling does something.
    func randomFlow(couplings: Int = 4) throws -> CouplingFlow<Double> {
        let flow = try CouplingFlow<Double>(extents: Self.extents, architecture: FlowArchitecture(couplings: couplings, hidden: [4], kernel: 3))
        flow.initializeParameters(seed: 11, identity: false)
        // Larger weights than the initialisation, so that s and t are far from 0 and tanh bends.
        flow.parameters = flow.parameters.map { 2 * $0 }
        return flow
    }

    func prior(_ flow: CouplingFlow<Double>, batch: Int) -> [Double] {
        var z = [Double](repeating: 0, count: batch * flow.sites)
        z.withUnsafeMutableBufferPointer { flow.drawPrior($0, count: batch, first: 0, seed: 5, purpose: .flowTrainingPrior, step: 0) }
        return z
    }

    func testLogDeterminantMatchesTheJacobianByFiniteDifferences() throws {
        let flow = try randomFlow(), v = flow.sites, h = 1e-6
        let z = prior(flow, batch: 1)
        var phi = z
        let logQ = phi.withUnsafeMutableBufferPointer { flow.forward($0, batch: 1) }[0]
        let logDeterminant = z.withUnsafeBufferPointer(CouplingFlow<Double>.logPrior) - logQ
        // The Jacobian column by column, by central differences, and its log|det| by LU.
        var jacobian = [Double](repeating: 0, count: v * v)
        for j in 0..<v {
            var plus = z, minus = z
            plus[j] += h
            minus[j] -= h
            _ = plus.withUnsafeMutableBufferPointer { flow.forward($0, batch: 1) }
            _ = minus.withUnsafeMutableBufferPointer { flow.forward($0, batch: 1) }
            for i in 0..<v { jacobian[i * v + j] = (plus[i] - minus[i]) / (2 * h) }
        }
        XCTAssertEqual(logDeterminant, Self.logAbsDeterminant(jacobian, n: v), accuracy: 1e-7)
        XCTAssertGreaterThan(abs(logDeterminant), 0.5, "the couplings should change the volume")
    }

    func testInverseUndoesForwardWithTheSameDensity() throws {
        let flow = try randomFlow(), batch = 3
        let z = prior(flow, batch: batch)
        var fields = z
        let forward = fields.withUnsafeMutableBufferPointer { flow.forward($0, batch: batch) }
        let inverse = fields.withUnsafeMutableBufferPointer { flow.inverse($0, batch: batch) }
        for i in z.indices { XCTAssertEqual(fields[i], z[i], accuracy: 1e-12) }
        for b in 0..<batch { XCTAssertEqual(inverse[b], forward[b], accuracy: 1e-10) }
    }

    func testReverseKullbackLeiblerGradientMatchesFiniteDifferences() throws {
        let flow = try randomFlow(couplings: 2), batch = 2
        let objective = ReverseKullbackLeibler<Double>(action: HoppingAction(extents: Self.extents, kappa: 0.3, lambda: 0.7))
        let z = prior(flow, batch: batch), parameters = flow.parameters
        var gradient = [Double](repeating: 0, count: flow.parameterCount)
        _ = gradient.withUnsafeMutableBufferPointer { objective.evaluate(flow, prior: z, batch: batch, gradient: $0) }
        var scratch = gradient
        func loss(_ p: [Double]) -> Double {
            flow.parameters = p
            return scratch.withUnsafeMutableBufferPointer { objective.evaluate(flow, prior: z, batch: batch, gradient: $0).lossSum }
        }
        let h = 1e-5
        var worst = 0.0
        for k in parameters.indices {
            var plus = parameters, minus = parameters
            plus[k] += h
            minus[k] -= h
            let numeric = (loss(plus) - loss(minus)) / (2 * h)
            worst = max(worst, abs(numeric - gradient[k]) / max(1, abs(numeric)))
        }
        XCTAssertLessThan(worst, 1e-6, "largest relative difference over \(parameters.count) parameters")
        XCTAssertGreaterThan(gradient.map(abs).max()!, 1e-2)
    }

    /// log|det A| by Gaussian elimination with partial pivoting.
    static func logAbsDeterminant(_ matrix: [Double], n: Int) -> Double {
        var a = matrix, sum = 0.0
        for c in 0..<n {
            let p = (c..<n).max { abs(a[$0 * n + c]) < abs(a[$1 * n + c]) }!
            if p != c { for k in 0..<n { a.swapAt(c * n + k, p * n + k) } }
            let pivot = a[c * n + c]
            sum += log(abs(pivot))
            for r in (c + 1)..<n {
                let f = a[r * n + c] / pivot
                for k in c..<n { a[r * n + k] -= f * a[c * n + k] }
            }
        }
        return sum
    }
}
