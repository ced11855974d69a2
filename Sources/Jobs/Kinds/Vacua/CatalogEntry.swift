import Store
import Vacua

/// The catalog columns of one model: its flux quanta (the canonical key), its moduli, then what
/// every model shares. The symmetric model's names are those the first catalogs were written with.
struct CatalogLayout {
    /// The run file's `model` attribute, which `catalog merge` and `recall` compare.
    let model: String
    let fluxes: [String]
    /// The complex moduli besides φ, each stored as `<name>_re`, `<name>_im`.
    let moduli: [String]

    static let symmetric = CatalogLayout(model: "symmetric T6, two moduli", fluxes: ["a0", "a", "b", "b0", "c0", "c", "d", "d0"],
                                         moduli: ["tau"])
    static let threeModulus = CatalogLayout(model: "untwisted T6, three moduli",
                                            fluxes: ["a0", "a1", "a2", "a3", "b1", "b2", "b3", "b0", "c0", "c1", "c2", "c3", "d1", "d2", "d3", "d0"],
                                            moduli: ["tau1", "tau2", "tau3"])

    var columns: [Column] {
        fluxes.map { Column($0, .integer) } + (moduli + ["phi"]).flatMap { [Column("\($0)_re", .real), Column("\($0)_im", .real)] } + [
            Column("g_s", .real), Column("abs_w", .real), Column("normalized_w", .real), Column("n_flux", .integer),
            Column("in_target", .integer), Column("method", .text(maximumBytes: 16)), Column("evaluations", .integer),
            Column("rank", .integer), Column("seed", .integer),
        ]
    }
}

extension CatalogLayout {
    /// What each catalog column holds (string-theory units: every quantity is a pure number), for
    /// the table's `<column>_units`, `_long_name` and `_definition` attributes.
    var meanings: [String: Meaning] {
        var m: [String: Meaning] = [:]
        for (i, name) in fluxes.enumerated() {
            let (form, field) = i < fluxes.count / 2 ? ("F", "RR three-form flux") : ("H", "NSNS three-form flux")
            m[name] = Meaning(units: "1", longName: "\(field) quantum \(name) (\(form))",
                              definition: "integer; the canonical representative under the duality group, the catalog's key")
        }
        for modulus in moduli {
            m[modulus + "_re"] = Meaning(units: "1", longName: "Re \(modulus), complex structure modulus")
            m[modulus + "_im"] = Meaning(units: "1", longName: "Im \(modulus), complex structure modulus (> 0)")
        }
        m["phi_re"] = Meaning(units: "1", longName: "Re phi = C0, the RR axion")
        m["phi_im"] = Meaning(units: "1", longName: "Im phi = 1/g_s", definition: "phi = C0 + i/g_s, the axio-dilaton")
        m["g_s"] = Meaning(units: "1", longName: "string coupling", definition: "g_s = 1/Im phi")
        m["abs_w"] = Meaning(units: "1", longName: "|W| at the vacuum", definition: "W = P1(tau) - phi P2(tau), the flux superpotential")
        m["normalized_w"] = Meaning(units: "1", longName: "e^{K/2}|W|, the duality-invariant size of W",
                                    definition: "K = -sum ln(2 Im tau_i) - ln(2 Im phi), the Kahler potential")
        m["n_flux"] = Meaning(units: "1", longName: "flux number N_flux = integral of F wedge H, bounded by the tadpole")
        m["in_target"] = Meaning(units: "1", longName: "1 when the vacuum lies in the job's target window (g_s, e^{K/2}|W|), else 0")
        m["evaluations"] = Meaning(units: "1", longName: "evaluations the finder had made when it found the vacuum")
        m["rank"] = Meaning(units: "1", longName: "rank (or genetic island) that found the vacuum first")
        m["seed"] = Meaning(units: "1", longName: "seed of the run that found the vacuum")
        return m
    }
}

/// One distinct vacuum of either model as its catalog row needs it, and as numbers for gathering
/// on rank 0.
struct CatalogEntry {
    /// The canonical fluxes: the key.
    var fluxes: [Int]
    /// (Re, Im) of each modulus and of φ, then g_s, |W| and e^{K/2}|W|.
    var values: [Double]
    var fluxNumber: Int
    var inTarget: Bool
    /// The finder's evaluation count when it was found.
    var evaluations: Int
    /// The island that found it (genetic search), or nil for the rank it was gathered from.
    var island: Int? = nil

    init(_ d: Discovery, target: VacuumTarget) {
        let v = d.vacuum
        fluxes = v.genome.quanta
        values = [v.tau.re, v.tau.im, v.phi.re, v.phi.im, v.stringCoupling, v.superpotential.magnitude, v.normalizedSuperpotential]
        (fluxNumber, inTarget, evaluations) = (v.fluxNumber, target.contains(v), d.evaluations)
    }

    init(_ d: ThreeModulusDiscovery, target: VacuumTarget) {
        let v = d.vacuum
        fluxes = v.genome.f + v.genome.h
        values = (v.tau + [v.phi]).flatMap { [$0.re, $0.im] } + [v.stringCoupling, v.superpotential.magnitude, v.normalizedSuperpotential]
        (fluxNumber, inTarget, evaluations) = (v.fluxNumber, target.contains(v), d.evaluations)
    }

    init(fluxes: [Int], values: [Double], fluxNumber: Int, inTarget: Bool, evaluations: Int) {
        (self.fluxes, self.values, self.fluxNumber, self.inTarget, self.evaluations) = (fluxes, values, fluxNumber, inTarget, evaluations)
    }

    /// evaluations, in-target flag, N_flux, the island (−1: none), the number of fluxes k and of
    /// values m, the fluxes, the values.
    var encoded: [Double] {
        [Double(evaluations), inTarget ? 1 : 0, Double(fluxNumber), Double(island ?? -1), Double(fluxes.count), Double(values.count)]
            + fluxes.map(Double.init) + values
    }

    /// The entries encoded one after another in `numbers`.
    static func decode(_ numbers: [Double]) -> [CatalogEntry] {
        var entries: [CatalogEntry] = [], k = 0
        while k + 6 <= numbers.count {
            let f = Int(numbers[k + 4]), m = Int(numbers[k + 5]), start = k + 6
            var entry = CatalogEntry(fluxes: numbers[start..<(start + f)].map { Int($0) }, values: Array(numbers[(start + f)..<(start + f + m)]),
                                     fluxNumber: Int(numbers[k + 2]), inTarget: numbers[k + 1] == 1, evaluations: Int(numbers[k]))
            if numbers[k + 3] >= 0 { entry.island = Int(numbers[k + 3]) }
            entries.append(entry)
            k = start + f + m
        }
        return entries
    }
}
