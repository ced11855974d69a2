import Cluster
import Foundation
import Store

/// The checksums a finished file carries, so that anyone can tell an intact result from an altered
/// or damaged one: each dataset's own (`checksum` attribute, "sum64:…", see `ContentChecksum`) and
/// the file's (root `checksum`), which also covers every attribute of every object.
public enum ResultSeal {
    /// What a verification found.
    public enum Verdict: Sendable, Equatable {
        /// Every checksum matches.
        case intact(datasets: Int)
        /// The file carries no checksum (written before results were sealed).
        case unsealed
        /// What does not match.
        case altered([String])
    }

    /// Stores every dataset's checksum and then the file's; the last thing written before a result
    /// is committed. Collective.
    static func seal(_ file: File) throws {
        let root = try file.root()
        var total = ContentChecksum.zero
        for (path, isGroup) in try root.descendants() where !isGroup {
            let dataset = try root.openDataset(path)
            let sum = try dataset.checksum(key: ContentChecksum.key(path))
            try dataset.setAttribute("checksum", sum.description)
            total += sum
        }
        total += try attributes(root)
        try root.setAttribute("checksum", total.description)
    }

    /// Checks every checksum of the file at `path`; reads it serially, or shared by the ranks of
    /// `communicator`. Throws a `JobError` if the file cannot be read at all. Collective when a
    /// communicator is given.
    public static func verify(_ path: String, communicator: Communicator? = nil) throws -> Verdict {
        let file = try refusing({ () throws(StoreError) in try File.open(path, communicator: communicator) }) { unreadable(path, $0) }
        defer { try? file.close() }
        do {
            return try verify(file)
        } catch let error as StoreError {
            throw unreadable(path, error)
        }
    }

    /// Checks an open file. Collective in a parallel file.
    static func verify(_ file: File) throws -> Verdict {
        let root = try file.root()
        guard root.hasAttribute("checksum"), case let .text(recorded) = try root.attribute("checksum") else { return .unsealed }
        var problems: [String] = []
        var total = ContentChecksum.zero
        for (path, isGroup) in try root.descendants() where !isGroup {
            let dataset = try root.openDataset(path)
            let sum = try dataset.checksum(key: ContentChecksum.key(path))
            total += sum
            guard dataset.hasAttribute("checksum"), case let .text(own) = try dataset.attribute("checksum") else {
                problems.append("/\(path) has no checksum (added after the file was sealed)")
                continue
            }
            if own != sum.description { problems.append("/\(path) does not match its checksum (its values were changed or damaged)") }
        }
        total += try attributes(root)
        if problems.isEmpty && total.description != recorded {
            problems.append("the attributes do not match the file's checksum (an attribute was changed, added or removed)")
        }
        return problems.isEmpty ? .intact(datasets: try root.descendants().filter { !$0.isGroup }.count) : .altered(problems)
    }

    /// Checks an input file before a command uses it: a damaged or altered file is refused (exit 2);
    /// one written before results were sealed is used, with a note from rank 0.
    public static func requireIntact(_ path: String, role: String, communicator: Communicator? = nil, note: (String) -> Void) throws {
        switch try verify(path, communicator: communicator) {
        case .intact: return
        case .unsealed: note("\(path) carries no checksums (written by an older Ensemble); it is used unverified")
        case let .altered(problems):
            throw JobError(file: path, "is damaged or was altered since it was written, so it cannot be used as \(role): "
                           + problems.prefix(3).joined(separator: "; ") + (problems.count > 3 ? "; and \(problems.count - 3) more" : ""))
        }
    }

    /// The checksum of every attribute of every object except the `checksum`s themselves. Collective.
    private static func attributes(_ root: Group) throws -> ContentChecksum {
        var sum = try PartialLedger.attributes(of: root, path: "")
        for (path, isGroup) in try root.descendants() {
            let holder: AttributeHolder = isGroup ? try root.openGroup(path) : try root.openDataset(path)
            sum += try PartialLedger.attributes(of: holder, path: path)
        }
        return sum
    }

    /// Opens the file at `path` read-only on this process alone and reads it with `body`, first
    /// checking its checksums when `verifying` (a note on stderr for a file too old to carry any):
    /// every failure becomes a JobError naming the file (a damaged or missing file says so; any
    /// other error says the file cannot be read as `what`, e.g. "a catalog").
    static func read<Value>(_ path: String, as what: String, verifying: Bool = false,
                            _ body: (Group) throws -> Value) throws(JobError) -> Value {
        do {
            if verifying {
                try requireIntact(path, role: what) { FileHandle.standardError.write("note: \($0)\n".data(using: .utf8)!) }
            }
            let file = try File.open(path, communicator: nil)
            defer { try? file.close() }
            return try body(try file.root())
        } catch let error as JobError {
            throw error
        } catch let error as StoreError {
            throw unreadable(path, error)
        } catch {
            throw JobError(file: path, "cannot be read as \(what): \(error)")
        }
    }

    /// The message for a file HDF5 cannot read.
    static func unreadable(_ path: String, _ error: StoreError) -> JobError {
        switch error {
        case .missing: return JobError(file: path, "no such file")
        case .notHDF5: return JobError(file: path, "is damaged: it is not an HDF5 file (its header was overwritten, or it was truncated to nothing)")
        default: return JobError(file: path, "is damaged and cannot be read (\(error.briefDescription))")
        }
    }
}

extension Group {
    /// Every group and dataset below this group, parents first, as (path, is a group). Collective.
    func descendants() throws -> [(path: String, isGroup: Bool)] {
        var found: [(String, Bool)] = []
        func walk(_ group: Group, _ prefix: String) throws {
            for (name, kind) in try group.members() {
                let path = prefix.isEmpty ? name : prefix + "/" + name
                found.append((path, kind == .group))
                if kind == .group { try walk(try group.openGroup(name), path) }
            }
        }
        try walk(self, "")
        return found
    }
}

/// What `body` gives, or the `JobError` that `refusal` makes of the file error it threw.
func refusing<T>(_ body: () throws(StoreError) -> T, _ refusal: (StoreError) -> JobError) throws(JobError) -> T {
    do throws(StoreError) {
        return try body()
    } catch {
        throw refusal(error)
    }
}
