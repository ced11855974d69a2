import ArgumentParser
import Jobs

/// `ensemble report`: plots and tables of completed run files in one self-contained HTML file.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML file of plots and tables from completed run files.",
        discussion: """
        Ising and φ⁴ scans: every observable against T or κ with error bars (the exact Kaufman curve \
        beside 2D Ising data), acceptance, ⟨ΔH⟩ and τ_int, a few configurations as images; files of \
        several lattice sizes are overlaid with their U₄ and χ/L^(γ/ν) crossings marked. Searches and \
        catalogs: the discovery curve, g_s against e^(K/2)|W|, the N_flux histogram, and recall when an \
        enumeration is among the files. Flow sampling: each observable against the reference run. \
        Training: loss and accuracy per epoch, the mean prediction per point and the estimate with its \
        error band. The tables behind the plots follow them.
        The file has inline SVG and CSS only: no scripts, fonts or images are fetched, so it opens \
        offline. Reads the files serially (no mpirun needed); checks every input before writing.
          ensemble report out/ising-scan.h5 -o ising.html
          ensemble report L16.h5 L32.h5 L64.h5 -o sizes.html
        """)

    @Argument(help: "Completed run files (HDF5) or merged catalogs.")
    var files: [String]

    @Option(name: .shortAndLong, help: "The HTML file to write.")
    var output: String

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func run() throws {
        do {
            try Report.write(inputs: files, output: output, replacing: force)
            print("wrote \(output)")
        } catch let error as JobError {
            throw reject(error)
        }
    }
}
