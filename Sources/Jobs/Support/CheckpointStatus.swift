import Store

/// What `inspect` shows of a checkpoint file (`NAME.h5.checkpoint`): the run it continues, how far
/// that run got, and whether every checksum still matches.
public struct CheckpointStatus: Sendable {
    /// The run's kind, seed and ranks, and how far it got (`step` `unit`s).
    public let kind: String, seed: UInt64, ranks: Int, step: Int, unit: String
    /// When the run started, and how often it had been resumed when the checkpoint was written.
    public let runCreated: String, resumes: Int
    /// What is damaged, or nil when every checksum matches.
    public let damage: String?

    /// The status of the checkpoint open as `file`, or nil when the file is no checkpoint.
    static func read(_ file: File, path: String) throws -> CheckpointStatus? {
        let root = try file.root()
        guard root.hasAttribute("format"), case .text(CheckpointHeader.format) = try root.attribute("format") else { return nil }
        let header = try CheckpointHeader.read(from: root, file: path)
        var damage: String? = nil
        do {
            _ = try Checkpoint.verify(file, path: path, communicator: nil)
        } catch let error as JobError {
            damage = error.key.map { "\($0): \(error.message)" } ?? error.message
        } catch let error as StoreError {
            damage = "is damaged and cannot be read (\(error.briefDescription))"
        }
        return CheckpointStatus(kind: header.identity.kind, seed: header.identity.seed, ranks: header.ranks, step: header.step,
                                unit: header.unit, runCreated: header.runCreated, resumes: header.resumes, damage: damage)
    }

    /// The first lines of `inspect`'s report.
    func headline(_ path: String) -> String {
        let output = path.hasSuffix(".checkpoint") ? String(path.dropLast(".checkpoint".count)) : "OUTPUT.h5"
        return "\(path): CHECKPOINT, not a result: a run of kind \(kind) (seed \(seed), \(ranks) rank(s)) at \(unit) \(step)\n"
            + "  continue it with: ensemble run JOB.toml --output \(output) --resume\n"
            + (damage.map { "  DAMAGED: the checkpoint \($0)\n" } ?? "  checksums: every one matches\n")
    }

    /// The JSON object `inspect --json` gives it.
    var json: [String: Any] {
        ["kind": kind, "seed": seed, "ranks": ranks, "step": step, "unit": unit, "run_created": runCreated, "resumes": resumes,
         "intact": damage == nil, "damage": damage ?? ""]
    }
}
