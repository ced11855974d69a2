import Cluster
import Foundation
import Store
import Vacua

/// A search's state in a checkpoint: every rank's numbers (its islands, walkers or round, with its
/// discoveries; encodings in VacuaSearchStates) one after another in `rank_numbers`, where each
/// starts in `rank_offsets`, what all ranks share (the agent's network and optimiser) in `shared`,
/// and the method in the text `method`. The state belongs to the number of ranks that wrote it.
enum SearchCheckpoint {
    /// The version of this layout.
    static let version = 1

    /// Puts this rank's numbers and rank 0's shared ones. Collective.
    static func put(method: String, rank numbers: [Double], shared: [Double], into state: CheckpointState, communicator: Communicator) throws {
        let counts = try communicator.allgather(numbers.count)
        let offsets = counts.reduce(into: [0]) { $0.append($0.last! + $1) }
        let mine = offsets[communicator.rank.index]
        try state.put("method", text: method)
        try state.put("rank_offsets", values: offsets.map(Int64.init))
        try numbers.withUnsafeBufferPointer { buffer in
            try state.put("rank_numbers", shape: [offsets.last!], blocks: [StateBlock(offset: [mine], count: [numbers.count], values: buffer)])
        }
        try state.put("shared", values: shared)
    }

    /// This rank's numbers and the shared ones from a verified checkpoint of `method`. Collective.
    static func read(_ contents: CheckpointContents, method: String, communicator: Communicator) throws -> (numbers: [Double], shared: [Double]) {
        let written = try contents.text("method")
        guard written == method else { throw JobError(file: contents.path, "holds the state of a \"\(written)\" search, not \"\(method)\"") }
        let offsets = try contents.values("rank_offsets", as: Int64.self, count: communicator.size + 1).map(Int.init)
        let total = try contents.shape("rank_numbers").first ?? 0
        guard offsets.first == 0, offsets.last == total, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw JobError(file: contents.path, "holds inconsistent search state offsets")
        }
        let r = communicator.rank.index
        var numbers = [Double](repeating: 0, count: offsets[r + 1] - offsets[r])
        try numbers.withUnsafeMutableBufferPointer { buffer in
            try contents.read("rank_numbers", into: [MutableStateBlock(offset: [offsets[r]], count: [buffer.count], values: buffer)],
                              communicator: communicator)
        }
        return (numbers, try contents.values("shared", as: Double.self))
    }
}
