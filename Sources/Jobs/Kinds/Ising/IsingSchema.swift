import Store

extension IsingJob {
    /// What an Ising run records in `/parameters`.
    var runParameters: RunParameters {
        var p = RunParameters(datasets: [("temperature", temperatures), ("beta", betas)], pointAxis: "temperature",
                              meanings: ["temperature": IsingSummary.meanings["temperature"]!, "beta": IsingSummary.meanings["beta"]!])
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
    static let observables = [
        Observable(name: "energy", meaning: Meaning(units: "J", longName: "energy per site e = E/V",
                                                    definition: "E = -J sum_<ij> s_i s_j - h sum_i s_i, in units of the coupling J")),
        Observable(name: "magnetization", meaning: Meaning(units: "1", longName: "magnetization per site m = V^-1 sum_i s_i")),
        Observable(name: "abs_magnetization", meaning: Meaning(units: "1", longName: "|m|, m the magnetization per site")),
        Observable(name: "magnetization2", meaning: Meaning(units: "1", longName: "m^2, m the magnetization per site")),
        Observable(name: "magnetization4", meaning: Meaning(units: "1", longName: "m^4, m the magnetization per site")),
    ]
}
