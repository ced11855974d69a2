import Foundation
import Generative
import Learning
import Numerics
import XCTest

/// Exactness independent of training: flow proposals corrected by independence Metropolis give
/// the free field's exact ⟨φ²⟩ and ⟨|M|⟩ (REFERENCE.md), before and after training, and training
/// by reverse KL raises the acceptance and the effective sample size.
final class FlowSamplingTests: XCTestCase {
    static let extents = [4, 4]
    let action = HoppingAction(extents: FlowSamplingTests.extents, kappa: 0.2, lambda: 0)

    struct Chain {
        var squares: [Double] = []
        var magnetizations: [Double] = []
        var acceptance = 0.0
        var effectiveSampleSize = 0.0
    }

    /// `count` proposals in batches, their chain and the chain's per-step observables.
    func sample(_ flow: CouplingFlow<Double>, count: Int, batch: Int = 500) -> Chain {
        let v = flow.sites
        var chain = IndependenceMetropolis(seed: 3), result = Chain(), ess = [Double]()
        var square = 0.0, magnetization = 0.0
        for first in stride(from: 0, to: count, by: batch) {
            var fields = [Double](repeating: 0, count: batch * v)
            let logWeights: [Double] = fields.withUnsafeMutableBufferPointer { f in
                flow.drawPrior(f, count: batch, first: first, seed: 17, purpose: .flowProposal, step: 0)
                let logQ = flow.forward(f, batch: batch)
                let s = action.evaluate(UnsafeBufferPointer(f), batch: batch, gradient: nil)
                return (0..<batch).map { -s[$0] - logQ[$0] }
            }
            ess.append(effectiveSampleSizeFraction(logWeights: logWeights))
            for b in 0..<batch {
                if chain.offer(index: first + b, logWeight: logWeights[b]) {
                    let phi = fields[(b * v)..<((b + 1) * v)]
                    square = phi.reduce(0) { $0 + $1 * $1 } / Double(v)
                    magnetization = abs(phi.reduce(0, +)) / Double(v)
                }
                result.squares.append(square)
                result.magnetizations.append(magnetization)
            }
        }
        result.acceptance = chain.acceptance
        result.effectiveSampleSize = ess.reduce(0, +) / Double(ess.count)
        return result
    }

    /// The chain's means against the exact free-field values, within 4 Γ-method σ.
    func assertExact(_ chain: Chain, _ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let square = try GammaAnalysis(chain.squares), magnetization = try GammaAnalysis(chain.magnetizations)
        let exactSquare = action.freeFieldSquare
        // M is Gaussian with ⟨M²⟩ = (1/V)·½/(1 − 4κ) (the p = 0 mode), so ⟨|M|⟩ = √(2⟨M²⟩/π).
        let exactMagnetization = (2 * (0.5 / (1 - 4 * action.kappa)) / 16 / Double.pi).squareRoot()
        print("\(label): acceptance \(chain.acceptance), ESS/N \(chain.effectiveSampleSize), ⟨φ²⟩ \(square.value) ± \(square.error) "
              + "(exact \(exactSquare), τ_int \(square.tauInt)), ⟨|M|⟩ \(magnetization.value) ± \(magnetization.error) (exact \(exactMagnetization))")
        XCTAssertLessThan(abs(square.value - exactSquare), 4 * square.error, "\(label) ⟨φ²⟩", file: file, line: line)
        XCTAssertLessThan(abs(magnetization.value - exactMagnetization), 4 * magnetization.error, "\(label) ⟨|M|⟩", file: file, line: line)
        XCTAssertLessThan(square.error, 0.02 * exactSquare, "\(label): too few effective samples for the check to mean much", file: file, line: line)
    }

    func testUntrainedAndTrainedFlowsAreExactAndTrainingRaisesAcceptance() throws {
        let flow = try CouplingFlow<Double>(extents: Self.extents, architecture: FlowArchitecture(couplings: 4, hidden: [8], kernel: 3))
        flow.initializeParameters(seed: 1, identity: true)
        let untrained = sample(flow, count: 80_000)
        try assertExact(untrained, "identity flow")

        // Reverse KL with Adam, batch 64: the flow learns the free field's correlations.
        let objective = ReverseKullbackLeibler<Double>(action: action), batch = 64
        var optimizer = Optimizer<Double>(kind: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8), parameterCount: flow.parameterCount)
        var parameters = flow.parameters, gradient = [Double](repeating: 0, count: flow.parameterCount)
        var losses: [Double] = []
        for step in 0..<400 {
            var z = [Double](repeating: 0, count: batch * flow.sites)
            z.withUnsafeMutableBufferPointer { flow.drawPrior($0, count: batch, first: 0, seed: 23, purpose: .flowTrainingPrior, step: step) }
            let loss = gradient.withUnsafeMutableBufferPointer { objective.evaluate(flow, prior: z, batch: batch, gradient: $0).lossSum }
            losses.append(loss / Double(batch))
            for i in gradient.indices { gradient[i] /= Double(batch) }
            parameters.withUnsafeMutableBufferPointer { p in
                gradient.withUnsafeBufferPointer { optimizer.update(parameters: p, gradients: $0, learningRate: 3e-3) }
            }
            flow.parameters = parameters
        }
        let early = losses.prefix(20).reduce(0, +) / 20, late = losses.suffix(20).reduce(0, +) / 20
        print("reverse KL loss (KL − log Z): first 20 steps \(early), last 20 \(late)")
        XCTAssertLessThan(late, early - 0.5)

        let trained = sample(flow, count: 20_000)
        try assertExact(trained, "trained flow")
        XCTAssertGreaterThan(trained.acceptance, untrained.acceptance + 0.2)
        XCTAssertGreaterThan(trained.effectiveSampleSize, 2 * untrained.effectiveSampleSize)
    }
}
