import ArgumentParser
import Foundation
import Jobs

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Merge the catalogs of flux-vacuum searches, query them, and measure them against an enumeration.",
        subcommands: [CatalogMerge.self, CatalogQuery.self, CatalogRecall.self])
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
        let merged: Catalog
        do {
            merged = try Catalog.merge(files, into: output, replacing: force)
        } catch let error as JobError {
            throw reject(error)
        } catch {
            FileHandle.standardError.write("error: writing \(output) failed: \(error)\n".data(using: .utf8)!)
            throw ArgumentParser.ExitCode.failure
        }
        print("merged \(files.count) catalog(s) into \(output): \(merged.rows.count) distinct vacua")
    }
}

/// The ranges `query` and `recall` filter by.
struct CatalogRanges: ParsableArguments {
    @Option(help: ArgumentHelp("g_s range, LOW:HIGH (half-open).", valueName: "low:high"))
    var gs: String?

    @Option(name: .customLong("normalized-w"), help: ArgumentHelp("e^{K/2}|W| range, LOW:HIGH.", valueName: "low:high"))
    var normalizedW: String?

    @Option(name: .customLong("n-flux"), help: ArgumentHelp("N_flux range, LOW:HIGH (inclusive of LOW, exclusive of HIGH).", valueName: "low:high"))
    var nFlux: String?

    /// The ranges given, in words, for a report.
    var description: String {
        [("g_s", gs), ("e^{K/2}|W|", normalizedW), ("N_flux", nFlux)].compactMap { name, text in text.map { "\(name) in [\($0.replacingOccurrences(of: ":", with: ", ")))" } }
            .joined(separator: ", ")
    }

    /// The rows of `catalog` inside every range given.
    func apply(to catalog: Catalog) throws(JobError) -> Catalog {
        var catalog = catalog
        for (flag, column, text) in [("--gs", "g_s", gs), ("--normalized-w", "normalized_w", normalizedW), ("--n-flux", "n_flux", nFlux)] {
            guard let text else { continue }
            let parts = text.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let low = parts[0], let high = parts[1], low < high else {
                throw JobError(file: flag, "\"\(text)\" must be LOW:HIGH with LOW < HIGH, e.g. 0.25:0.35")
            }
            catalog = try catalog.filtered(column, low, high)
        }
        return catalog
    }
}

struct CatalogQuery: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Print the vacua of a catalog whose g_s, e^{K/2}|W| or N_flux lie in given ranges.")

    @Argument(help: "The catalog (a search run or a merged catalog).")
    var file: String

    @OptionGroup var ranges: CatalogRanges

    @Option(help: ArgumentHelp("Order the vacua by this column (ascending; see --descending), e.g. g_s or normalized_w.", valueName: "column"))
    var sort: String?

    @Flag(help: "Sort in descending order.")
    var descending = false

    @Option(help: ArgumentHelp("Print at most this many vacua (after sorting).", valueName: "n"))
    var limit: Int?

    @OptionGroup(title: "Output") var table: TableOptions

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit \(limit): give 1 or more") }
        if descending && sort == nil { throw ValidationError("--descending needs --sort COLUMN") }
    }

    func run() throws {
        do {
            var catalog = try ranges.apply(to: try Catalog.read(file))
            let matching = catalog.rows.count
            if let sort { catalog = try catalog.sorted(by: sort, descending: descending) }
            if let limit { catalog.rows = Array(catalog.rows.prefix(limit)) }
            print(try table.render(catalog.table), terminator: "")
            if !table.isMachineReadable {
                print(catalog.rows.count < matching ? "\(catalog.rows.count) of \(matching) vacua" : "\(matching) vacua")
            }
        } catch {
            throw reject(error)
        }
    }
}

struct CatalogRecall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recall",
        abstract: "How much of a complete enumeration a search catalog found, in all and inside given ranges.",
        discussion: "Fails (exit code 1) if the search holds a vacuum with N_flux within the enumeration's bound that the enumeration lacks.")

    @Argument(help: "The search's catalog (a search run or a merged catalog).")
    var file: String

    @Option(help: ArgumentHelp("The run file of a job with method = \"enumerate\".", valueName: "enumeration.h5"))
    var enumeration: String

    @OptionGroup var ranges: CatalogRanges

    func run() throws {
        let all: VacuaRecall, selected: VacuaRecall
        do {
            let search = try Catalog.read(file), reference = try Catalog.read(enumeration)
            guard search.model == reference.model else {
                throw JobError(file: enumeration, "enumerates the model '\(reference.model)', \"\(file)\" holds '\(search.model)'")
            }
            let limit = try VacuaRecall.enumerationLimit(enumeration)
            all = try VacuaRecall(search: search, enumeration: reference, fluxLimit: limit)
            selected = try VacuaRecall(search: try ranges.apply(to: search), enumeration: try ranges.apply(to: reference), fluxLimit: limit)
        } catch let error as JobError {
            throw reject(error)
        }
        print("\(file) against the enumeration \(enumeration) (0 < N_flux ≤ \(all.fluxLimit)):")
        print(String(format: "  all vacua: %d of %d (%.2f%%)", all.found, all.total, all.percent))
        if !ranges.description.isEmpty {
            print(String(format: "  %@: %d of %d (%.2f%%)", ranges.description, selected.found, selected.total, selected.percent))
        }
        if all.beyond > 0 { print("  \(all.beyond) search vacua have N_flux above the enumeration's bound and are left out") }
        guard all.missing.isEmpty else {
            for key in all.missing.prefix(20) { print("  not enumerated: \(key.map(String.init).joined(separator: " "))") }
            FileHandle.standardError.write("error: \(all.missing.count) search vacua are not in the enumeration: a solver or enumeration bug\n".data(using: .utf8)!)
            throw ArgumentParser.ExitCode.failure
        }
        print("  every search vacuum is in the enumeration")
    }
}
