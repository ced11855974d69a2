import ArgumentParser
import Cluster
import Foundation
import Jobs
import Logging
import Numerics
import Store

/// The `ensemble` command: lattice Monte Carlo, HMC, landscape searches and training over MPI.
@main
struct Ensemble: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lattice Monte Carlo, φ⁴ HMC, flux-vacuum searches and data-parallel training over MPI, with parallel HDF5 run files.",
        discussion: """
        Start it under mpirun or srun to use several ranks, e.g.
          mpirun -np 4 ensemble run jobs/demo.toml
        Exit codes: 0 success; 1 a run failed midway (a full disk, a diverging run: its last checkpoint is kept); 2 bad input, \
        a damaged input or checkpoint, or an output another run holds (nothing touched); \(ExitStatus.interrupted) stopped on a signal \
        with a checkpoint (continue with --resume).
        Shell completion: `ensemble --generate-completion-script bash` (or zsh, fish) prints a script to source.
        """,
        version: "\(Provenance.version) (git \(Provenance.gitCommit))",
        subcommands: [Run.self, Validate.self, Inspect.self, ReportCommand.self, Analyze.self, Predict.self, Export.self, CatalogCommand.self, Info.self, Exact.self, Check.self, Bench.self]
    )

    /// Refuses to start on a CPU that lacks an instruction-set extension this build was compiled
    /// for (a binary built on one node of a cluster and run on an older one), rather than dying of
    /// SIGILL somewhere inside a kernel.
    static func main() {
        if let missing = InstructionSet.missingFeature {
            FileHandle.standardError.write("""
                error: this ensemble was built for \(InstructionSet.name) (make CPU=native on the build host), \
                but this CPU has no \(missing). Rebuild on this machine, or for the oldest CPU the \
                job will meet, e.g. `make build CPU=x86-64` (see docs/clusters.md, "Building for a cluster").

                """.data(using: .utf8)!)
            Foundation.exit(1)
        }
        // ArgumentParser leaves a bad flag with EX_USAGE (64); this program documents 2 for every
        // kind of bad input, which batch scripts (slurm/step.sh) and users test for.
        do {
            var command = try parseAsRoot(nil)
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                badInputExit(fullMessage(for: error))
            }
            exit(withError: error)
        }
    }
}

/// Prints a bad-input error once and leaves with exit code 2, touching no file.
///
/// Under a launcher, the ranks meet in one barrier after rank 0 has printed: otherwise a rank that
/// exits first makes mpirun kill rank 0 before its message reaches the terminal.
func reject(_ error: JobError) -> ArgumentParser.ExitCode {
    reportOnce("error: \(error)")
    return ArgumentParser.ExitCode(ExitStatus.badInput)
}

/// A bad flag (swift-argument-parser's usage error, or a command's `validate()`): reported once, exit 2.
func badInputExit(_ message: String) -> Never {
    reportOnce(message)
    Foundation.exit(ExitStatus.badInput)
}

/// Prints `message` from the launcher's rank 0 only; under a launcher the ranks then meet in one
/// barrier, so that no rank's exit makes mpirun kill rank 0 before its message is out.
private func reportOnce(_ message: String) {
    if (MPIEnvironment.launcherRank ?? 0) == 0 {
        FileHandle.standardError.write((message + "\n").data(using: .utf8)!)
    }
    if MPIEnvironment.launcherSize > 1 || MPIEnvironment.isInitialized, let world = try? MPIEnvironment.initialize() {
        try? world.barrier()
        MPIEnvironment.finalize()
    }
}

/// A logger that says which rank speaks (ShortLogHandler); ranks other than 0 only report
/// warnings and errors.
func makeLogger(rank: Int) -> Logger {
    var logger = Logger(label: "ensemble") { _ in ShortLogHandler(rank: rank) }
    logger.logLevel = rank == 0 ? .info : .warning
    return logger
}

/// Runs `body` with MPI. Errors every rank raises alike end the job once, reported by rank 0: bad
/// input or a refused resume with exit 2, a run that failed midway with exit 1. Any other error
/// may be one rank's alone, so it aborts the job rather than leave the others waiting in a collective.
func withMPI(_ body: (Communicator) throws -> Void) throws {
    do {
        try MPIEnvironment.run { world in
            do {
                try body(world)
            } catch let error as JobError {
                throw agreedExit(world, "error: \(error)", code: ExitStatus.badInput)
            } catch let error as RunFailure {
                if error.abandonsFiles { abandon(world, "error: \(error)") }
                throw agreedExit(world, "error: \(error)", code: RunFailure.exitCode)
            } catch let error as StoreError {
                if error.isNoSpace { abandon(world, "error: \(error)") }
                throw agreedExit(world, "error: \(error)", code: RunFailure.exitCode)
            } catch {
                FileHandle.standardError.write("error on rank \(world.rank.index): \(error)\n".data(using: .utf8)!)
                if world.size > 1 { world.abort(code: 1) }
                throw ArgumentParser.ExitCode.failure
            }
        }
    } catch let error as JobError {
        throw reject(error)
    }
}

/// Reports an error all ranks share once, from rank 0, and ends the job at once with exit 1,
/// leaving the open files as they are: on a full disk, closing them can stop inside HDF5.
private func abandon(_ world: Communicator, _ message: String) -> Never {
    if world.isRoot { FileHandle.standardError.write((message + "\n").data(using: .utf8)!) }
    try? world.barrier()
    if world.size > 1 { world.abort(code: RunFailure.exitCode) }
    exit(RunFailure.exitCode)
}

/// Reports an error all ranks share once, from rank 0, and meets the other ranks before MPI
/// finalises so the message reaches the terminal.
private func agreedExit(_ world: Communicator, _ message: String, code: Int32) -> ArgumentParser.ExitCode {
    if world.isRoot { FileHandle.standardError.write((message + "\n").data(using: .utf8)!) }
    // Files a failed step left open must close while MPI still runs.
    HDF5Library.closeOpenFiles()
    try? world.barrier()
    return ArgumentParser.ExitCode(code)
}
