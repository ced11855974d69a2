import Cluster
import Generative
import Learning
import Numerics
import XCTest

/// The data-parallel flow trainer on one rank: its steps are exactly the shard-ordered sums of
/// per-shard reverse-KL gradients, field k of step t drawn from (seed, t, k) whichever shard holds
/// it. That keying is what makes N ranks reproduce one (checked across ranks by the job tests).
final class FlowTrainerTests: XCTestCase {
    static let extents = [4, 4]

    func makeFlow() throws -> CouplingFlow<Double> {
        let flow = try CouplingFlow<Double>(extents: Self.extents, architecture: FlowArchitecture(couplings: 2, hidden: [4], kernel: 3))
        flow.initializeParameters(seed: 2, identity: true)
        return flow
    }

    func testDeterministicStepsAreShardOrderedSumsOfShardGradients() throws {
        let action = HoppingAction(extents: Self.extents, kappa: 0.22, lambda: 0.5)
        let settings = FlowTrainingSettings(batch: 32, deterministicShards: 4, optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8),
                                            schedule: LearningRateSchedule(base: 1e-2), seed: 6)
        let trainer = FlowTrainer(flow: try makeFlow(), action: action, settings: settings, communicator: try Communicator.world())
        let reference = try makeFlow(), objective = ReverseKullbackLeibler<Double>(action: action)
        var optimizer = Optimizer<Double>(kind: settings.optimizer, parameterCount: reference.parameterCount)
        var losses: [Double] = []
        for step in 0..<30 {
            let result = try trainer.step()
            losses.append(result.loss)
            // By hand: shards 0…3 of 8 fields each, summed in order, divided by the batch.
            var sum = [Double](repeating: 0, count: reference.parameterCount), lossSum = 0.0
            for j in 0..<4 {
                var z = [Double](repeating: 0, count: 8 * reference.sites)
                z.withUnsafeMutableBufferPointer { reference.drawPrior($0, count: 8, first: 8 * j, seed: 6, purpose: .flowTrainingPrior, step: step) }
                var g = [Double](repeating: 0, count: reference.parameterCount)
                lossSum += g.withUnsafeMutableBufferPointer { objective.evaluate(reference, prior: z, batch: 8, gradient: $0).lossSum }
                for i in sum.indices { sum[i] = j == 0 ? g[i] : sum[i] + g[i] }
            }
            for i in sum.indices { sum[i] *= 1 / 32.0 }
            var parameters = reference.parameters
            parameters.withUnsafeMutableBufferPointer { p in sum.withUnsafeBufferPointer { optimizer.update(parameters: p, gradients: $0, learningRate: 1e-2) } }
            reference.parameters = parameters
            XCTAssertEqual(result.loss, lossSum / 32)
            XCTAssertEqual(trainer.flow.parameters, reference.parameters, "step \(step)")
        }
        XCTAssertLessThan(losses.suffix(5).reduce(0, +), losses.prefix(5).reduce(0, +), "the loss falls")
    }
}
