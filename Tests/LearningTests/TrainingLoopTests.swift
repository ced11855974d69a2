import Cluster
import Learning
import XCTest

/// Samples held in memory: an input's class is the sign of the sum of its entries, so a small
/// dense network separates them.
private struct SignSamples: SampleSource {
    let inputs: [Double]
    let sites = 8
    var sampleShape: [Int] { [sites] }
    var trainingCount: Int { 192 }
    var validationCount: Int { inputs.count / sites - trainingCount }
    func trainingID(_ position: Int) -> Int { position }
    func validationID(_ position: Int) -> Int { trainingCount + position }

    init() {
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        inputs = (0..<(256 * 8)).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53) * 2 - 1
        }
    }

    func readInputs(_ ids: [Int], into inputs: inout [Double]) throws {
        inputs = ids.flatMap { self.inputs[($0 * sites)..<($0 * sites + sites)] }
    }

    func writeTarget(of id: Int, into targets: inout [Double], at offset: Int, width: Int) {
        targets[offset] = inputs[(id * sites)..<(id * sites + sites)].reduce(0, +) > 0 ? 1 : 0
    }
}

final class TrainingLoopTests: XCTestCase {
    private func makeLoop(epochs: Int = 6) throws -> TrainingLoop<SignSamples> {
        let network = try Network<Double>(inputShape: [8], specifications: [
            "dense units=16 init=he", "relu", "dense units=2 init=glorot",
        ].map { try LayerSpecification(parsing: $0) })
        network.initializeParameters(seed: 7)
        let settings = TrainingSettings(loss: .softmaxCrossEntropy, optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8),
                                        weightDecay: 0, schedule: LearningRateSchedule(base: 0.01), bucketBytes: 1 << 20,
                                        deterministicShards: 4, seed: 11)
        let trainer = DataParallelTrainer(network: network, settings: settings, communicator: try Communicator.world())
        let plan = TrainingLoop<SignSamples>.Plan(epochs: epochs, globalBatch: 32, orderSeed: 3,
                                                  augmentation: SymmetryAugmentation(translations: false, reflections: false, globalFlip: false),
                                                  augmentationSeed: 5, verifyEvery: 1)
        return TrainingLoop(trainer: trainer, source: SignSamples(), plan: plan)
    }

    /// The loop learns a separable rule: validation accuracy climbs far above chance (0.5), and one
    /// metrics row per epoch is written.
    func testLearnsASeparableRule() throws {
        let loop = try makeLoop()
        var progress = TrainingProgress(start: loop.trainer)
        var epochsSeen = 0
        let stopped = try loop.run(&progress, afterEpoch: { _ in epochsSeen += 1 }, afterStep: { _ in false })
        XCTAssertFalse(stopped)
        XCTAssertTrue(progress.finished)
        XCTAssertEqual(progress.stepsTaken, 6 * 192 / 32)
        XCTAssertEqual(epochsSeen, 6)
        XCTAssertEqual(progress.metrics.count, 6)
        XCTAssertEqual(progress.metrics.last?.count, TrainingMetrics.columns.count)
        XCTAssertGreaterThan(progress.metrics.last![6], 0.85, "validation accuracy")
        XCTAssertLessThan(progress.metrics.last![3], progress.metrics.first![3], "training loss falls")
        XCTAssertEqual(loop.verifiedSteps, progress.stepsTaken)
    }

    /// Stopped after any step and resumed from its progress in a fresh trainer, training ends with
    /// the same parameters and metrics, bit for bit, as without the stop.
    func testStopAndResumeIsBitIdentical() throws {
        let whole = try makeLoop(epochs: 3)
        var uninterrupted = TrainingProgress(start: whole.trainer)
        _ = try whole.run(&uninterrupted, afterEpoch: { _ in }, afterStep: { _ in false })
        for stopAt in [1, 6, 7, 13] {
            let first = try makeLoop(epochs: 3)
            var progress = TrainingProgress(start: first.trainer)
            let stopped = try first.run(&progress, afterEpoch: { _ in }, afterStep: { $0.stepsTaken == stopAt })
            XCTAssertTrue(stopped)
            XCTAssertEqual(progress.stepsTaken, stopAt)
            let second = try makeLoop(epochs: 3)
            progress.restore(into: second.trainer)
            XCTAssertFalse(try second.run(&progress, afterEpoch: { _ in }, afterStep: { _ in false }))
            XCTAssertEqual(progress.parameters, uninterrupted.parameters, "stopped after step \(stopAt)")
            XCTAssertEqual(progress.metrics.map { Array($0.prefix(7)) }, uninterrupted.metrics.map { Array($0.prefix(7)) })
        }
    }
}
