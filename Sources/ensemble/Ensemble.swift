import ArgumentParser
import Cluster
import Foundation
import Jobs
import Logging
import Numerics

/// The `ensemble` command: lattice Monte Carlo, HMC, landscape searches and training over MPI.
@main
struct Ensemble: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lattice Monte Carlo, φ⁴ HMC, flux-vacuum searches and data-parallel training over MPI, with parallel HDF5 run files.",
        discussion: """
        Start it under mpirun or srun to use several ranks, e.g.
          mpirun -np 4 ensemble run jobs/demo.toml
        Exit codes: 0 success, 2 bad input (nothing touched), \(ExitStatus.interrupted) stopped on a signal with a checkpoint (continue with --resume).
        """,
        version: Provenance.version,
        subcommands: [Run.self, Validate.self, Inspect.self, Predict.self, CatalogCommand.self, Info.self, Exact.self, Check.self, Bench.self]
    )

    /// Refuses to start on a CPU that lacks an instruction-set extension this build was compiled
    /// for (a binary built on one node of a cluster and run on an older one), rather than dying of
    /// SIGILL somewhere inside a kernel.
    static func main() {
        if let missing = InstructionSet.missingFeature {
            FileHandle.standardError.write("""
                error: this ensemble was built for \(InstructionSet.name) (make CPU=native on the build host), \
                but this CPU has no \(missing). Rebuild on this machine, or for the oldest CPU the \
                job will meet, e.g. `make build CPU=x86-64` (see README, "Building for a cluster").

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
                FileHandle.standardError.write((fullMessage(for: error) + "\n").data(using: .utf8)!)
                Foundation.exit(ExitStatus.badInput)
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
    let rank = MPIEnvironment.launcherRank ?? 0
    if rank == 0 {
        FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
    }
    if MPIEnvironment.launcherSize > 1 || MPIEnvironment.isInitialized, let world = try? MPIEnvironment.initialize() {
        try? world.barrier()
        MPIEnvironment.finalize()
    }
    return ArgumentParser.ExitCode(ExitStatus.badInput)
}

/// A logger that says which rank speaks; ranks other than 0 only report warnings and errors.
func makeLogger(rank: Int) -> Logger {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = .info
        return handler
    }
    var logger = Logger(label: "ensemble")
    logger.logLevel = rank == 0 ? .info : .warning
    logger[metadataKey: "rank"] = "\(rank)"
    return logger
}

/// Runs `body` with MPI; an error that is not agreed by all ranks aborts the job instead of leaving
/// the other ranks waiting in a collective.
func withMPI(_ body: (Communicator) throws -> Void) throws {
    do {
        try MPIEnvironment.run { world in
            do {
                try body(world)
            } catch let error as JobError {
                // Raised on every rank alike (e.g. a training loss that became NaN); reported once,
                // with the ranks meeting before MPI finalises so the message reaches the terminal.
                if world.isRoot { FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!) }
                try? world.barrier()
                throw ArgumentParser.ExitCode.failure
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
