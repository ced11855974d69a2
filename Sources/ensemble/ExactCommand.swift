import ArgumentParser
import Foundation
import Ising
import Jobs
import Store

/// `ensemble exact`: closed-form and exhaustively enumerated results to check simulations against.
struct Exact: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exact",
        abstract: "Exact results for lattice models, for checking simulations.",
        subcommands: [ExactIsing.self])
}

/// `ensemble exact ising`: the 2D Ising model on a periodic lattice (Kaufman 1949, exact
/// enumeration) and in infinite volume (Onsager 1944, Yang 1952).
struct ExactIsing: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ising",
        abstract: "Exact 2D Ising results (J = k_B = 1) for a periodic lattice and the infinite lattice.",
        discussion: """
        H = −Σ⟨ij⟩ sᵢsⱼ − h Σ sᵢ on an n × m torus with 2nm bonds (a side of 2 bonds each pair twice);
        e and c are per site and of the bond energy E = −Σ⟨ij⟩ sᵢsⱼ alone (at h ≠ 0 add −h⟨m⟩ for ⟨H⟩/N).
        ln Z, e and c come from Kaufman's formula (h = 0, any size). Lattices of at most \
        \(Enumeration.maximumSites) sites are also enumerated state by state, which gives ⟨|m|⟩, ⟨m²⟩, \
        Binder's U₄ and χ = βN(⟨m²⟩ − ⟨|m|⟩²), and allows a field h. T_c = \(ExactIsing2D.criticalTemperature).
        Examples:
          ensemble exact ising --L 4 --T 2.269185314213022
          ensemble exact ising --rows 3 --columns 5 --beta 0.5 --h 0.1 --json
        """)

    @Option(name: .customLong("L"), help: "Side of an L × L lattice (at least 2).")
    var size: Int?

    @Option(help: "Rows n of an n × m lattice (with --columns).")
    var rows: Int?

    @Option(help: "Columns m of an n × m lattice (with --rows).")
    var columns: Int?

    @Option(name: .customLong("T"), parsing: .unconditional,
            help: ArgumentHelp("Temperature T = 1/β, or a range FROM:TO:STEP (e.g. 1.8:3.0:0.1) for a table of one row per T.", valueName: "T"))
    var temperature: String?

    @Option(parsing: .unconditional, help: "Inverse temperature β, instead of --T.")
    var beta: Double?

    @Option(name: .customLong("h"), parsing: .unconditional, help: "Field h; needs a lattice small enough to enumerate (at most \(Enumeration.maximumSites) sites).")
    var field: Double?

    @Flag(help: "Print one JSON object (an array of them for a range of T) instead of text.")
    var json = false

    @Flag(help: "Print a range of T as CSV.")
    var csv = false

    /// Sides beyond this would only make Kaufman's O(n) product slow, never more exact.
    static let largestSide = 1_000_000

    func validate() throws {
        _ = try lattice()
        _ = try couplings()
        if json && csv { throw ValidationError("choose one of --json and --csv") }
        if let field {
            guard field.isFinite else { throw ValidationError("--h must be a finite number (got \(field))") }
            let (n, m) = try lattice()
            guard n * m <= Enumeration.maximumSites else {
                throw ValidationError("--h needs exact enumeration, which is limited to \(Enumeration.maximumSites) sites; a \(n) × \(m) lattice has \(n * m). Leave out --h for the h = 0 results from Kaufman's formula")
            }
        }
    }

    /// (rows, columns) from --L or --rows/--columns, with the reason when they do not describe one.
    private func lattice() throws -> (rows: Int, columns: Int) {
        let shape: (Int, Int)
        switch (size, rows, columns) {
        case let (l?, nil, nil): shape = (l, l)
        case let (nil, n?, m?): shape = (n, m)
        case (nil, nil, nil): throw ValidationError("give the lattice with --L, or with --rows and --columns")
        case (_?, _, _): throw ValidationError("give either --L or --rows and --columns, not both")
        default: throw ValidationError("--rows and --columns go together (or use --L for a square lattice)")
        }
        for (name, value) in [(size == nil ? "--rows" : "--L", shape.0), (size == nil ? "--columns" : "--L", shape.1)] {
            guard value >= 2, value <= Self.largestSide else {
                throw ValidationError("\(name) must be between 2 and \(Self.largestSide) (got \(value))")
            }
        }
        return shape
    }

    /// The β values from --T (one, or a range FROM:TO:STEP) or --beta, with the reason when they do not give any.
    private func couplings() throws -> [Double] {
        switch (temperature, beta) {
        case let (text?, nil):
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.allSatisfy({ $0?.isFinite == true }), parts.count == 1 || parts.count == 3 else {
                throw ValidationError("--T \(text): give a temperature, e.g. 2.269, or a range FROM:TO:STEP, e.g. 1.8:3.0:0.1")
            }
            let values = parts.map { $0! }
            guard values.count == 3 else {
                guard values[0] > 0 else { throw ValidationError("--T must be a finite number > 0 (got \(values[0]))") }
                return [1 / values[0]]
            }
            let (from, to, step) = (values[0], values[1], values[2])
            guard from > 0, to >= from, step > 0 else { throw ValidationError("--T \(text): need 0 < FROM ≤ TO and STEP > 0") }
            // The end is included when the steps reach it up to rounding (1.8:3.0:0.1 has 13 points).
            let count = Int(((to - from) / step * (1 + 1e-9)).rounded(.down)) + 1
            guard count <= 10_000 else { throw ValidationError("--T \(text) gives \(count) temperatures; at most 10000") }
            return (0..<count).map { 1 / (from + Double($0) * step) }
        case let (nil, b?):
            guard b.isFinite, b > 0 else { throw ValidationError("--beta must be a finite number > 0 (got \(b))") }
            return [b]
        case (nil, nil): throw ValidationError("give the temperature with --T or --beta")
        default: throw ValidationError("give either --T or --beta, not both")
        }
    }

    func run() throws {
        let (n, m) = try lattice()
        let betas = try couplings()
        let reports = betas.map { ExactIsingReport(rows: n, columns: m, beta: $0, field: field ?? 0) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            let data = betas.count == 1 && !(temperature ?? "").contains(":") ? try encoder.encode(reports[0]) : try encoder.encode(reports)
            print(String(decoding: data, as: UTF8.self))
        } else if reports.count == 1 && !csv {
            print(reports[0].text)
        } else {
            let table = ExactIsingReport.table(reports)
            if !csv {
                print("2D Ising model, J = 1, \(n) × \(m) periodic lattice, h = \(field ?? 0); per site; U4 = 1 − ⟨m⁴⟩/(3⟨m²⟩²), "
                      + "χ = βN(⟨m²⟩ − ⟨|m|⟩²); Onsager's e and Yang's m₀ for the infinite lattice")
            }
            print(try csv ? table.csv() : table.text(), terminator: "")
        }
    }
}

/// What `ensemble exact ising` prints, as numbers (for --json) and as a table.
struct ExactIsingReport: Encodable {
    struct Finite: Encodable {
        var logPartitionFunction: Double
        var energyPerSite: Double
        var specificHeatPerSite: Double
    }

    struct Enumerated: Encodable {
        var logPartitionFunction: Double
        var energyPerSite: Double
        var specificHeatPerSite: Double
        var magnetization: Double
        var absoluteMagnetization: Double
        var magnetizationSquared: Double
        var magnetizationFourth: Double
        var binderCumulant: Double
        var susceptibility: Double
        var connectedSusceptibility: Double
    }

    struct Infinite: Encodable {
        var onsagerEnergy: Double
        var yangMagnetization: Double
    }

    var rows: Int
    var columns: Int
    var sites: Int
    var bonds: Int
    var temperature: Double
    var beta: Double
    var field: Double
    var criticalTemperature = ExactIsing2D.criticalTemperature
    /// Kaufman's formula, present at h = 0.
    var kaufman: Finite?
    /// Exact enumeration, present up to `Enumeration.maximumSites` sites.
    var enumeration: Enumerated?
    /// Onsager and Yang, present at h = 0.
    var infiniteVolume: Infinite?

    init(rows: Int, columns: Int, beta: Double, field: Double) {
        self.rows = rows
        self.columns = columns
        sites = rows * columns
        bonds = 2 * sites
        temperature = 1 / beta
        self.beta = beta
        self.field = field
        if field == 0 {
            let k = ExactIsing2D.kaufman(rows: rows, columns: columns, beta: beta)
            kaufman = Finite(logPartitionFunction: k.logPartitionFunction, energyPerSite: k.energyPerSite,
                             specificHeatPerSite: k.specificHeatPerSite)
            infiniteVolume = Infinite(onsagerEnergy: ExactIsing2D.onsagerEnergy(beta: beta),
                                      yangMagnetization: ExactIsing2D.spontaneousMagnetization(beta: beta))
        }
        if sites <= Enumeration.maximumSites {
            let a = Enumeration(rows: rows, columns: columns).averages(beta: beta, field: field)
            enumeration = Enumerated(logPartitionFunction: a.logPartitionFunction, energyPerSite: a.energyPerSite,
                                     specificHeatPerSite: a.specificHeatPerSite, magnetization: a.magnetization,
                                     absoluteMagnetization: a.absoluteMagnetization,
                                     magnetizationSquared: a.magnetizationSquared,
                                     magnetizationFourth: a.magnetizationFourth, binderCumulant: a.binderCumulant,
                                     susceptibility: a.susceptibility,
                                     connectedSusceptibility: a.connectedSusceptibility)
        }
    }

    /// Reports at several temperatures as one table, a row per temperature.
    static func table(_ reports: [ExactIsingReport]) -> TerminalTable {
        var columns = ["temperature", "beta", "energy", "specific_heat"]
        let enumerated = reports.first?.enumeration != nil, infinite = reports.first?.infiniteVolume != nil
        if enumerated { columns += ["abs_magnetization", "magnetization2", "binder", "susceptibility"] }
        if infinite { columns += ["onsager_energy", "yang_magnetization"] }
        columns.append("log_z")
        let rows = reports.map { r -> [Cell] in
            var row: [Double] = [r.temperature, r.beta, r.kaufman?.energyPerSite ?? r.enumeration?.energyPerSite ?? .nan,
                                 r.kaufman?.specificHeatPerSite ?? r.enumeration?.specificHeatPerSite ?? .nan]
            if let e = r.enumeration { row += [e.absoluteMagnetization, e.magnetizationSquared, e.binderCumulant, e.susceptibility] }
            if let i = r.infiniteVolume { row += [i.onsagerEnergy, i.yangMagnetization] }
            row.append(r.kaufman?.logPartitionFunction ?? r.enumeration?.logPartitionFunction ?? .nan)
            return row.map { Cell.real($0) }
        }
        return TerminalTable(columns: columns, rows: rows)
    }

    var text: String {
        // ln Z grows with the lattice, so it gets significant digits; the rest are O(1) per site.
        func line(_ label: String, _ value: Double, format: String = "% .12f") -> String {
            "  " + label.padding(toLength: 30, withPad: " ", startingAt: 0) + String(format: format, value)
        }
        var lines = [
            "2D Ising model, J = 1, \(rows) × \(columns) periodic lattice: \(sites) sites, \(bonds) bonds, "
                + String(format: "h = %.12g", field),
            String(format: "T = %.12g   β = %.12g   T/T_c = %.6f", temperature, beta, temperature / criticalTemperature),
        ]
        if let kaufman {
            lines += ["", "Finite lattice, Kaufman (1949):",
                      line("ln Z", kaufman.logPartitionFunction, format: "% .15g"),
                      line("e = ⟨E⟩/N", kaufman.energyPerSite),
                      line("c per site", kaufman.specificHeatPerSite)]
        }
        if let e = enumeration {
            lines += ["", "Finite lattice, enumeration of all 2^\(sites) states:"]
            if field != 0 {
                lines += [line("ln Z", e.logPartitionFunction, format: "% .15g"),
                          line("e = ⟨E⟩/N (bonds only)", e.energyPerSite),
                          line("c per site (of E)", e.specificHeatPerSite),
                          line("⟨m⟩", e.magnetization)]
            }
            lines += [line("⟨|m|⟩", e.absoluteMagnetization),
                      line("⟨m²⟩", e.magnetizationSquared),
                      line("U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²)", e.binderCumulant),
                      line("χ = βN(⟨m²⟩ − ⟨|m|⟩²)", e.susceptibility)]
            if field != 0 { lines.append(line("χ_c = βN(⟨m²⟩ − ⟨m⟩²)", e.connectedSusceptibility)) }
        } else {
            lines += ["", "Magnetisation observables (⟨|m|⟩, ⟨m²⟩, U₄, χ) need exact enumeration, limited to "
                      + "\(Enumeration.maximumSites) sites: not available for \(sites) sites."]
        }
        if let infinite = infiniteVolume {
            lines += ["", "Infinite lattice:",
                      line("e, Onsager (1944)", infinite.onsagerEnergy),
                      line("m₀, Yang (1952)", infinite.yangMagnetization)]
        } else {
            lines += ["", "Infinite lattice: no closed form at h ≠ 0."]
        }
        return lines.joined(separator: "\n")
    }
}
