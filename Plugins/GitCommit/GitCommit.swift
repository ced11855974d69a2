import Foundation
import PackagePlugin

/// Bakes the git commit of the package's checkout into the `BuildInfo` module at build time, so
/// that every run file records the commit its program was built from (`git_commit`), with
/// `-dirty` appended when tracked files differ from that commit. Runs on every build, with
/// `swift build` and `make build` alike; rewrites the generated file only when the commit changes,
/// so an unchanged checkout recompiles nothing. Without git or a `.git` (a source tarball) the
/// commit is "unknown".
@main
struct GitCommit: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let generated = context.pluginWorkDirectoryURL.appending(path: "Generated")
        // --no-optional-locks: reading the status must not take the index lock a user's git may hold.
        let script = #"""
            repo="$1"; out="$2"; PATH="$PATH:/usr/local/bin:/usr/bin:/bin"
            commit=$(git -C "$repo" rev-parse HEAD 2>/dev/null) || commit=unknown
            if [ "$commit" != unknown ] && [ -n "$(git -C "$repo" --no-optional-locks status --porcelain --untracked-files=no 2>/dev/null)" ]; then
              commit="$commit-dirty"
            fi
            text="// Generated at build time by Plugins/GitCommit: the commit the sources were built from.
            let builtFromCommit = \"$commit\""
            mkdir -p "$(dirname "$out")"
            [ -f "$out" ] && [ "$(cat "$out")" = "$text" ] || printf '%s\n' "$text" > "$out"
            """#
        return [.prebuildCommand(displayName: "Reading the git commit of \(context.package.displayName)",
                                 executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script, "sh", context.package.directoryURL.path,
                                             generated.appending(path: "BuiltFromCommit.swift").path],
                                 outputFilesDirectory: generated)]
    }
}
