import Cluster
import Vacua
import XCTest

/// Genetic search and the agent against uniform random search, for the same number of solver
/// evaluations; every vacuum any of them reports is in the complete enumeration.
final class SearchTests: XCTestCase {
    static let settings = GeneticSettings(population: 100, selection: .tournament(size: 3), crossover: 0.7, mutation: 0.6,
                                          elite: 4, migrateEvery: 10, migrants: 4, widthStart: 2, widthEnd: 0.1)

    func compare(limit: Int, evaluations: Int, selection: GeneticSettings.Selection, seed: UInt64) throws -> (genetic: Int, random: Int, all: Int) {
        let target = VacuumTarget(fluxLimit: limit, stringCoupling: (0.25, 0.35))
        var settings = Self.settings
        settings.selection = selection
        let world = try Communicator.world()
        let genetic = try GeneticSearch(target: target, settings: settings, seed: seed, communicator: world).run(evaluations: evaluations)[0]
        let random = RandomSearch.run(target: target, evaluations: evaluations, seed: seed, rank: 0)
        let enumerated = try Enumerated.keys(limit: limit)
        for d in genetic.discoveries + random.discoveries {
            XCTAssertTrue(enumerated.contains(d.vacuum.genome), "found by a search but not enumerated: \(d.vacuum)")
            XCTAssertTrue(VacuumSolver.residuals(d.vacuum).allSatisfy { $0 < 1e-7 }, "\(d.vacuum)")
            XCTAssertTrue(d.vacuum.fluxNumber > 0 && d.vacuum.fluxNumber <= limit)
            XCTAssertEqual(d.inTarget, target.contains(d.vacuum))
        }
        return (genetic.targetCount, random.targetCount, genetic.discoveries.count)
    }

    /// Target g_s ∈ [0.25, 0.35): with 20 000 evaluations each, tournament selection finds at
    /// least 3× as many target vacua as uniform random search (at least 3 when random finds none)
    /// at L = 10 and 20. Roulette selection, the weaker one, whose runs succeed or stall depending
    /// on the seed, must do so summed over five seeds at L = 10.
    func testGeneticSearchFindsMoreTargetVacuaThanRandomSearch() throws {
        for limit in [10, 20] {
            let (genetic, random, all) = try compare(limit: limit, evaluations: 20_000, selection: .tournament(size: 3), seed: 3)
            XCTAssertGreaterThanOrEqual(genetic, 3 * max(1, random), "L = \(limit): genetic \(genetic) (\(all) vacua in all), random \(random)")
        }
        var genetic = 0, random = 0
        for seed: UInt64 in 1...5 {
            let result = try compare(limit: 10, evaluations: 20_000, selection: .roulette, seed: seed)
            genetic += result.genetic
            random += result.random
        }
        XCTAssertGreaterThanOrEqual(genetic, 3 * max(1, random), "roulette, 5 seeds: genetic \(genetic), random \(random)")
    }

    /// The agent, for the same 20 000 evaluations per run, against uniform random search at L = 10
    /// and 20, summed over three seeds: at least 10× the target vacua (at least 10 when random
    /// search finds none). Most of that margin comes from the walk itself: an untrained copy of the
    /// agent finds about as many (Benchmarks/README.md), which this test does not claim otherwise.
    func testPolicyAgentFindsMoreTargetVacuaThanRandomSearch() throws {
        let settings = PolicySettings(episodes: 16, steps: 25, discount: 0.9, learningRate: 3e-3, entropy: 0.01, valueWeight: 0.5, hidden: 32)
        for limit in [10, 20] {
            let target = VacuumTarget(fluxLimit: limit, stringCoupling: (0.25, 0.35))
            var found = 0, random = 0
            for seed: UInt64 in 4...6 {
                let agent = try FluxPolicyAgent(target: target, settings: settings, seed: seed, communicator: try Communicator.world())
                    .run(evaluations: 20_000)
                let enumerated = try Enumerated.keys(limit: limit)
                for d in agent.discoveries {
                    XCTAssertTrue(VacuumSolver.residuals(d.vacuum).allSatisfy { $0 < 1e-7 })
                    XCTAssertTrue(enumerated.contains(d.vacuum.genome), "found by the agent but not enumerated: \(d.vacuum)")
                }
                XCTAssertEqual(agent.evaluations, 20_000)
                found += agent.targetCount
                random += RandomSearch.run(target: target, evaluations: 20_000, seed: seed, rank: 0).targetCount
            }
            XCTAssertGreaterThanOrEqual(found, 10 * max(1, random), "L = \(limit), 3 seeds: agent \(found), random \(random)")
        }
    }

    /// What training changes, measured against an untrained copy (learning rate 1e-12, the same
    /// walk from the same starts): summed over four seeds at L = 20 with 20 000 evaluations it finds
    /// more distinct vacua (502 against 440 when measured; asserted: at least 5 % more). It does not
    /// find more target vacua than the untrained copy (45 against 52 there), which is not asserted.
    func testTrainingFindsMoreDistinctVacuaThanTheUntrainedWalk() throws {
        let target = VacuumTarget(fluxLimit: 20, stringCoupling: (0.25, 0.35))
        func distinct(_ rate: Double, _ seed: UInt64) throws -> Int {
            let settings = PolicySettings(episodes: 16, steps: 25, discount: 0.9, learningRate: rate, entropy: 0.01, valueWeight: 0.5, hidden: 32)
            return try FluxPolicyAgent(target: target, settings: settings, seed: seed, communicator: try Communicator.world())
                .run(evaluations: 20_000).discoveries.count
        }
        var trained = 0, untrained = 0
        for seed: UInt64 in 1...4 {
            trained += try distinct(3e-3, seed)
            untrained += try distinct(1e-12, seed)
        }
        XCTAssertGreaterThanOrEqual(Double(trained), 1.05 * Double(untrained), "distinct vacua: trained \(trained), untrained \(untrained)")
    }

    /// The agent's PPO objective against central differences of its own sum, with old policies
    /// that leave some samples inside the clipping range and some outside it on either side.
    func testPolicyObjectiveGradient() throws {
        let agent = FluxPolicyAgent(target: VacuumTarget(fluxLimit: 10),
                                    settings: PolicySettings(episodes: 1, steps: 1, discount: 0.9, learningRate: 1e-3, entropy: 0.05,
                                                             valueWeight: 0.5, hidden: 4, epochs: 1, clip: 0.2),
                                    seed: 1, communicator: try Communicator.world())
        var generator = SplitMix64(seed: 3)
        let batch = 4, width = 17
        var outputs = (0..<(batch * width)).map { _ in Double.random(in: -1...1, using: &generator) }
        func logSoftmax(_ n: Int, _ a: Int) -> Double {
            let z = outputs[(n * width)..<(n * width + 16)], m = z.max()!
            return z[n * width + a] - m - log(z.map { exp($0 - m) }.reduce(0, +))
        }
        // (action, return, advantage, log π_old): ratios 1, e^0.5 (clipped, A > 0), e^−0.5 (clipped, A < 0), e^0.5 with A < 0.
        let targets: [Double] = [3, 0.7, 1.2, logSoftmax(0, 3), 15, -0.4, 0.8, logSoftmax(1, 15) - 0.5,
                                 0, 1.5, -0.6, logSoftmax(2, 0) + 0.5, 7, 0.2, -1.1, logSoftmax(3, 7) - 0.5]
        var gradient = [Double](repeating: 0, count: outputs.count), scratch = gradient
        func value(_ o: [Double], into g: inout [Double]) -> Double {
            o.withUnsafeBufferPointer { ob in targets.withUnsafeBufferPointer { tb in g.withUnsafeMutableBufferPointer { agent.objective(ob, tb, batch, $0) } } }
        }
        _ = value(outputs, into: &gradient)
        for i in outputs.indices {
            let saved = outputs[i], h = 1e-6
            outputs[i] = saved + h
            let up = value(outputs, into: &scratch)
            outputs[i] = saved - h
            let down = value(outputs, into: &scratch)
            outputs[i] = saved
            XCTAssertEqual(gradient[i], (up - down) / (2 * h), accuracy: 1e-6 * max(1, abs(gradient[i])), "output \(i)")
        }
    }
}

/// The canonical keys of the complete enumeration, computed once per L.
enum Enumerated {
    nonisolated(unsafe) static var cache: [Int: Set<FluxGenome>] = [:]

    static func keys(limit: Int) throws -> Set<FluxGenome> {
        if let keys = cache[limit] { return keys }
        let keys = Set(try VacuumEnumeration.all(limit: limit).map(\.genome))
        cache[limit] = keys
        return keys
    }
}
