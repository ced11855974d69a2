import Cluster
import Logging

/// The files a job reads, checked before anything is made: every file's checksums verified by all
/// ranks, then its SHA-256 (from rank 0) for the checkpoint's identity, so that a resume on
/// changed input is refused.
enum InputFiles {
    /// The SHA-256 of each of `paths`, after checking each is intact for use as `role`. Collective.
    static func verify(_ paths: [String], role: String, communicator: Communicator, logger: Logger) throws -> [String] {
        var digests: [String] = []
        for path in paths {
            try ResultSeal.requireIntact(path, role: role, communicator: communicator) { note in
                if communicator.isRoot { logger.warning("\(note)") }
            }
            var digest = "", failure = ""
            if communicator.isRoot {
                do { digest = try SHA256.hexDigest(ofFile: path) } catch { failure = "\(error)" }
            }
            failure = try communicator.broadcast(failure)
            guard failure.isEmpty else { throw JobError(file: path, "cannot be read to compute its SHA-256: \(failure)") }
            digests.append(try communicator.broadcast(digest))
        }
        return digests
    }
}
