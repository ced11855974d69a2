/// The keys at the top of every job file, whatever its kind: which job it is, where its result
/// goes and the seed of its random numbers. A definition holds them as its `header`; the file
/// writes them at the top level, beside the kind's own sections.
public struct JobHeader: Codable, Sendable {
    /// `kind`: which kind of job the file holds (`JobKinds` lists them).
    public var kind: String
    /// `output`: the result file the run writes; must end in .h5. Relative paths are relative to
    /// the working directory.
    public var output: String
    /// `seed`: the root of every random number; the same seed gives the same result bit for bit on
    /// any number of ranks.
    public var seed: UInt64

    /// The name of the property every definition keeps its header in, and which the file does not spell.
    static let property = "header"

    /// A job file's top-level table as the definitions decode it: these keys gathered under `header`.
    static func nested(_ table: [String: Any]) -> [String: Any] {
        let keys = DecodableKeys.of(JobHeader.self)[""] ?? []
        var nested = table.filter { !keys.contains($0.key) }
        nested[property] = table.filter { keys.contains($0.key) }
        return nested
    }

    /// The keys a definition accepts, by section, as the file spells them: the header's at the top level.
    static func flattened(_ accepted: [String: Set<String>]) -> [String: Set<String>] {
        var flat = accepted
        flat[""] = (accepted[""] ?? []).subtracting([property]).union(accepted[property] ?? [])
        flat[property] = nil
        return flat
    }
}
