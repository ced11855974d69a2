import ArgumentParser
import Foundation
import Jobs

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse finished runs together: finite-size crossings.",
        subcommands: [AnalyzeCrossing.self])
}

struct AnalyzeCrossing: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crossing",
        abstract: "Where an observable of neighbouring lattice sizes crosses: the finite-size estimate of T_c or κ_c.",
        discussion: """
        Give Ising or φ⁴ scans that differ only in the lattice size, on one temperature (or κ) grid, e.g.
          for L in 16 32; do mpirun ensemble run jobs/ising-scan.toml --set "ising.extents=[$L,$L]" --set output=L$L.h5; done
          ensemble analyze crossing L16.h5 L32.h5
        Each neighbouring pair's crossing is the root of a weighted quadratic through the difference of
        the two curves around the sign change. The error is a bootstrap over blocks of each chain's series
        (blocks far longer than the autocorrelation time are nearly independent); points on one grid are
        resampled independently, which holds unless the scan used replica exchange.
        """)

    @Argument(help: "The scans, one per lattice size (any order).")
    var files: [String]

    @Option(help: "The observable whose curves cross.")
    var observable: CrossingAnalysis.Observable = .binder

    @Option(help: "Bootstrap replicas.")
    var replicas: Int = 1000

    @Option(help: "Blocks each chain's series is cut into for the bootstrap.")
    var blocks: Int = 32

    @Option(help: "Seed of the bootstrap's random draws.")
    var seed: UInt64 = 1

    @OptionGroup(title: "Output") var table: TableOptions

    func validate() throws {
        if replicas < 20 { throw ValidationError("--replicas \(replicas): give at least 20 for an error bar") }
        if blocks < 4 { throw ValidationError("--blocks \(blocks): give at least 4") }
    }

    func run() throws {
        do {
            let analysis = try CrossingAnalysis(files: files, observable: observable,
                                                replicas: replicas, blocksPerChain: blocks, seed: seed)
            if !table.isMachineReadable { print(analysis.heading) }
            print(try table.render(analysis.table), terminator: "")
        } catch {
            throw reject(error)
        }
    }
}

extension CrossingAnalysis.Observable: ExpressibleByArgument {}
