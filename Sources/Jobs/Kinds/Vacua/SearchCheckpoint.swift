import Cluster
import Foundation
import Store
import Vacua

/// A search's state in a checkpoint: every rank's record (SearchStateRecords: its islands, walkers
/// or round, with its discoveries) as the UTF-8 bytes of its JSON, one after another in
/// `rank_numbers` (the array's name since version 1) where each starts in `rank_offsets`; the
/// record all ranks share (the agent's network and optimiser) as JSON in the text `shared`; and
/// the method in the text `method`. The state belongs to the number of ranks that wrote it.
enum SearchCheckpoint {
    /// The version of this layout: 2 has named records (1 had positional numbers).
    static let version = 2

    /// Puts this rank's record and rank 0's shared one. Collective.
    static func put<RankRecord: Encodable>(method: String, rank record: RankRecord, shared: (some Encodable)?,
                                           into state: CheckpointState, communicator: Communicator) throws {
        let bytes = try JSONNumbers.encoder.encode(record).map { Int8(bitPattern: $0) }
        let counts = try communicator.allgather(bytes.count)
        let offsets = counts.reduce(into: [0]) { $0.append($0.last! + $1) }
        let mine = offsets[communicator.rank.index]
        try state.put("method", text: method)
        try state.put("rank_offsets", values: offsets.map(Int64.init))
        try bytes.withUnsafeBufferPointer { buffer in
            try state.put("rank_numbers", shape: [offsets.last!], blocks: [StateBlock(offset: [mine], count: [bytes.count], values: buffer)])
        }
        try state.put("shared", text: try shared.map { String(decoding: try JSONNumbers.encoder.encode($0), as: UTF8.self) } ?? "")
    }

    /// This rank's record and the shared one (nil if none was written) from a verified checkpoint
    /// of `method`. Collective.
    static func read<RankRecord: Decodable, Shared: Decodable>(_ contents: CheckpointContents, method: String, as _: RankRecord.Type,
                                                              shared _: Shared.Type, communicator: Communicator) throws
        -> (rank: RankRecord, shared: Shared?) {
        let written = try contents.text("method")
        guard written == method else { throw JobError(file: contents.path, "holds the state of a \"\(written)\" search, not \"\(method)\"") }
        let offsets = try contents.values("rank_offsets", as: Int64.self, count: communicator.size + 1).map(Int.init)
        let total = try contents.shape("rank_numbers").first ?? 0
        guard offsets.first == 0, offsets.last == total, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw JobError(file: contents.path, "holds inconsistent search state offsets")
        }
        let r = communicator.rank.index
        var bytes = [Int8](repeating: 0, count: offsets[r + 1] - offsets[r])
        try bytes.withUnsafeMutableBufferPointer { buffer in
            try contents.read("rank_numbers", into: [MutableStateBlock(offset: [offsets[r]], count: [buffer.count], values: buffer)],
                              communicator: communicator)
        }
        let sharedText = try contents.text("shared")
        do {
            let record = try JSONNumbers.decoder.decode(RankRecord.self, from: Data(bytes.map { UInt8(bitPattern: $0) }))
            let shared = sharedText.isEmpty ? nil : try JSONNumbers.decoder.decode(Shared.self, from: Data(sharedText.utf8))
            return (record, shared)
        } catch let error as DecodingError {
            throw JobError(file: contents.path, "holds a \(method) search state this version cannot read (\(error))")
        }
    }
}

/// No shared record (every method but the policy agent).
struct NoSharedRecord: Codable {}
