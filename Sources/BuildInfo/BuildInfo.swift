/// Facts about this build that only the build knows.
public enum BuildInfo {
    /// The git commit the sources were built from (`…-dirty` when tracked files differed from
    /// it), or "unknown" for a build outside a git checkout. Set by the GitCommit build plugin.
    public static let gitCommit: String = builtFromCommit
}
