import Foundation
import Launching
import XCTest

/// The commit a run file records (`git_commit`) and `ensemble --version` shows is the checkout's
/// the binary was built from, baked in by the GitCommit build plugin: `git rev-parse HEAD`, with
/// `-dirty` when tracked files differ from it. Never "unknown" in a build from a git checkout.
final class GitCommitTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testRunFileAndVersionCarryTheCommitOfTheCheckout() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let head = try launcher.execute("/usr/bin/env", ["git", "-C", Self.repository.path, "rev-parse", "HEAD"])
        guard head.status == 0 else { throw XCTSkip("\(Self.repository.path) is not a git checkout: its builds record \"unknown\"") }
        let status = try launcher.execute("/usr/bin/env", ["git", "-C", Self.repository.path, "status", "--porcelain", "--untracked-files=no"])
        XCTAssertEqual(status.status, 0, status.stderr)
        let commit = head.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            + (status.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "" : "-dirty")

        let version = try launcher.ensemble(["--version"])
        XCTAssertEqual(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0.1.0 (git \(commit))",
                       "the binary was built from another state of the checkout than it is in now, or git was not read at build time")
        try launcher.write("demo.toml", """
            kind = "demo"
            output = "demo.h5"
            seed = 7
            [demo]
            autocorrelations = [0.5]
            chains = 2
            measurements = 1000
            checkpoint_every = 500
            """)
        // ENSEMBLE_GIT_COMMIT only stands in for a build outside a checkout: it must not win here.
        var environment = Launcher.childEnvironment()
        environment["ENSEMBLE_GIT_COMMIT"] = "not-this"
        let run = try launcher.execute(Launcher.binary, ["run", "demo.toml"], environment: environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try launcher.python("import h5py; print(h5py.File('demo.h5', 'r').attrs['git_commit'])"), commit)
    }
}
