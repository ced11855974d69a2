import Foundation
import Launching
import XCTest

/// The batch scripts under `slurm/` on a real Slurm cluster (`slurm/local-cluster.sh start`, which
/// `make test` runs as root): a job through run.sbatch that Slurm's warning signal stops, requeues
/// and resumes to the configurations of an uninterrupted run; a campaign array merged by a
/// dependent job; bad input ending a job with exit 2 before anything is written.
final class SlurmTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The cluster's answer, or a skip that says how to get one.
    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sbatch") else {
            throw XCTSkip("Slurm is not installed: run slurm/local-cluster.sh start (as root) for these tests")
        }
        let launcher = try Launcher()
        defer { launcher.remove() }
        let state = try Self.slurm(launcher, "sinfo", ["-h", "-o", "%T"])
        guard state.status == 0, ["idle", "mixed", "allocated"].contains(where: state.stdout.contains) else {
            throw XCTSkip("no Slurm cluster answers (\(state.stderr)): run slurm/local-cluster.sh start")
        }
    }

    /// Slurm clients in the scratch folder, with the repository and binary the scripts use.
    static func slurm(_ launcher: Launcher, _ command: String, _ arguments: [String]) throws -> Launcher.Outcome {
        var environment = Launcher.childEnvironment().filter { key, _ in !key.hasPrefix("SLURM_") }
        environment["ENSEMBLE_HOME"] = repository.path
        environment["ENSEMBLE_BINARY"] = Launcher.binary
        let local = "/var/tmp/ensemble-slurm/slurm.conf"
        if !FileManager.default.fileExists(atPath: "/etc/slurm/slurm.conf"), FileManager.default.fileExists(atPath: local) {
            environment["SLURM_CONF"] = local
        }
        return try launcher.execute("/usr/bin/\(command)", arguments, environment: environment)
    }

    /// Submits a batch script from the scratch folder; returns the job id.
    func submit(_ launcher: Launcher, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let outcome = try Self.slurm(launcher, "sbatch", ["--parsable", "--chdir", launcher.folder.path] + arguments)
        XCTAssertEqual(outcome.status, 0, "sbatch: \(outcome.stderr)", file: file, line: line)
        return outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: ";")[0]
    }

    /// A job's fields from `scontrol show job` (MinJobAge keeps ended jobs there).
    func fields(_ launcher: Launcher, _ job: String) throws -> [[String: String]] {
        let outcome = try Self.slurm(launcher, "scontrol", ["show", "job", "-o", job])
        return outcome.stdout.split(separator: "\n").map { record in
            var result: [String: String] = [:]
            for word in record.split(separator: " ") {
                let pair = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if pair.count == 2 { result[String(pair[0])] = String(pair[1]) }
            }
            return result
        }
    }

    /// Waits until the job (every task of an array) has ended; returns the final records.
    func waitFor(_ launcher: Launcher, _ job: String, seconds: Double = 120) throws -> [[String: String]] {
        let deadline = Date().addingTimeInterval(seconds)
        let ended: Set<String> = ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE"]
        while Date() < deadline {
            let records = try fields(launcher, job)
            if !records.isEmpty, records.allSatisfy({ ended.contains($0["JobState"] ?? "") }) { return records }
            usleep(200_000)
        }
        XCTFail("job \(job) did not end within \(seconds) s: \(try fields(launcher, job))")
        return try fields(launcher, job)
    }

    func log(_ launcher: Launcher, _ name: String) -> String {
        (try? String(contentsOfFile: launcher.path(name), encoding: .utf8)) ?? "(no \(name))"
    }

    /// An Ising scan that takes some seconds and checkpoints often, so a signal lands mid-run.
    static let scan = """
        kind = "ising"
        output = "scan.h5"
        seed = 11
        [ising]
        extents = [128, 128]
        temperatures = [2.1, 2.4]
        algorithms = ["metropolis"]
        thermalization = 100
        sweeps = 120000
        save_every = 10000
        checkpoint_every = 2000
        """

    func digest(_ launcher: Launcher, _ name: String) throws -> String {
        try launcher.python("""
        import h5py, hashlib
        f = h5py.File('\(name)', 'r')
        assert f.attrs['completed']
        print(hashlib.sha256(f['configurations'][...].tobytes() + f['observables/energy'][...].tobytes()).hexdigest())
        """)
    }

    /// Slurm holds a requeued job for two minutes (Reason=BeginTime); this releases it, but only
    /// once the first start has ended (pending again, the node idle) and in a later second than the
    /// requeue: slurmd revokes the killed start's credential with one-second resolution, and a
    /// restart 0.3 s after the requeue failed at once ("Job credential revoked", exit 1).
    func release(_ launcher: Launcher, _ job: String) throws {
        let held = Date().addingTimeInterval(60)
        while Date() < held {
            let record = try fields(launcher, job).first
            let node = try Self.slurm(launcher, "sinfo", ["-h", "-N", "-o", "%T"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if record?["Restarts"] == "1" && record?["JobState"] == "PENDING" && node == "idle" { break }
            usleep(100_000)
        }
        usleep(1_500_000)
        let release = try Self.slurm(launcher, "scontrol", ["update", "JobId=\(job)", "StartTime=now"])
        XCTAssertEqual(release.status, 0, release.stderr)
    }

    /// Waits for `path` (in the scratch folder) to appear.
    func waitForFile(_ launcher: Launcher, _ name: String, log logName: String) {
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: launcher.path(name)) && Date() < deadline { usleep(50_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: launcher.path(name)), log(launcher, logName))
    }

    /// Submitted with --force over an earlier result: the first start replaces it, Slurm's warning
    /// signal stops it with a checkpoint, and the requeued start resumes (never --force again).
    func testWarningSignalRequeuesAndTheJobResumesToTheSameConfigurations() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("scan.toml", Self.scan)
        let whole = try launcher.ensemble(ranks: 2, ["run", "scan.toml", "--output", "whole.h5"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        try launcher.write("split.h5", "an earlier result, replaced because of --force")

        let job = try submit(launcher, ["-n", "2", "--output", "slurm.log", Self.repository.appendingPathComponent("slurm/run.sbatch").path,
                                        "scan.toml", "--output", "split.h5", "--force"])
        // Signal once the first checkpoint exists, as Slurm does 300 s before the limit.
        waitForFile(launcher, "split.h5.checkpoint", log: "slurm.log")
        let signal = try Self.slurm(launcher, "scancel", ["--signal=USR1", job])
        XCTAssertEqual(signal.status, 0, signal.stderr)
        try release(launcher, job)

        let record = try waitFor(launcher, job)[0]
        let text = log(launcher, "slurm.log")
        XCTAssertEqual(record["JobState"], "COMPLETED", text)
        XCTAssertEqual(record["ExitCode"], "0:0", text)
        XCTAssertEqual(record["Restarts"], "1", "requeued once: \(text)")
        XCTAssertTrue(text.contains("requeueing job \(job)"), text)
        XCTAssertTrue(text.contains("resuming it"), text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("split.h5.partial")))
        XCTAssertEqual(try digest(launcher, "split.h5"), try digest(launcher, "whole.h5"), "interrupted under Slurm and resumed: \(text)")
        XCTAssertEqual(try launcher.python("import h5py; print(h5py.File('split.h5', 'r').attrs['resumes'])"), "1")
    }

    func testCampaignArrayMergedByADependentJob() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("search.toml", """
            kind = "vacua"
            output = "search.h5"
            seed = 1
            [vacua]
            flux_limit = 10
            method = "genetic"
            evaluations = 100000
            string_coupling = [0.25, 0.55]
            [vacua.genetic]
            population = 100
            """)
        let array = try submit(launcher, ["--array=1-2", "-n", "1", "--output", "campaign-%a.log",
                                          Self.repository.appendingPathComponent("slurm/campaign.sbatch").path, "search.toml", "runs"])
        let merge = try submit(launcher, ["--dependency=afterok:\(array)", "--output", "merge.log",
                                          Self.repository.appendingPathComponent("slurm/merge.sbatch").path, "runs", array])
        // Submitted twice (a user's retry, a second afterok job): the merge is the same.
        let again = try submit(launcher, ["--dependency=afterok:\(merge)", "--output", "merge-again.log",
                                          Self.repository.appendingPathComponent("slurm/merge.sbatch").path, "runs", array])
        let tasks = try waitFor(launcher, array)
        XCTAssertEqual(tasks.count, 2)
        for task in tasks { XCTAssertEqual(task["ExitCode"], "0:0", log(launcher, "campaign-\(task["ArrayTaskId"] ?? "?").log")) }
        let merged = try waitFor(launcher, merge)[0]
        XCTAssertEqual(merged["ExitCode"], "0:0", log(launcher, "merge.log"))
        XCTAssertEqual(try waitFor(launcher, again)[0]["ExitCode"], "0:0", log(launcher, "merge-again.log"))

        // Each task's job file carries its own seed, and the merge holds the union without repeats.
        for task in [1, 2] {
            let text = (try? String(contentsOfFile: launcher.path("runs/campaign-\(array)-\(task).toml"), encoding: .utf8)) ?? ""
            XCTAssertTrue(text.contains("\nseed = \(task)\n"), text)
        }
        let counts = try launcher.python("""
        import h5py
        keys = lambda f: [tuple(int(r[k]) for k in ('a0', 'a', 'b', 'b0', 'c0', 'c', 'd', 'd0')) for r in h5py.File(f, 'r')['catalog'][...]]
        a, b, m = keys('runs/campaign-\(array)-1.h5'), keys('runs/campaign-\(array)-2.h5'), keys('runs/campaign-\(array).h5')
        print(len(a) > 0, len(b) > 0, len(m) == len(set(m)), set(m) == set(a) | set(b))
        """)
        XCTAssertEqual(counts, "True True True True")
    }

    /// A bad job file, or a job the allocation's number of tasks cannot run (one replica on two
    /// ranks, checked by validate with --ranks before srun starts anything), ends with exit 2.
    func testBadJobEndsTheBatchJobWithExitTwoAndWritesNothing() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("bad.toml", Self.scan.replacingOccurrences(of: "[128, 128]", with: "[127, 128]"))
        try launcher.write("one.toml", Self.scan.replacingOccurrences(of: "[2.1, 2.4]", with: "[2.1]"))
        let before = try launcher.listing()
        let run = try submit(launcher, ["-n", "2", "--output", "/dev/null", Self.repository.appendingPathComponent("slurm/run.sbatch").path,
                                        "bad.toml"])
        let ranks = try submit(launcher, ["-n", "2", "--output", "ranks.log", Self.repository.appendingPathComponent("slurm/run.sbatch").path,
                                          "one.toml"])
        let campaign = try submit(launcher, ["--array=1", "-n", "1", "--output", "/dev/null",
                                             Self.repository.appendingPathComponent("slurm/campaign.sbatch").path, "bad.toml", "runs"])
        XCTAssertEqual(try waitFor(launcher, run)[0]["ExitCode"], "2:0")
        XCTAssertEqual(try waitFor(launcher, ranks)[0]["ExitCode"], "2:0")
        let text = log(launcher, "ranks.log")
        XCTAssertTrue(text.contains("2 ranks but only 1 replicas"), text)
        XCTAssertFalse(text.contains("srun"), "refused before srun: \(text)")
        XCTAssertEqual(try waitFor(launcher, campaign)[0]["ExitCode"], "2:0")
        try FileManager.default.removeItem(atPath: launcher.path("ranks.log"))
        XCTAssertEqual(try launcher.listing(), before, "a rejected job wrote nothing")
    }

    /// The shipped scripts do not let Open MPI run as root on their own: whoever needs that exports it.
    func testScriptsDoNotAllowRootUnlessAsked() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let environment = ["PATH": "/usr/bin:/bin", "ENSEMBLE_HOME": Self.repository.path, "ENSEMBLE_BINARY": Launcher.binary]
        let outcome = try launcher.execute("/bin/bash", ["-c", "source \(Self.repository.path)/slurm/env.sh && env"], environment: environment)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertFalse(outcome.stdout.contains("OMPI_ALLOW_RUN_AS_ROOT"), outcome.stdout)
    }

    /// A campaign task requeued after its template was edited resumes the job file it began with.
    func testARequeuedCampaignTaskKeepsItsJobFile() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let search = """
            kind = "vacua"
            output = "search.h5"
            seed = 1
            [vacua]
            flux_limit = 10
            method = "random"
            evaluations = 60000000
            checkpoint_every = 200
            """
        try launcher.write("search.toml", search)
        let whole = try launcher.ensemble(ranks: 1, ["run", "search.toml", "--output", "whole.h5"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        let array = try submit(launcher, ["--array=1", "-n", "1", "--output", "task.log",
                                          Self.repository.appendingPathComponent("slurm/campaign.sbatch").path, "search.toml", "runs"])
        let task = array + "_1"
        waitForFile(launcher, "runs/campaign-\(array)-1.h5.checkpoint", log: "task.log")
        try launcher.write("search.toml", search.replacingOccurrences(of: "evaluations = 60000000", with: "evaluations = 10"))
        XCTAssertEqual(try Self.slurm(launcher, "scancel", ["--signal=USR1", task]).status, 0)
        try release(launcher, task)
        let record = try waitFor(launcher, task)[0]
        let text = log(launcher, "task.log")
        XCTAssertEqual(record["ExitCode"], "0:0", text)
        XCTAssertEqual(record["Restarts"], "1", text)
        XCTAssertTrue(text.contains("resuming it"), text)
        XCTAssertEqual(try launcher.python("""
        import h5py
        a = h5py.File('whole.h5', 'r')['catalog'][...]; b = h5py.File('runs/campaign-\(array)-1.h5', 'r')['catalog'][...]
        print(len(a) > 0, a.tobytes() == b.tobytes())
        """), "True True")
    }
}
