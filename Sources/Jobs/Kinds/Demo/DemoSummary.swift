import Numerics
import Store

/// The results of a demo run: each chain's Γ-method estimate (with the rank that ran it), and per
/// point the chains combined beside the exact τ_int.
enum DemoSummary {
    static let chainColumns = [
        Column("point", .integer), Column("chain", .integer), Column("rank", .integer),
        Column("mean", .real), Column("error", .real), Column("tau_int", .real), Column("tau_int_error", .real),
    ]

    static let columns = [
        Column("point", .integer), Column("autocorrelation", .real), Column("mean", .real), Column("error", .real),
        Column("tau_int", .real), Column("tau_int_error", .real), Column("tau_int_exact", .real),
    ]

    /// The series each chain records.
    static let x = Meaning(units: "1", longName: "AR(1) chain value x", definition: "x_t = rho x_{t-1} + sqrt(1 - rho^2) eta_t, eta_t standard normal")

    /// What the tables' columns and the parameters hold.
    static let meanings: [String: Meaning] = [
        "autocorrelation": Meaning(units: "1", longName: "autocorrelation coefficient rho of the AR(1) chain"),
        "mean": Meaning(units: "1", longName: "mean of the chain values x (exactly 0)"),
        "tau_int": Meaning(units: "measurements", longName: "integrated autocorrelation time of x (Gamma method)"),
        "tau_int_exact": Meaning(units: "measurements", longName: "exact integrated autocorrelation time", definition: "(1 + rho) / (2 (1 - rho))"),
    ]

    /// The rows of both tables.
    struct Rows {
        var chains: [[Cell]] = []
        var summary: [[Cell]] = []
    }

    /// Both tables' rows (rank 0): the chains listed rank by rank, as the ranks ran them.
    static func rows(_ series: SeriesRecorder, job: DemoJob, ranks: Int) throws -> Rows {
        let rhos = job.demo.autocorrelations, chains = job.demo.chains
        var analyses = [[GammaAnalysis]](repeating: [], count: rhos.count), rows = Rows()
        for p in rhos.indices {
            for cell in series.cells(ofPoint: p) { analyses[p].append(try GammaAnalysis(series.series(0, cell: cell))) }
        }
        for rank in 0..<ranks {
            for p in rhos.indices {
                for chain in DemoJob.chains(chains, rank: rank, size: ranks) {
                    let a = analyses[p][chain]
                    rows.chains.append([.integer(Int64(p)), .integer(Int64(chain)), .integer(Int64(rank)),
                                        .real(a.value), .real(a.error), .real(a.tauInt), .real(a.tauIntError)])
                }
            }
        }
        rows.summary = rhos.enumerated().map { p, rho in
            [.integer(Int64(p)), .real(rho)] + ChainAverage(analyses[p]).all.map(Cell.real) + [.real(DemoJob.exactTauInt(rho))]
        }
        return rows
    }
}
