import Cluster
import Foundation
import Store
import Vacua

/// The checkpoint of a genetic search (a `CheckpointFile`): every island's population, discoveries
/// and position.
struct SearchCheckpoint {
    let file: CheckpointFile
    let target: VacuumTarget

    init(output: String, target: VacuumTarget) {
        file = CheckpointFile(output: output)
        self.target = target
    }

    /// Gathers every island's state on rank 0 and writes them. Collective.
    func write(_ state: GeneticState, communicator: Communicator) throws {
        let flat = [Double(state.generation), Double(state.evaluator.evaluations), Double(state.population.count)]
            + state.population.flatMap { $0.quanta.map(Double.init) } + state.evaluator.discoveries.flatMap(\.encoded)
        let all = try communicator.gatherVariable(flat)
        if communicator.isRoot {
            try file.replace { root in
                try root.setAttribute("ranks", Int64(all.count))
                for (rank, numbers) in all.enumerated() {
                    try root.createDataset("rank_\(rank)", of: Double.self, shape: [numbers.count]).writeFromRoot(numbers)
                }
            }
        }
        try communicator.barrier()
    }

    /// This rank's island as checkpointed; the run must resume on as many ranks as it started with.
    func read(rank: Int, ranks: Int) throws -> GeneticState? {
        guard file.exists else { return nil }
        let file = try self.file.open()
        defer { try? file.close() }
        let root = try file.root()
        guard case let .integer(stored) = try root.attribute("ranks"), Int(stored) == ranks else {
            throw JobError(file: self.file.path, "holds the islands of a search on another number of ranks; resume it on the same number")
        }
        let q = try root.openDataset("rank_\(rank)").readAll(Double.self)
        let p = Int(q[2])
        let population = (0..<p).map { k in FluxGenome(q[(3 + 8 * k)..<(3 + 8 * k + 8)].map { Int($0) }) }
        let discoveries = Discovery.decode(q[(3 + 8 * p)...])
        return GeneticState(generation: Int(q[0]), population: population,
                            evaluator: LandscapeEvaluator(target: target, evaluations: Int(q[1]), discoveries: discoveries))
    }

    func remove() { file.remove() }
}
