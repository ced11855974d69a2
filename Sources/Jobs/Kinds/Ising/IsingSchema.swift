import Store

extension IsingJob {
    /// What an Ising run records in `/parameters`.
    var runParameters: RunParameters {
        var p = RunParameters(datasets: [("temperature", temperatures), ("beta", betas)])
        p.set("extents", .integers(ising.extents.map(Int64.init)))
        p.set("coupling", .real(ising.coupling ?? 1))
        p.set("field", .real(ising.field ?? 0))
        p.set("chains", .integer(Int64(chains)))
        p.set("algorithms", .text(ising.algorithms.map(\.rawValue).joined(separator: ",")))
        p.set("decomposition", .text(decomposition.rawValue))
        p.setSchedule(thermalization: ising.thermalization, steps: ising.sweeps, stepsKey: "sweeps", measureEvery: measureEvery,
                      saveEvery: saveEvery)
        return p
    }
}

extension IsingChain {
    /// The observables measured per chain, in this order.
    static let observables = ["energy", "magnetization", "abs_magnetization", "magnetization2", "magnetization4"].map { Observable(name: $0) }
}
