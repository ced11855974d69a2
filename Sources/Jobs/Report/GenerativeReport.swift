import Foundation
import Store

/// The report of generative models in training: a flow's loss and effective sample size per
/// step, and an RBM's learned spectrum beside the exact free-field one with its training curves.
enum GenerativeReport {
    /// One series of `/observables` (shape `[1, 1, step]`) against `/observables/step`; nil when absent.
    private static func steps(_ root: Group, _ name: String) throws -> [DataPoint]? {
        guard let values = try root.reportValues("observables/\(name)")?.values else { return nil }
        let steps = try root.reportValues("observables/step")?.values ?? values.indices.map(Double.init)
        return zip(steps, values).map { DataPoint(x: $0.0, y: $0.1) }
    }

    /// Adds one section per flow training file.
    static func addFlows(_ runs: [ReportRun], to doc: ReportDocument) throws(JobError) {
        doc.heading("Flow training")
        for run in runs {
            let (loss, ess) = try run.read { root in (try steps(root, "loss"), try steps(root, "effective_sample_size")) }
            doc.heading(run.name, level: 3)
            let colour = doc.palette.colour(for: run.path)
            if let loss {
                var plot = Plot(title: "Reverse Kullback–Leibler loss per step", xLabel: "optimiser step", yLabel: "⟨log q + S⟩ = KL(q‖p) − log Z")
                plot.xIntegers = true
                plot.series.append(Series(run.name, colour: colour, style: .line, points: loss))
                doc.figure(plot, caption: "The batch mean of log q(φ) + S(φ) over fields drawn from the flow; it falls toward −log Z as q approaches e^{−S}/Z.")
            }
            if let ess {
                var plot = Plot(title: "Effective sample size per step", xLabel: "optimiser step", yLabel: "ESS / N = (Σw)² / (N Σw²)")
                plot.xIntegers = true
                plot.yIncludes = [0, 1]
                plot.series.append(Series(run.name, colour: colour, style: .line, points: ess))
                doc.figure(plot, caption: "The reweighting efficiency of each training batch, w = e^{−S}/q: 1 for a perfect flow.")
            }
            if !run.summary.names.isEmpty { doc.table(run.summary.names, run.summary.textRows, caption: "\(run.name): /summary") }
        }
    }

    /// Adds one section per RBM file.
    static func addRBMs(_ runs: [ReportRun], to doc: ReportDocument) throws(JobError) {
        doc.heading("RBMs against the free field")
        for run in runs {
            let (learned, exact, massSquared, masses, gaps) = try run.read { root -> ([Double], [Double], Double?, [DataPoint]?, [DataPoint]?) in
                guard root.contains("rbm") else { return ([], [], nil, nil, nil) }
                let group = try root.openGroup("rbm")
                return (try group.reportValues("eigenvalues")?.values ?? [], try group.reportValues("exact_eigenvalues")?.values ?? [],
                        try group.reportReal("mass_squared"), try steps(root, "mass_squared"), try steps(root, "second_moment_gap"))
            }
            doc.heading(run.name, level: 3)
            let colour = doc.palette.colour(for: run.path)
            if !learned.isEmpty {
                var plot = Plot(title: "Spectrum of the learned kernel beside the exact one", xLabel: "mode (eigenvalues in ascending order)",
                                yLabel: "eigenvalue of the kernel K")
                plot.xIntegers = true
                plot.series.append(Series("exact: 2(1 − 2κ Σ cos p)", colour: "#000000", style: .line,
                                          points: exact.enumerated().map { DataPoint(x: Double($0.offset + 1), y: $0.element) }))
                plot.series.append(Series("learned: μ² − σ² W Wᵀ", colour: colour, style: .points,
                                          points: learned.enumerated().map { DataPoint(x: Double($0.offset + 1), y: $0.element) }))
                if let massSquared {
                    plot.series.append(Series("μ²", colour: "#888888", style: .line, dashed: true,
                                              points: [DataPoint(x: 1, y: massSquared), DataPoint(x: Double(learned.count), y: massSquared)]))
                }
                doc.figure(plot, caption: "The hidden units learn the lowest modes (the long-range physics); the others sit at μ², "
                           + "where maximum likelihood puts the modes the machine cannot represent.")
            }
            for (series, title, axis) in [(masses, "μ² per training step", "μ²"), (gaps, "Second-moment gap per training step", "−½⟨Σφ²⟩ data − model")] {
                guard let series else { continue }
                var plot = Plot(title: title, xLabel: "training step", yLabel: axis)
                plot.xIntegers = true
                plot.series.append(Series(run.name, colour: colour, style: .line, points: series))
                doc.figure(plot, caption: title + ", as /observables records it.")
            }
            if !run.summary.names.isEmpty { doc.table(run.summary.names, run.summary.textRows, caption: "\(run.name): /summary") }
        }
    }
}
