import Foundation
import PackagePlugin

/// Bakes the git commit of the package's checkout into the `BuildInfo` module at build time, so
/// that every run file records the commit its program was built from (`git_commit`), with
/// `-dirty` appended when tracked files differ from that commit. `swift build` and `make build`
/// alike run it again whenever git's HEAD or index or any source file of the package changed
/// (a commit rewrites the index); it rewrites the generated file only when the commit changes,
/// so an unchanged checkout recompiles nothing. Without git or a `.git` (a source tarball) the
/// commit is "unknown".
@main
struct GitCommit: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let package = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltFromCommit.swift")
        // --no-optional-locks: reading the status must not take the index lock a user's git may hold.
        let script = #"""
            repo="$1"; out="$2"; PATH="$PATH:/usr/local/bin:/usr/bin:/bin"
            commit=$(git -C "$repo" rev-parse HEAD 2>/dev/null) || commit=unknown
            if [ "$commit" != unknown ] && [ -n "$(git -C "$repo" --no-optional-locks status --porcelain --untracked-files=no 2>/dev/null)" ]; then
              commit="$commit-dirty"
            fi
            text="// Generated at build time by Plugins/GitCommit: the commit the sources were built from.
            let builtFromCommit = \"$commit\""
            [ -f "$out" ] && [ "$(cat "$out")" = "$text" ] || printf '%s\n' "$text" > "$out"
            """#
        let sources = context.package.targets.compactMap { $0.sourceModule }.flatMap { $0.sourceFiles.map(\.url) }
        return [.buildCommand(displayName: "Reading the git commit of \(context.package.displayName)",
                              executable: URL(fileURLWithPath: "/bin/sh"),
                              arguments: ["-c", script, "sh", package.path, output.path],
                              inputFiles: Self.gitState(of: package) + sources,
                              outputFiles: [output])]
    }

    /// The files a commit, a checkout or staging changes: HEAD and the index of the checkout's git
    /// folder (`.git`, or the folder a worktree's `.git` file names); none outside a checkout.
    static func gitState(of package: URL) -> [URL] {
        let dotGit = package.appending(path: ".git")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dotGit.path, isDirectory: &isFolder) else { return [] }
        var folder = dotGit
        if !isFolder.boolValue {
            guard let text = try? String(contentsOf: dotGit, encoding: .utf8), text.hasPrefix("gitdir: ") else { return [] }
            let path = text.dropFirst(8).trimmingCharacters(in: .whitespacesAndNewlines)
            folder = path.hasPrefix("/") ? URL(fileURLWithPath: path) : package.appending(path: path)
        }
        return ["HEAD", "index"].map { folder.appending(path: $0) }.filter { FileManager.default.fileExists(atPath: $0.path) }
    }
}
