import ArgumentParser
import Cluster
import Foundation
import Jobs
import Store

/// The flags `run` and `validate` share.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Write the result here instead of the job file's `output`.")
    var output: String?

    @Flag(name: .long, help: "Replace an existing result (or discard an interrupted run's checkpoint).")
    var force = false

    @Flag(name: .long, help: "Continue the interrupted run whose checkpoint (NAME.h5.partial) is at the output path.")
    var resume = false

    @Option(name: .long, help: ArgumentHelp("Training data: a run file to read instead of the job's [data] files (train jobs; repeat for several).", valueName: "run.h5"))
    var data: [String] = []

    @Option(name: .long, parsing: .unconditional,
            help: ArgumentHelp("Use this seed instead of the job file's `seed` (recorded in the run file's job text; resume with the same).", valueName: "n"),
            transform: { text in
                guard let value = UInt64(text) else {
                    throw ValidationError("a seed is a whole number from 0 to \(UInt64.max)")
                }
                return value
            })
    var seed: UInt64?

    @Option(name: .customLong("set"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Override a job-file key, e.g. --set ising.extent=32 or --set output=L32.h5 (repeatable; checked like the file; recorded in the run file's `overrides` and `job`). Resume with the same --set flags.",
                               valueName: "section.key=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp("Seconds between progress lines when standard error is not a terminal (under mpirun or srun); 0 for none but the last. On a terminal the line is live.",
                               valueName: "seconds"))
    var progress: Double = Progress.defaultInterval

    @Option(name: .customLong("stop-after-checkpoints"), help: .hidden)
    var stopAfterCheckpoints: Int?

    func validate() throws {
        guard progress >= 0, progress.isFinite else { throw ValidationError("--progress \(progress): give the seconds between progress lines, 0 or more") }
    }

    /// The job file with `--seed`, `--set` and `--data` applied, checked as one file.
    func loadJob(_ file: String) throws(JobError) -> JobFile {
        let parsed = try overrides.map { (text: String) throws(JobError) in try KeyOverride(parsing: text) }
        return try JobFile.load(file).replacingSeed(seed).replacing(parsed).replacingData(data)
    }

    func runOptions() -> RunOptions {
        var options = RunOptions(output: output, force: force, resume: resume, stopAfterCheckpoints: stopAfterCheckpoints)
        options.progressInterval = progress
        return options
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a job file on all ranks and write its run file.",
        discussion: """
        The job file's `kind` picks what runs: \(JobKinds.all.map { "\($0.kind.name) (\($0.kind.summary))" }.joined(separator: "; ")).
        Results go to NAME.h5.partial and become NAME.h5 only when complete; NAME.h5.checkpoint holds
        the last checkpoint and NAME.h5.lock marks the output as taken while the run lives. SIGTERM,
        SIGINT or SIGUSR1 (Slurm's warning signal) to the ranks makes them all stop within a step or
        two with a checkpoint, exit code \(ExitStatus.interrupted). Under mpirun send SIGUSR1 (mpirun kills its
        ranks one second after SIGTERM or Ctrl-C, whatever they do; see README, "Stopping a run").
        """)

    @Argument(help: "The job file (TOML).")
    var file: String

    @OptionGroup var outputOptions: OutputOptions

    @OptionGroup(title: "The summary table printed at the end") var table: TableOptions

    func run() throws {
        let options = outputOptions.runOptions()
        let job: JobFile, path: String
        do {
            job = try outputOptions.loadJob(file)
            try job.job.validate(ranks: MPIEnvironment.launcherSize, file: job.path)
            path = try options.checkOutput(for: job, ranks: MPIEnvironment.launcherSize)
            try table.check(against: type(of: job.job).kind.summaryColumns)
        } catch {
            throw reject(error)
        }
        var outcome = RunOutcome.completed, seconds = 0.0
        try withMPI { world in
            let logger = makeLogger(rank: world.rank.index)
            if world.isRoot {
                logger.info("\(type(of: job.job).kind) job \(file) on \(world.size) rank(s) → \(path)")
            }
            let start = MPIEnvironment.wallTime()
            outcome = try Runner.run(job, outputPath: path, options: options, communicator: world, logger: logger)
            seconds = MPIEnvironment.wallTime() - start
        }
        // The table is printed after MPI has ended, by one process: a failure here (a --columns
        // naming no column of a kind whose columns were not known before) is then that process's
        // alone and cannot leave another rank waiting.
        if outcome == .completed, (MPIEnvironment.launcherRank ?? 0) == 0 {
            let wrote = String(format: "wrote %@ in %.2f s", path, seconds)
            do {
                let inspection = try Inspection.read(path)
                if !inspection.summaryColumns.isEmpty {
                    print(try table.render(inspection.summary), terminator: "")
                }
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n(the run itself completed: \(wrote))\n".utf8))
                throw ArgumentParser.ExitCode(ExitStatus.badInput)
            }
            // With --csv or --json, stdout holds only the table, for a script to read.
            if table.isMachineReadable { FileHandle.standardError.write(Data((wrote + "\n").utf8)) } else { print(wrote) }
        }
        if case let .interrupted(step) = outcome {
            if (MPIEnvironment.launcherRank ?? 0) == 0 {
                FileHandle.standardError.write("interrupted at step \(step); checkpoint in \(RunPaths(output: path).checkpoint); continue with --resume\n".data(using: .utf8)!)
            }
            throw ArgumentParser.ExitCode(ExitStatus.interrupted)
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a job file and print what it would run, touching nothing.")

    @Argument(help: "The job file (TOML).")
    var file: String

    @OptionGroup var outputOptions: OutputOptions

    @Option(help: "Plan for this many ranks (default: the launcher's, or 1).")
    var ranks: Int?

    @Flag(name: .customLong("print-output"), help: "Print only the output path, for scripts (slurm/step.sh).")
    var printOutput = false

    func validate() throws {
        if let ranks, ranks < 1 { throw ValidationError("--ranks: \(ranks) is not valid: give 1 or more") }
    }

    func run() throws {
        let job: JobFile, path: String
        let size = ranks ?? MPIEnvironment.launcherSize
        do {
            job = try outputOptions.loadJob(file)
            try job.job.validate(ranks: size, file: job.path)
            path = try outputOptions.runOptions().checkOutput(for: job, ranks: size)
        } catch {
            throw reject(error)
        }
        guard (MPIEnvironment.launcherRank ?? 0) == 0 else { return }
        if printOutput {
            print(path)
            return
        }
        let needs = job.job.resources(ranks: max(1, size))
        print("\(file): valid \(type(of: job.job).kind) job")
        print("  output: \(path)\(outputOptions.resume ? " (resuming)" : "")")
        print("  seed:   \(job.job.seed)")
        let columns = type(of: job.job).kind.summaryColumns
        if !columns.isEmpty {
            print(TerminalTable.wrapped(columns, lead: "  table:  ", indent: String(repeating: " ", count: 10)), terminator: "")
        }
        for line in job.job.plan(ranks: max(1, size)) { print("  " + line) }
        print("  needs about \(ByteCount(needs.runFileBytes)) for the run file, \(ByteCount(needs.checkpointBytes)) per checkpoint, "
              + "\(ByteCount(needs.memoryPerRankBytes)) of memory per rank")
    }
}

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a run file (or catalog, prediction file, checkpoint): provenance, datasets with shapes and types, the summary table.")

    @Argument(help: "The run file (HDF5).")
    var file: String

    @Flag(help: "Print the same report as JSON, for scripts.")
    var json = false

    @Option(help: ArgumentHelp("Show these summary columns (comma-separated; an observable brings its error).", valueName: "a,b,c"))
    var columns: String?

    @Flag(help: "Print only the summary table, as CSV, every column (or those of --columns) at full precision.")
    var csv = false

    @Flag(help: "Check every dataset and attribute against the file's checksums; exit 2 if anything was altered or damaged.")
    var verify = false

    func run() throws {
        do {
            let inspection = try Inspection.read(file)
            let selection = columns.map(TableOptions.columnList)
            if csv {
                print(try inspection.summary.csv(selecting: selection), terminator: "")
            } else {
                print(json ? try inspection.json() : try inspection.text(columns: selection), terminator: json ? "\n" : "")
            }
            guard verify else { return }
            if let checkpoint = inspection.checkpoint {
                if let damage = checkpoint.damage { throw JobError(file: file, damage) }
                print("verified: every checksum of the checkpoint matches")
                return
            }
            switch try ResultSeal.verify(file) {
            case let .intact(count): print("verified: all \(count) datasets and every attribute match the file's checksums")
            case .unsealed: throw JobError(file: file, "carries no checksums (written by an Ensemble before 0.2, or not a finished result); it cannot be verified")
            case let .altered(problems):
                throw JobError(file: file, "does not match its checksums: it was altered or damaged after it was written:\n  "
                               + problems.joined(separator: "\n  "))
            }
        } catch let error as JobError {
            throw reject(error)
        }
    }
}

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the MPI library, the ranks and their hosts, HDF5 and OpenBLAS.")

    func run() throws {
        try withMPI { world in
            let lines = try SystemReport.lines(communicator: world)
            if world.isRoot { lines.forEach { print($0) } }
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check MPI and parallel HDF5 across the ranks (run it under mpirun on a new install).",
        discussion: "Verifies collectives against known results and writes a small file that h5py and h5dump can read.")

    @Option(help: "The file to write (must not exist).")
    var output: String = "ensemble-check.h5"

    func run() throws {
        if FileManager.default.fileExists(atPath: output) {
            throw reject(JobError(file: "--output", "\"\(output)\" exists; choose another path"))
        }
        var failed = false
        try withMPI { world in
            let results = try InstallationCheck.run(writing: output, communicator: world)
            failed = results.contains { !$0.passed }
            guard world.isRoot else { return }
            for r in results { print("\(r.passed ? "ok  " : "FAIL") \(r.name) (\(r.detail))") }
            print("\(results.filter(\.passed).count) passed, \(results.filter { !$0.passed }.count) failed on \(world.size) rank(s); wrote \(output)")
        }
        if failed { throw ArgumentParser.ExitCode.failure }
    }
}
