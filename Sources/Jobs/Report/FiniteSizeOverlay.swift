import Foundation

/// Scans of several lattice sizes overlaid: U₄ and the scaled susceptibility χ/L^(γ/ν), whose
/// curves cross near the critical point, with each crossing of neighbouring sizes marked where
/// straight lines between neighbouring points meet, and U₄'s crossing also with the block-bootstrap
/// error of `ensemble analyze crossing` when the scans share one grid.
enum FiniteSizeOverlay {
    /// γ/ν of the Ising universality class, which 2D and 3D Ising and φ⁴ belong to: 7/4 in 2D
    /// (exact), 1.9637 in 3D (conformal bootstrap, Kos et al. 2016).
    static func gammaOverNu(dimension: Int) -> Double? {
        switch dimension {
        case 2: return 7.0 / 4
        case 3: return 1.9637
        default: return nil
        }
    }

    /// The scans of the first one's dimension, by size, when they have at least two distinct sizes; else nil.
    static func sizes(_ scans: [ChainReport.Scan]) -> [ChainReport.Scan]? {
        guard let dimension = scans.first?.extents.count else { return nil }
        let sized = scans.filter { $0.extents.count == dimension }.sorted { $0.size < $1.size }
        return Set(sized.map(\.size)).count > 1 ? sized : nil
    }

    /// Adds the overlays when the scans have at least two distinct sizes of one dimension.
    static func add(_ scans: [ChainReport.Scan], _ q: ChainQuantities, to doc: ReportDocument) {
        guard let sized = sizes(scans) else { return }
        let dimension = sized[0].extents.count
        doc.heading("Finite-size crossings", level: 3)
        var curves: [(name: String, axis: String, caption: String, points: (ChainReport.Scan) -> [DataPoint])] = [
            ("Binder cumulant U₄ across sizes", "U₄ = 1 − ⟨m⁴⟩ / (3⟨m²⟩²)",
             "U₄ of each size; at the critical point U₄ tends to a universal value, so curves of different L cross there.",
             { $0.run.summary.points(x: $0.x, "binder") }),
        ]
        if let exponent = gammaOverNu(dimension: dimension) {
            curves.append(("Scaled susceptibility χ/L^(γ/ν)", "χ / L^(γ/ν), γ/ν = " + String(format: "%.4g", exponent),
                           "χ/L^(γ/ν) with the Ising class's γ/ν: at the critical point χ ∝ L^(γ/ν), so these curves cross there (χ/V itself does not cross).",
                           { scan in
                               let scale = pow(Double(scan.size), exponent)
                               return scan.run.summary.points(x: scan.x, "susceptibility").map { DataPoint(x: $0.x, y: $0.y / scale, error: $0.error.map { $0 / scale }) }
                           }))
        }
        var rows: [[String]] = []
        // The Binder crossings with a bootstrap error, as `analyze crossing` gives them, when the
        // scans qualify (one grid, only the size differs); otherwise only the first look below.
        let bootstrap = try? CrossingAnalysis(files: sized.map(\.run.path), replicas: 200)
        for crossing in bootstrap?.crossings ?? [] {
            rows.append(["U₄, block bootstrap", "\(crossing.smaller), \(crossing.larger)",
                         parenthesized(crossing.parameter, error: crossing.parameterError)])
        }
        for (index, curve) in curves.enumerated() {
            var plot = Plot(title: curve.name, xLabel: q.parameterAxis, yLabel: curve.axis)
            for scan in sized {
                plot.series.append(Series(scan.label, colour: doc.palette.colour(for: scan.run.path), style: .linePoints, points: curve.points(scan)))
            }
            for (a, b) in zip(sized, sized.dropFirst()) where a.size != b.size {
                for x in PiecewiseCrossing.crossings(curve.points(a), curve.points(b)) {
                    let name = "crossing L = \(a.size), \(b.size): \(q.symbol) ≈ " + String(format: "%.4f", x)
                    plot.markers.append(Marker(name, x: x, colour: doc.palette.colour(for: "crossing \(a.size)/\(b.size)")))
                    rows.append([curve.name, "\(a.size), \(b.size)", String(format: "%.5f", x)])
                }
            }
            if index == 0, let bootstrap {
                for c in bootstrap.crossings {
                    plot.bands.append(Band("L = \(c.smaller), \(c.larger): \(q.symbol) = " + parenthesized(c.parameter, error: c.parameterError) + " (bootstrap)",
                                           lower: c.parameter - c.parameterError, upper: c.parameter + c.parameterError,
                                           colour: doc.palette.colour(for: "crossing \(c.smaller)/\(c.larger)")))
                }
            }
            doc.figure(plot, caption: curve.caption + " Dashed lines: where straight lines between neighbouring points of two sizes cross"
                       + (index == 0 && bootstrap != nil ? "; shaded: the crossing ± its block-bootstrap error (ensemble analyze crossing)." : "."))
        }
        doc.table(["quantity", "sizes L", "crossing \(q.symbol)"], rows,
                  caption: rows.isEmpty ? "No crossing inside the scanned range" : "Crossings of neighbouring sizes")
    }
}
