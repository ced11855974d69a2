import Cluster
import Store

extension DemoJob {
    /// What a demo run records in `/parameters`.
    var runParameters: RunParameters {
        let rhos = demo.autocorrelations
        var p = RunParameters(datasets: [("autocorrelation", rhos), ("tau_int_exact", rhos.map(DemoJob.exactTauInt))],
                              meanings: DemoSummary.meanings)
        p.set("chains", .integer(Int64(demo.chains)))
        p.set("measurements", .integer(Int64(demo.measurements)))
        return p
    }

    /// The contiguous block of chains rank `rank` of `size` owns; ranks past the chain count own none.
    static func chains(_ total: Int, rank: Int, size: Int) -> Range<Int> { evenShare(of: total, part: rank, parts: size) }

    /// The exact integrated autocorrelation time of AR(1) with coefficient ρ.
    static func exactTauInt(_ rho: Double) -> Double { 0.5 * (1 + rho) / (1 - rho) }
}
