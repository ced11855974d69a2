import ArgumentParser
import Foundation
import Jobs

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Merge the catalogs of flux-vacuum searches and query them.",
        subcommands: [CatalogMerge.self, CatalogQuery.self])
}

struct CatalogMerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge catalogs (search runs or earlier merges) into one, one row per distinct vacuum (canonical key).")

    @Argument(help: "The catalogs to merge; where two hold the same vacuum, the earlier file's row is kept.")
    var files: [String]

    @Option(name: .shortAndLong, help: "The merged catalog to write.")
    var output: String

    @Flag(help: "Replace an existing output file.")
    var force = false

    func run() throws {
        do {
            guard output.hasSuffix(".h5") else { throw JobError(file: "--output", "\"\(output)\" must end in .h5") }
            if !force, FileManager.default.fileExists(atPath: output) {
                throw JobError(file: "--output", "\"\(output)\" exists; pass --force to replace it or choose another path")
            }
            let merged = try Catalog.merge(files)
            try merged.write(output, sources: files, replacing: force)
            print("merged \(files.count) catalog(s) into \(output): \(merged.rows.count) distinct vacua")
        } catch let error as JobError {
            throw reject(error)
        }
    }
}

struct CatalogQuery: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Print the vacua of a catalog whose g_s, e^{K/2}|W| or N_flux lie in given ranges.")

    @Argument(help: "The catalog (a search run or a merged catalog).")
    var file: String

    @Option(help: ArgumentHelp("g_s range, LOW:HIGH (half-open).", valueName: "low:high"))
    var gs: String?

    @Option(name: .customLong("normalized-w"), help: ArgumentHelp("e^{K/2}|W| range, LOW:HIGH.", valueName: "low:high"))
    var normalizedW: String?

    @Option(name: .customLong("n-flux"), help: ArgumentHelp("N_flux range, LOW:HIGH (inclusive of LOW, exclusive of HIGH).", valueName: "low:high"))
    var nFlux: String?

    func run() throws {
        do {
            var catalog = try Catalog.read(file)
            for (flag, column, text) in [("--gs", "g_s", gs), ("--normalized-w", "normalized_w", normalizedW), ("--n-flux", "n_flux", nFlux)] {
                guard let text else { continue }
                let parts = text.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
                guard parts.count == 2, let low = parts[0], let high = parts[1], low < high else {
                    throw JobError(file: flag, "\"\(text)\" must be LOW:HIGH with LOW < HIGH, e.g. 0.25:0.35")
                }
                catalog = try catalog.filtered(column, low, high)
            }
            print(catalog.text, terminator: "")
            print("\(catalog.rows.count) vacua")
        } catch let error as JobError {
            throw reject(error)
        }
    }
}
