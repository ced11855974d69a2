import Cluster
import Foundation
import Store

/// The one checkpoint mechanism of every job kind.
///
/// A checkpoint is a file of its own, `NAME.h5.checkpoint`: the kind's state under `/state`, the
/// ledger of the `.partial` run file under `/partial`, and as root attributes the identity of the
/// run (kind, job text, seed, data and their SHA-256, format and state version) and the step. It is
/// written whole to `NAME.h5.checkpoint.new` by all ranks, read back and checked, synced, and
/// renamed over the previous one, so a crash at any instant leaves the previous checkpoint or the
/// new one, never a mixture. Every array and attribute is covered by a checksum that does not
/// depend on the number of ranks; a resume re-reads everything and refuses a checkpoint whose
/// checksum, identity or format does not match, before any work.
public enum Checkpoint {
    /// Writes the checkpoint at `step`: `fill` puts the kind's state. Collective.
    static func write(_ paths: RunPaths, header: CheckpointHeader, ledger: [LedgerEntry], expectedBytes: Double = 0,
                      communicator: Communicator, fill: (CheckpointState) throws -> Void) throws {
        let rank = communicator.rank.index
        // Room for the whole new checkpoint beside the old one, checked before HDF5 writes anything.
        try File.requireSpace(Int64(expectedBytes * 1.1) + File.flushMargin, for: paths.newCheckpoint, communicator: communicator)
        let file = try File.create(paths.newCheckpoint, communicator: communicator, replacing: true, checksummedMetadata: true)
        FaultInjection.reach("checkpoint.created", rank: rank)
        let root = try file.root()
        let state = CheckpointState(group: try root.createGroup("state"), communicator: communicator)
        try fill(state)
        FaultInjection.reach("checkpoint.state-written", rank: rank)
        let table = try Table.create("partial", in: root, columns: LedgerEntry.columns)
        try table.append(communicator.isRoot ? ledger.map(\.row) : [])
        try header.write(to: root, written: try Provenance.timestamp(agreedBy: communicator))
        let partialSum = try table.dataset.checksum(key: ContentChecksum.key("partial"))
        try table.dataset.setAttribute("checksum", partialSum.description)
        var contents = state.checksums
        contents["partial"] = partialSum
        try root.setAttribute("checksum", try total(root: root, contents: contents).description)
        FaultInjection.reach("checkpoint.written", rank: rank)
        try file.flush()
        try file.close()
        // Read back before it replaces the last good checkpoint: only a verified file is published.
        let check = try File.open(paths.newCheckpoint, communicator: communicator)
        do {
            _ = try verify(check, path: paths.newCheckpoint, communicator: communicator)
            try check.close()
        } catch {
            try? check.close()
            throw RunFailure("the checkpoint just written to \(paths.newCheckpoint) does not read back as written (\(error)); "
                             + "the storage is corrupting data. The previous checkpoint \(paths.checkpoint) is untouched")
        }
        FaultInjection.reach("checkpoint.verified", rank: rank)
        try File.publish(paths.newCheckpoint, as: paths.checkpoint, communicator: communicator)
        FaultInjection.reach("checkpoint.published", rank: rank)
    }

    /// The checksum over everything in a checkpoint: the arrays' contents and every attribute.
    private static func total(root: Group, contents: [String: ContentChecksum]) throws -> ContentChecksum {
        var sum = contents.values.reduce(ContentChecksum.zero, +)
        sum += try PartialLedger.attributes(of: root, path: "")
        let state = try root.openGroup("state")
        sum += try PartialLedger.attributes(of: state, path: "state")
        for path in contents.keys.sorted() {
            sum += try PartialLedger.attributes(of: try root.openDataset(path), path: path)
        }
        return sum
    }

    /// Re-reads a checkpoint file whole and checks every checksum; returns the header and the ledger.
    /// Throws a `JobError` that names what is damaged. Collective.
    static func verify(_ file: File, path: String, communicator: Communicator?) throws -> (CheckpointHeader, [LedgerEntry]) {
        let root = try file.root()
        let header = try CheckpointHeader.read(from: root, file: path)
        guard root.contains("state"), root.contains("partial"), root.hasAttribute("checksum"),
              case let .text(recordedTotal) = try root.attribute("checksum") else {
            throw JobError(file: path, "is incomplete: it lacks its state, ledger or checksum")
        }
        var contents: [String: ContentChecksum] = [:]
        var names = try root.openGroup("state").members().filter { $0.kind == .dataset }.map { "state/" + $0.name }
        names.append("partial")
        for name in names {
            let dataset = try root.openDataset(name)
            guard dataset.hasAttribute("checksum"), case let .text(recorded) = try dataset.attribute("checksum") else {
                throw JobError(file: path, "is damaged: \(name) has no checksum")
            }
            let actual = try dataset.checksum(key: ContentChecksum.key(name))
            guard actual.description == recorded else {
                throw JobError(file: path, "is damaged: \(name) does not match its checksum (its values were changed or corrupted after it was written)")
            }
            contents[name] = actual
        }
        guard try total(root: root, contents: contents).description == recordedTotal else {
            throw JobError(file: path, "is damaged: its attributes (step, identity or state texts) do not match its checksum")
        }
        var ledger: [LedgerEntry] = []
        for row in try Table.open("partial", in: root).rows() {
            guard let entry = LedgerEntry(row: row) else { throw JobError(file: path, "is damaged: its ledger has an invalid row") }
            ledger.append(entry)
        }
        return (header, ledger)
    }

    /// Opens the checkpoint of a run to resume it: verified whole, and its identity matched against
    /// `identity`. Throws a `JobError` (exit 2) naming the file and what is wrong. Collective.
    static func open(_ paths: RunPaths, expecting identity: CheckpointIdentity, communicator: Communicator)
        throws -> (header: CheckpointHeader, ledger: [LedgerEntry], contents: CheckpointContents, file: File) {
        let file = try refusing({ () throws(StoreError) in try File.open(paths.checkpoint, communicator: communicator) }) {
            damaged(paths.checkpoint, $0)
        }
        do {
            let (header, ledger) = try verify(file, path: paths.checkpoint, communicator: communicator)
            if let reason = identity.mismatch(with: header.identity, ranks: communicator.size, compareDigests: true) {
                throw JobError(file: paths.checkpoint, reason)
            }
            return (header, ledger, CheckpointContents(group: try file.root().openGroup("state"), path: paths.checkpoint), file)
        } catch let error as StoreError {
            try? file.close()
            throw damaged(paths.checkpoint, error)
        } catch {
            try? file.close()
            throw error
        }
    }

    /// The refusal for a checkpoint HDF5 cannot read: truncated, overwritten, not HDF5 at all.
    static func damaged(_ path: String, _ error: StoreError) -> JobError { ResultSeal.unreadable(path, error) }
}
