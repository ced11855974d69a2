import Learning
import Numerics
import XCTest

/// The pieces the trainer is built from: a whole network's gradient, the epoch sampler's shards,
/// symmetry augmentation and the phase-crossing estimate.
final class NetworkTests: XCTestCase {
    /// conv → tanh → conv → gelu → pool → dense through softmax cross-entropy: every parameter's
    /// gradient against central differences of the summed loss, in Float64.
    func testWholeNetworkGradientMatchesFiniteDifferences() throws {
        let specs = try ["conv2d channels=3 kernel=3", "tanh", "conv2d channels=2 kernel=1", "gelu",
                         "global_average_pool", "dense units=2 init=glorot"].map { try LayerSpecification(parsing: $0) }
        let network = try Network<Double>(inputShape: [1, 5, 4], specifications: specs)
        network.initializeParameters(seed: 3)
        var random = RandomStream(seed: 9, purpose: .demo)
        let batch = 3
        let inputs = (0..<(batch * 20)).map { _ in random.normal() }
        let targets: [Double] = [0, 1, 1]
        func loss(_ gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
            var outputs = [Double](repeating: 0, count: batch * 2), dOut = outputs
            let pass = Pass.inference(batch: batch)
            inputs.withUnsafeBufferPointer { x in
                outputs.withUnsafeMutableBufferPointer { network.forward(x, batch: batch, pass: pass, output: $0) }
            }
            let value = targets.withUnsafeBufferPointer { t in
                outputs.withUnsafeBufferPointer { o in
                    dOut.withUnsafeMutableBufferPointer { Loss.softmaxCrossEntropy.evaluate(outputs: o, targets: t, batch: batch, width: 2, gradient: $0) }
                }
            }
            if let gradient {
                dOut.withUnsafeBufferPointer { network.backward($0, pass: pass, gradients: gradient) }
            }
            return value.sum
        }
        var analytic = [Double](repeating: 0, count: network.parameterCount)
        _ = analytic.withUnsafeMutableBufferPointer { loss($0) }
        var worst = 0.0
        for i in 0..<network.parameterCount {
            let saved = network.parameters[i], h = 1e-6
            network.parameters[i] = saved + h
            let up = loss(nil)
            network.parameters[i] = saved - h
            let down = loss(nil)
            network.parameters[i] = saved
            let numeric = (up - down) / (2 * h)
            worst = max(worst, abs(numeric - analytic[i]) / max(1e-3, abs(numeric) + abs(analytic[i])))
        }
        XCTAssertLessThan(worst, 1e-6, "worst relative gradient error")
    }

    /// The union of the shards of a step is the global batch, whatever the number of shards, and
    /// the permutation depends on the epoch only.
    func testShardsPartitionTheGlobalBatch() {
        let sampler = EpochSampler(sampleCount: 103, globalBatch: 12, seed: 4)
        XCTAssertEqual(sampler.stepsPerEpoch, 8)
        let p = sampler.permutation(epoch: 2)
        XCTAssertEqual(p.sorted(), Array(0..<103))
        XCTAssertEqual(p, sampler.permutation(epoch: 2))
        XCTAssertNotEqual(p, sampler.permutation(epoch: 3))
        for shards in [1, 2, 3, 4, 6, 12] {
            for step in [0, 7] {
                let union = (0..<shards).flatMap { sampler.batch(step: step, of: p, shard: $0, shards: shards) }
                XCTAssertEqual(union.sorted(), Array(p[(step * 12)..<(step * 12 + 12)]).sorted(), "\(shards) shards")
            }
            // What a rank reads for the epoch is exactly what its shards use.
            for rank in 0..<shards where 12 % shards == 0 {
                let used = (0..<8).flatMap { sampler.batch(step: $0, of: p, shard: rank, shards: shards) }
                XCTAssertEqual(used.sorted(), sampler.indices(of: p, rank: rank, ranks: shards))
            }
        }
    }

    /// Translations and reflections permute sites, so sums and sorted values survive; a flip negates.
    func testAugmentationIsASymmetry() {
        var random = RandomStream(seed: 1, purpose: .demo)
        let shape = [2, 4, 6]
        let original = (0..<(3 * 48)).map { _ in Double(random.normal()) }
        var moved = original
        SymmetryAugmentation(translations: true, reflections: true, globalFlip: false)
            .apply(to: &moved, shape: shape, sampleIDs: [5, 6, 7], seed: 2, step: 3)
        XCTAssertNotEqual(moved, original)
        for n in 0..<3 {
            for c in 0..<2 {
                let range = (n * 48 + c * 24)..<(n * 48 + c * 24 + 24)
                XCTAssertEqual(moved[range].sorted(), original[range].sorted(), "sample \(n) channel \(c)")
            }
        }
        // The same sample id and step give the same transformation in any batch.
        var alone = Array(original[48..<96])
        SymmetryAugmentation(translations: true, reflections: true, globalFlip: false)
            .apply(to: &alone, shape: shape, sampleIDs: [6], seed: 2, step: 3)
        XCTAssertEqual(alone, Array(moved[48..<96]))
        var flipped = original
        let flips = SymmetryAugmentation(translations: false, reflections: false, globalFlip: true)
        flips.apply(to: &flipped, shape: shape, sampleIDs: Array(0..<3), seed: 2, step: 0)
        for n in 0..<3 {
            let a = Array(flipped[(n * 48)..<(n * 48 + 48)]), b = Array(original[(n * 48)..<(n * 48 + 48)])
            XCTAssertTrue(a == b || a == b.map { -$0 }, "sample \(n) is either kept or negated")
        }
    }

    /// A logistic curve with its midpoint halfway between two grid points (where linear
    /// interpolation is unbiased by symmetry), sampled with binomial noise: the crossing lands
    /// within 4 bootstrap errors of the midpoint, and a curve that never crosses gives nil.
    func testPhaseCrossingOfAKnownCurve() throws {
        let grid = stride(from: 1.8, through: 3.0, by: 0.08).map { $0 }
        var random = RandomStream(seed: 8, purpose: .demo)
        let outputs = grid.map { t in (0..<400).map { _ in random.uniform() < 1 / (1 + exp((t - 2.32) / 0.08)) ? 1.0 : 0.0 } }
        let crossing = try XCTUnwrap(PhaseCrossing(parameters: grid, outputs: outputs, replicas: 300, seed: 1))
        XCTAssertGreaterThan(crossing.error, 0)
        XCTAssertLessThan(abs(crossing.value - 2.32), 4 * crossing.error, "\(crossing.value) ± \(crossing.error)")
        XCTAssertNil(PhaseCrossing(parameters: grid, outputs: grid.map { _ in [0.9, 0.8] }, replicas: 10, seed: 1))
    }
}
