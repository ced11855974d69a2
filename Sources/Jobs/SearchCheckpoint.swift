import Cluster
import Foundation
import Store
import Vacua

/// The checkpoint of a genetic search: every island's population, discoveries and position, in a
/// serial HDF5 file beside the `.partial` file that rank 0 writes whole and renames into place.
struct SearchCheckpoint {
    let path: String
    let target: VacuumTarget

    init(output: String, target: VacuumTarget) {
        path = output + ".checkpoint"
        self.target = target
    }

    /// Gathers every island's state on rank 0 and writes them. Collective.
    func write(_ state: GeneticState, communicator: Communicator) throws {
        let discoveries = state.evaluator.discoveries.flatMap { d -> [Double] in
            d.vacuum.genome.quanta.map(Double.init) + [d.vacuum.tau.re, d.vacuum.tau.im, d.vacuum.phi.re, d.vacuum.phi.im,
                                                       Double(d.evaluations), d.inTarget ? 1 : 0]
        }
        let flat = [Double(state.generation), Double(state.evaluator.evaluations), Double(state.population.count)]
            + state.population.flatMap { $0.quanta.map(Double.init) } + discoveries
        let all = try communicator.gatherVariable(flat)
        if communicator.isRoot {
            let temporary = path + ".tmp"
            unlink(temporary)
            let file = try File.create(temporary, communicator: nil)
            let root = try file.root()
            try root.setAttribute("ranks", Int64(all.count))
            for (rank, numbers) in all.enumerated() {
                try root.createDataset("rank_\(rank)", of: Double.self, shape: [numbers.count]).writeFromRoot(numbers)
            }
            try file.close()
            guard rename(temporary, path) == 0 else {
                throw JobError(file: path, "cannot write the checkpoint: \(String(cString: strerror(errno)))")
            }
        }
        try communicator.barrier()
    }

    /// This rank's island as checkpointed; the run must resume on as many ranks as it started with.
    func read(rank: Int, ranks: Int) throws -> GeneticState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let file = try File.open(path, communicator: nil)
        defer { try? file.close() }
        let root = try file.root()
        guard case let .integer(stored) = try root.attribute("ranks"), Int(stored) == ranks else {
            throw JobError(file: path, "holds the islands of a search on another number of ranks; resume it on the same number")
        }
        let q = try root.openDataset("rank_\(rank)").readAll(Double.self)
        let p = Int(q[2]), base = 3 + 8 * p
        let population = (0..<p).map { k in FluxGenome(q[(3 + 8 * k)..<(3 + 8 * k + 8)].map { Int($0) }) }
        var discoveries: [Discovery] = []
        for k in stride(from: base, to: q.count, by: 14) {
            let genome = FluxGenome(q[k..<(k + 8)].map { Int($0) })
            let vacuum = FluxVacuum(genome: genome, tau: Complex(q[k + 8], q[k + 9]), phi: Complex(q[k + 10], q[k + 11]))
            discoveries.append(Discovery(vacuum: vacuum, evaluations: Int(q[k + 12]), inTarget: q[k + 13] == 1))
        }
        return GeneticState(generation: Int(q[0]), population: population,
                            evaluator: LandscapeEvaluator(target: target, evaluations: Int(q[1]), discoveries: discoveries))
    }

    func remove() { unlink(path); unlink(path + ".tmp") }
}
