import Cluster
import Foundation
import Store
import Vacua

/// The checkpoint of a search (a `CheckpointFile`): every rank's state as numbers (its island,
/// walkers or round, with its discoveries), what all ranks share (the agent's network and
/// optimiser), and the method that wrote it. The encodings are in VacuaSearchStates.
struct SearchCheckpoint {
    let file: CheckpointFile
    let target: VacuumTarget

    init(output: String, target: VacuumTarget) {
        file = CheckpointFile(output: output)
        self.target = target
    }

    /// Gathers every rank's numbers on rank 0 and writes them with rank 0's `shared`. Collective.
    func write(method: String, rank numbers: [Double], shared: [Double] = [], communicator: Communicator) throws {
        let all = try communicator.gatherVariable(numbers)
        if communicator.isRoot {
            try file.replace { root in
                try root.setAttribute("ranks", Int64(all.count))
                try root.setAttribute("method", method)
                for (rank, numbers) in all.enumerated() {
                    try root.createDataset("rank_\(rank)", of: Double.self, shape: [numbers.count]).writeFromRoot(numbers)
                }
                try root.createDataset("shared", of: Double.self, shape: [shared.count]).writeFromRoot(shared)
            }
        }
        try communicator.barrier()
    }

    /// This rank's numbers and the shared ones, or nil without a checkpoint; the run must resume
    /// with the method and on the number of ranks it started with.
    func read(method: String, rank: Int, ranks: Int) throws -> (numbers: [Double], shared: [Double])? {
        guard file.exists else { return nil }
        let file = try self.file.open()
        defer { try? file.close() }
        let root = try file.root()
        guard case let .integer(stored) = try root.attribute("ranks"), Int(stored) == ranks else {
            throw JobError(file: self.file.path, "holds the state of a search on another number of ranks; resume it on the same number")
        }
        guard case let .text(written) = try root.attribute("method"), written == method else {
            throw JobError(file: self.file.path, "holds the state of another search method, not \"\(method)\"")
        }
        return (try root.openDataset("rank_\(rank)").readAll(Double.self), try root.openDataset("shared").readAll(Double.self))
    }

    func remove() { file.remove() }
}
