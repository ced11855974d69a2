import Cluster
import Store

/// One dataset or group of a `.partial` run file as a checkpoint recorded it: the part of the
/// dataset that was final (nil: all of it), the checksum of that part and of its attributes.
struct LedgerEntry: Equatable {
    var path: String
    var isGroup: Bool
    var region: StoredRegion?
    var checksum: ContentChecksum
    var attributes: ContentChecksum

    static let columns = [Column("path", .text(maximumBytes: 512)), Column("is_group", .integer), Column("axis", .integer),
                          Column("period", .integer), Column("count", .integer), Column("checksum", .integer),
                          Column("attributes", .integer)]

    var row: [Cell] {
        [.text(path), .integer(isGroup ? 1 : 0), .integer(Int64(region?.axis ?? -1)), .integer(Int64(region?.period ?? 0)),
         .integer(Int64(region?.count ?? 0)), .integer(Int64(bitPattern: checksum.value)), .integer(Int64(bitPattern: attributes.value))]
    }

    init(path: String, isGroup: Bool, region: StoredRegion?, checksum: ContentChecksum, attributes: ContentChecksum) {
        self.path = path
        self.isGroup = isGroup
        self.region = region
        self.checksum = checksum
        self.attributes = attributes
    }

    init?(row: [Cell]) {
        guard row.count == 7, case let .text(path) = row[0], case let .integer(group) = row[1], case let .integer(axis) = row[2],
              case let .integer(period) = row[3], case let .integer(count) = row[4], case let .integer(sum) = row[5],
              case let .integer(attributes) = row[6], axis < 0 || (period >= 1 && count >= 0 && count <= period) else { return nil }
        self.init(path: path, isGroup: group != 0,
                  region: axis < 0 ? nil : StoredRegion(axis: Int(axis), period: Int(period), count: Int(count)),
                  checksum: ContentChecksum(UInt64(bitPattern: sum)), attributes: ContentChecksum(UInt64(bitPattern: attributes)))
    }
}

/// A dataset of the run file written piece by piece as the run goes (series, saved
/// configurations): each write adds the block's checksum, and the part written so far is the first
/// `count` indices of every `period` along `axis`, so a checkpoint can record exactly what was final.
public final class TrackedDataset {
    let dataset: Dataset
    let path: String
    let axis: Int
    let period: Int
    let shape: [Int]
    private let key: UInt64
    /// This rank's sum since the ledger started, plus (on rank 0) what the checkpoint resumed from held.
    fileprivate var sum: ContentChecksum
    /// The highest count along the axis this rank has completed a write for.
    fileprivate var count: Int

    fileprivate init(dataset: Dataset, path: String, axis: Int, period: Int?, baseline: LedgerEntry?, isRoot: Bool) throws {
        self.dataset = dataset
        self.path = path
        self.axis = axis
        self.shape = try dataset.shape()
        self.period = period ?? max(1, shape[axis])
        key = ContentChecksum.key(path)
        sum = isRoot ? baseline?.checksum ?? .zero : .zero
        count = baseline?.region?.count ?? 0
    }

    /// Writes this rank's block (row-major values, `count` elements along each axis at `offset`). Collective.
    public func write<Element: StorableScalar>(_ values: UnsafeBufferPointer<Element>, at offset: [Int], count: [Int]) throws {
        try dataset.write(values, at: offset, count: count)
        guard count.reduce(1, *) > 0 else { return }
        sum += ContentChecksum.block(UnsafeRawBufferPointer(values), elementSize: MemoryLayout<Element>.size, shape: shape,
                                     offset: offset, count: count, key: key)
        self.count = max(self.count, (offset[axis] + count[axis] - 1) % period + 1)
    }

    /// Writes an array block; see the buffer form. Collective.
    public func write<Element: StorableScalar>(_ values: [Element], at offset: [Int], count: [Int]) throws {
        try values.withUnsafeBufferPointer { try write($0, at: offset, count: count) }
    }

    /// The number of axes.
    public var axes: Int { shape.count }
}

/// The `.partial` run file while a run writes it: the datasets written as the run goes, tracked,
/// and everything else checksummed once when first seen, so that each checkpoint records what the
/// file held at that moment and a resume can check the file against it before trusting it.
public final class PartialLedger {
    let file: File
    let communicator: Communicator
    private var tracked: [String: TrackedDataset] = [:]
    private var settled: [String: LedgerEntry] = [:]
    /// The attributes' checksum of each object seen (attributes are written when an object is made).
    private var attributeSums: [String: ContentChecksum] = [:]
    /// What the checkpoint of a resumed run recorded, for datasets tracked again.
    private var baselines: [String: LedgerEntry] = [:]

    init(file: File, communicator: Communicator) {
        self.file = file
        self.communicator = communicator
    }

    /// Starts tracking `dataset` (at `path` in the file), written piece by piece along `axis` in
    /// blocks of `period` (default: the whole axis). Collective.
    public func track(_ dataset: Dataset, path: String, axis: Int, period: Int? = nil) throws -> TrackedDataset {
        let entry = try TrackedDataset(dataset: dataset, path: path, axis: axis, period: period, baseline: baselines[path],
                                       isRoot: communicator.isRoot)
        tracked[path] = entry
        return entry
    }

    /// Every object of the file now, with the checksums a checkpoint records. Collective.
    func entries() throws -> [LedgerEntry] {
        var result: [LedgerEntry] = []
        for (path, isGroup) in try objects() {
            if let t = tracked[path] {
                let count = try communicator.allreduce(t.count, .max)
                let sum = ContentChecksum(try communicator.allreduce(t.sum.value, .sum))
                result.append(LedgerEntry(path: path, isGroup: false, region: StoredRegion(axis: t.axis, period: t.period, count: count),
                                          checksum: sum, attributes: try attributeChecksum(path, isGroup: false)))
            } else if let known = settled[path] {
                result.append(known)
            } else {
                let checksum = isGroup ? .zero : try file.root().openDataset(path).checksum(key: ContentChecksum.key(path))
                let entry = LedgerEntry(path: path, isGroup: isGroup, region: nil, checksum: checksum,
                                        attributes: try attributeChecksum(path, isGroup: isGroup))
                settled[path] = entry
                result.append(entry)
            }
        }
        return result
    }

    /// Every group and dataset of the file, parents first. Collective.
    private func objects() throws -> [(path: String, isGroup: Bool)] { try file.root().descendants() }

    /// The checksum of the attributes of the object at `path`, read once. Collective.
    private func attributeChecksum(_ path: String, isGroup: Bool) throws -> ContentChecksum {
        if let known = attributeSums[path] { return known }
        let root = try file.root()
        let holder: AttributeHolder = isGroup ? try root.openGroup(path) : try root.openDataset(path)
        let sum = try Self.attributes(of: holder, path: path)
        attributeSums[path] = sum
        return sum
    }

    /// The checksum of an object's attributes (except its own `checksum`), tied to its path. Collective.
    static func attributes(of holder: AttributeHolder, path: String) throws -> ContentChecksum {
        var sum = ContentChecksum.zero
        for name in try holder.attributeNames() where name != "checksum" {
            sum += ContentChecksum.text(try holder.attribute(name).description, key: ContentChecksum.key(path + "@" + name))
        }
        return sum
    }

    /// The ledger of a resumed run: the file is checked against what its checkpoint recorded (every
    /// recorded part of every dataset re-read and checksummed, every attribute compared), and what
    /// was made after that checkpoint is removed, so the run continues from exactly the recorded
    /// state. Throws a `JobError` naming what differs. Collective.
    static func reopen(_ file: File, recorded: [LedgerEntry], communicator: Communicator, checkpoint: String) throws -> PartialLedger {
        let ledger = PartialLedger(file: file, communicator: communicator)
        let root = try file.root()
        let present = Dictionary(try ledger.objects().map { ($0.path, $0.isGroup) }, uniquingKeysWith: { a, _ in a })
        for entry in recorded {
            guard present[entry.path] == entry.isGroup else {
                throw JobError(file: file.path, "has lost \(entry.path), which the checkpoint \(checkpoint) recorded")
            }
            if !entry.isGroup {
                let dataset = try root.openDataset(entry.path)
                if let region = entry.region, region.axis >= (try dataset.shape()).count {
                    throw JobError(file: file.path, "\(entry.path) has another shape than the checkpoint \(checkpoint) recorded")
                }
                let sum = try dataset.checksum(of: entry.region, key: ContentChecksum.key(entry.path))
                guard sum == entry.checksum else {
                    throw JobError(file: file.path, "\(entry.path) differs from what the checkpoint \(checkpoint) recorded "
                                   + "(the file was changed or damaged after the checkpoint was written)")
                }
            }
            guard try ledger.attributeChecksum(entry.path, isGroup: entry.isGroup) == entry.attributes else {
                throw JobError(file: file.path, "the attributes of \(entry.path) differ from what the checkpoint \(checkpoint) recorded")
            }
            if entry.region != nil { ledger.baselines[entry.path] = entry } else { ledger.settled[entry.path] = entry }
        }
        // Made after the checkpoint (by the steps the resume will redo, or an interrupted finish): removed.
        let kept = Set(recorded.map(\.path))
        var removed = Set<String>()
        for (path, _) in try ledger.objects() where !kept.contains(path) && !removed.contains(where: { path.hasPrefix($0 + "/") }) {
            try root.remove(path)
            removed.insert(path)
        }
        return ledger
    }
}
