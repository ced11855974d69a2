import Cluster
import Foundation
import Generative
import Learning
import Numerics
import XCTest

/// The scalar-field RBM: its exact likelihood gradient against finite differences, Gibbs sampling
/// (the PCD model term) against the exact moments, and training on the free field's exact moments:
/// with N_h = N_v the spectrum of K is learned; with N_h < N_v the N_h infrared modes are learned
/// and the rest sit at μ² = n/Σ(1/λ) over them (probabilistic PCA's solution).
final class GaussianRBMTests: XCTestCase {
    static let (l0, l1, kappa) = (4, 4, 0.2)
    static let target = freeFieldKernel(extents: [l0, l1], kappa: kappa)
    static let spectrum = target.eigenvalues()

    func testTheKernelHasTheFreeFieldSpectrum() {
        for (extents, kappa) in [([4, 4], 0.2), ([4, 6], 0.23), ([3, 5], 0.1), ([4, 4, 4], 0.12)] {
            let computed = freeFieldKernel(extents: extents, kappa: kappa).eigenvalues()
            for (c, e) in zip(computed, freeFieldSpectrum(extents: extents, kappa: kappa)) { XCTAssertEqual(c, e, accuracy: 1e-12, "\(extents)") }
        }
    }

    /// The mean log-likelihood of data with moments (m, C): −½ tr(KC) + Jᵀm − log Z.
    func logLikelihood(_ machine: GaussianRBM, mean: [Double], second: [Double]) -> Double {
        let k = machine.kernel, v = machine.visible, j = machine.source
        let l = k.cholesky()!, covariance = k.inversePositiveDefinite()!
        var value = 0.0
        for i in 0..<v { for c in 0..<v { value -= 0.5 * k[i, c] * second[c * v + i] } }
        for i in 0..<v { value += j[i] * mean[i] }
        var logDet = 0.0
        for i in 0..<v { logDet += 2 * log(l[i * v + i]) }
        var quadratic = 0.0
        for i in 0..<v { for c in 0..<v { quadratic += j[i] * covariance[i, c] * j[c] } }
        return value - (-0.5 * logDet + 0.5 * quadratic + 0.5 * Double(v) * log(2 * .pi))
    }

    func someMachine(hidden: Int) -> GaussianRBM {
        var machine = GaussianRBM(visible: 16, hidden: hidden, massSquared: 2.5, seed: 7)
        machine.weights = machine.weights.map { 4 * $0 }
        machine.hiddenCentres = (0..<hidden).map { 0.3 * sin(Double($0)) }
        return machine
    }

    func testExactGradientMatchesFiniteDifferences() throws {
        var machine = someMachine(hidden: 5)
        let mean = (0..<16).map { 0.1 * cos(Double($0)) }
        var second = Self.target.inversePositiveDefinite()!.entries
        for i in 0..<16 { for k in 0..<16 { second[i * 16 + k] += mean[i] * mean[k] } }
        let gradient = try XCTUnwrap(RBMGradient.exact(machine, dataMean: mean, dataSecondMoment: second))
        let parameters = machine.parameters
        for p in parameters.indices {
            var plus = parameters, minus = parameters
            plus[p] += 1e-6
            minus[p] -= 1e-6
            machine.parameters = plus
            let up = logLikelihood(machine, mean: mean, second: second)
            machine.parameters = minus
            let down = logLikelihood(machine, mean: mean, second: second)
            XCTAssertEqual(gradient[p], (up - down) / 2e-6, accuracy: 1e-6 * max(1, abs(gradient[p])), "parameter \(p)")
        }
    }

    func testGibbsChainsGiveTheModelMoments() throws {
        let machine = someMachine(hidden: 5), chains = 64, sweeps = 400, v = 16
        // The model term exactly: the gradient against data of zero moments is minus it.
        let exact = try XCTUnwrap(RBMGradient.exact(machine, dataMean: [Double](repeating: 0, count: v),
                                                    dataSecondMoment: [Double](repeating: 0, count: v * v))).map { -$0 }
        var perChain: [[Double]] = []
        for c in 0..<chains {
            var random = RandomStream(seed: 3, purpose: .rbmGibbs, replica: c)
            var phi = [Double](repeating: 0, count: v), h = [Double](repeating: 0, count: machine.hidden)
            for _ in 0..<50 { machine.gibbsSweep(&phi, &h, random: &random) }
            var sums = [Double](repeating: 0, count: exact.count)
            for _ in 0..<sweeps {
                machine.gibbsSweep(&phi, &h, random: &random)
                let s = RBMGradient.statistics(machine, fields: phi, count: 1)
                for i in sums.indices { sums[i] += s[i] / Double(sweeps) }
            }
            perChain.append(sums)
        }
        var worst = 0.0
        for p in exact.indices {
            let values = perChain.map { $0[p] }
            let mean = values.reduce(0, +) / Double(chains)
            let error = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(chains * (chains - 1))).squareRoot()
            worst = max(worst, abs(mean - exact[p]) / error)
        }
        // 86 components with errors from 64 independent chains: all within 5σ.
        XCTAssertLessThan(worst, 5, "largest deviation in units of its error")
    }

    /// Trains with the exact gradient on data of moments (`mean`, `second`): by default the free
    /// field's exact ones (infinitely many configurations).
    func train(hidden: Int, massSquared: Double, mean: [Double] = [Double](repeating: 0, count: 16),
               second: [Double] = GaussianRBMTests.target.inversePositiveDefinite()!.entries) throws -> GaussianRBM {
        var machine = GaussianRBM(visible: 16, hidden: hidden, massSquared: massSquared, seed: 1)
        var optimizer = Optimizer<Double>(kind: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-10), parameterCount: machine.parameters.count)
        let schedule = LearningRateSchedule(base: 2e-2, warmupSteps: 300, totalSteps: 6000, minimum: 1e-4, cosine: true)
        var parameters = machine.parameters
        for step in 0..<6000 {
            var ascent = try XCTUnwrap(RBMGradient.exact(machine, dataMean: mean, dataSecondMoment: second), "K not positive definite at step \(step)").map { -$0 }
            parameters.withUnsafeMutableBufferPointer { p in
                ascent.withUnsafeMutableBufferPointer { optimizer.update(parameters: p, gradients: UnsafeBufferPointer($0), learningRate: schedule.rate(atStep: step)) }
            }
            machine.parameters = parameters
        }
        return machine
    }

    func testWithAsManyHiddenAsVisibleSitesTheSpectrumIsLearned() throws {
        // μ² starts above the largest eigenvalue (3.6): K ≤ μ² whatever W, so it must.
        let learned = try train(hidden: 16, massSquared: 4).kernel.eigenvalues()
        print("N_h = 16: learned \(learned.map { String(format: "%.4f", $0) }), exact \(Self.spectrum.map { String(format: "%.4f", $0) })")
        for (l, e) in zip(learned, Self.spectrum) { XCTAssertEqual(l, e, accuracy: 2e-3 * e) }
    }

    func testWithFewerHiddenSitesTheInfraredIsLearnedAndTheRestSitsAtTheCutoff() throws {
        // N_h = 5: the zero mode and the four p = (±π/2, 0), (0, ±π/2) modes, a whole multiplet.
        let machine = try train(hidden: 5, massSquared: 2.5), learned = machine.kernel.eigenvalues()
        let rest = Self.spectrum[5...], cutoff = Double(rest.count) / rest.reduce(0) { $0 + 1 / $1 }
        print("N_h = 5: learned \(learned.map { String(format: "%.4f", $0) }), μ² = \(machine.massSquared), expected cutoff \(cutoff)")
        for k in 0..<5 { XCTAssertEqual(learned[k], Self.spectrum[k], accuracy: 2e-3 * Self.spectrum[k], "mode \(k)") }
        for k in 5..<16 { XCTAssertEqual(learned[k], machine.massSquared, accuracy: 1e-9, "mode \(k) sits at μ²") }
        XCTAssertEqual(machine.massSquared, cutoff, accuracy: 2e-3 * cutoff)
        XCTAssertLessThan(cutoff, Self.spectrum.last! * 0.9, "the cutoff is well below the largest eigenvalue: the ultraviolet is cut off")
    }

    /// Free-field configurations drawn exactly: φ = L⁻ᵀξ with A = LLᵀ has covariance A⁻¹.
    static func freeFieldSamples(_ count: Int, seed: UInt64) -> [Double] {
        let l = target.cholesky()!, v = 16
        var random = RandomStream(seed: seed, purpose: RandomStream.Purpose(rawValue: 200))
        var samples: [Double] = []
        for _ in 0..<count {
            let xi = (0..<v).map { _ in random.normal() }
            var phi = [Double](repeating: 0, count: v)
            for i in stride(from: v - 1, through: 0, by: -1) {
                var s = xi[i]
                for k in (i + 1)..<max(i + 1, v) { s -= l[k * v + i] * phi[k] }
                phi[i] = s / l[i * v + i]
            }
            samples += phi
        }
        return samples
    }

    func testPersistentContrastiveDivergenceLearnsWhatTheExactGradientLearns() throws {
        let count = 8192, v = 16, samples = Self.freeFieldSamples(count, seed: 5)
        var mean = [Double](repeating: 0, count: v), second = [Double](repeating: 0, count: v * v)
        for c in 0..<count {
            for i in 0..<v {
                mean[i] += samples[c * v + i] / Double(count)
                for k in 0..<v { second[i * v + k] += samples[c * v + i] * samples[c * v + k] / Double(count) }
            }
        }
        let reference = try train(hidden: 5, massSquared: 2.5, mean: mean, second: second)
        let settings = RBMTrainingSettings(chains: 64, sweeps: 1, shards: 4, optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-10),
                                           schedule: LearningRateSchedule(base: 1e-2, warmupSteps: 300, totalSteps: 3000, minimum: 1e-4, cosine: true), seed: 9)
        let trainer = RBMTrainer(machine: GaussianRBM(visible: v, hidden: 5, massSquared: 2.5, seed: 1), settings: settings,
                                 communicator: try Communicator.world())
        for step in 0..<3000 {
            // 4 shards of 64 configurations, walking through the data set.
            let shards = (0..<4).map { j -> [Double] in
                let first = ((step * 4 + j) * 64) % count
                return Array(samples[(first * v)..<((first + 64) * v)])
            }
            _ = try trainer.step(shards, fieldsPerShard: 64)
        }
        let learned = trainer.machine.kernel.eigenvalues(), expected = reference.kernel.eigenvalues()
        print("PCD, N_h = 5: learned \(learned.map { String(format: "%.4f", $0) }), μ² \(trainer.machine.massSquared); "
              + "exact gradient on the same data: \(expected.map { String(format: "%.4f", $0) }), μ² \(reference.massSquared)")
        for k in 0..<16 { XCTAssertEqual(learned[k], expected[k], accuracy: 0.04 * expected[k], "mode \(k)") }
        XCTAssertEqual(trainer.machine.massSquared, reference.massSquared, accuracy: 0.02 * reference.massSquared)
    }
}
