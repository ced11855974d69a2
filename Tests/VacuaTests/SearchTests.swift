import Cluster
import Vacua
import XCTest

/// Genetic search against uniform random search, for the same number of solver evaluations.
final class SearchTests: XCTestCase {
    static let settings = GeneticSettings(population: 100, selection: .tournament(size: 3), crossover: 0.7, mutation: 0.6,
                                          elite: 4, migrateEvery: 10, migrants: 4, widthStart: 2, widthEnd: 0.1)

    func compare(limit: Int, evaluations: Int, selection: GeneticSettings.Selection) throws -> (genetic: Int, random: Int, all: Int) {
        let target = VacuumTarget(fluxLimit: limit, stringCoupling: (0.25, 0.35))
        var settings = Self.settings
        settings.selection = selection
        let world = try Communicator.world()
        let genetic = try GeneticSearch(target: target, settings: settings, seed: 3, communicator: world).run(evaluations: evaluations)
        let random = RandomSearch.run(target: target, evaluations: evaluations, seed: 3, rank: 0)
        for d in genetic.discoveries + random.discoveries {
            XCTAssertTrue(VacuumSolver.residuals(d.vacuum).allSatisfy { $0 < 1e-7 }, "\(d.vacuum)")
            XCTAssertTrue(d.vacuum.fluxNumber > 0 && d.vacuum.fluxNumber <= limit)
            XCTAssertEqual(d.inTarget, target.contains(d.vacuum))
        }
        return (genetic.targetCount, random.targetCount, genetic.discoveries.count)
    }

    /// Target g_s ∈ [0.25, 0.35): with 20 000 evaluations each, tournament selection finds at
    /// least 3× as many target vacua as uniform random search (at least 3 when random finds none)
    /// at L = 10 and 20; roulette selection, the weaker one, at L = 10.
    func testGeneticSearchFindsMoreTargetVacuaThanRandomSearch() throws {
        for (limit, selection) in [(10, GeneticSettings.Selection.tournament(size: 3)), (20, .tournament(size: 3)), (10, .roulette)] {
            let (genetic, random, all) = try compare(limit: limit, evaluations: 20_000, selection: selection)
            XCTAssertGreaterThanOrEqual(genetic, 3 * max(1, random), "L = \(limit) \(selection): genetic \(genetic) (\(all) vacua in all), random \(random)")
        }
    }
}
