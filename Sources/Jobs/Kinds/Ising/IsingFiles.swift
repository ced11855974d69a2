import Cluster
import Ising
import Lattice
import Store

/// The datasets of an Ising run file and the collective writes that fill them.
struct IsingFiles {
    let observables: [TrackedDataset]
    let sweepIndex: TrackedDataset
    let configurations: TrackedDataset?
    let configurationSweep: TrackedDataset?

    /// The version of the checkpoint state `checkpoint(_:into:)` writes.
    static let stateVersion = 1

    init(job: IsingJob, root: Group, ledger: PartialLedger, resuming: Bool) throws {
        let extents = job.ising.extents, t = job.temperatures.count
        if resuming {
            let group = try root.openGroup("observables")
            observables = try isingSeries.map { try ledger.track(try group.openDataset($0), path: "observables/" + $0, axis: 2) }
            sweepIndex = try ledger.track(try group.openDataset("sweep"), path: "observables/sweep", axis: 0)
            configurations = job.samplesPerChain > 0
                ? try ledger.track(try root.openDataset("configurations"), path: "configurations", axis: 1, period: job.samplesPerChain) : nil
            configurationSweep = job.samplesPerChain > 0
                ? try ledger.track(try root.openDataset("configuration_sweep"), path: "configuration_sweep", axis: 0) : nil
            return
        }
        let parameters = try root.createGroup("parameters")
        try parameters.createDataset("temperature", of: Double.self, shape: [t]).writeFromRoot(job.temperatures)
        try parameters.createDataset("beta", of: Double.self, shape: [t]).writeFromRoot(job.betas)
        try parameters.setAttribute("extents", extents.map(Int64.init))
        try parameters.setAttribute("coupling", job.ising.coupling ?? 1)
        try parameters.setAttribute("field", job.ising.field ?? 0)
        try parameters.setAttribute("chains", Int64(job.chains))
        try parameters.setAttribute("algorithms", job.ising.algorithms.map(\.rawValue).joined(separator: ","))
        try parameters.setAttribute("decomposition", job.decomposition.rawValue)
        try parameters.setAttribute("thermalization", Int64(job.ising.thermalization))
        try parameters.setAttribute("sweeps", Int64(job.ising.sweeps))
        try parameters.setAttribute("measure_every", Int64(job.measureEvery))
        try parameters.setAttribute("save_every", Int64(job.saveEvery))
        let group = try root.createGroup("observables")
        observables = try isingSeries.map { name in
            let d = try group.createDataset(name, of: Double.self, shape: [t, job.chains, job.measurements])
            try d.setAttribute("axes", "temperature, chain, measurement")
            return try ledger.track(d, path: "observables/" + name, axis: 2)
        }
        sweepIndex = try ledger.track(try group.createDataset("sweep", of: Int64.self, shape: [job.measurements]), path: "observables/sweep", axis: 0)
        if job.samplesPerChain > 0 {
            let samples = job.chains * job.samplesPerChain
            let d = try root.createDataset("configurations", of: Int8.self, shape: [t, samples] + extents,
                                           chunk: [1, 1] + extents)
            try d.setAttribute("axes", "temperature, sample, " + (0..<extents.count).map { "x\($0)" }.joined(separator: ", "))
            try d.setAttribute("sample_order", "chain-major: sample = chain · samples_per_chain + k, saved after sweep configuration_sweep[k]")
            configurations = try ledger.track(d, path: "configurations", axis: 1, period: job.samplesPerChain)
            configurationSweep = try ledger.track(try root.createDataset("configuration_sweep", of: Int64.self, shape: [job.samplesPerChain]),
                                                  path: "configuration_sweep", axis: 0)
        } else {
            configurations = nil
            configurationSweep = nil
        }
    }

    /// Each held replica's slab, from `fields` (in `replicas` order).
    private func slabs(_ simulation: IsingSimulation, _ fields: [HaloField<Int8>]) -> [Slab<Int8>] {
        zip(simulation.replicas, fields).map { Slab(replica: $0, planes: $1.planes, values: $1.owned) }
    }

    /// Writes each held replica's spins at `offset(replica)` + its planes. Collective.
    private func writeFields(_ simulation: IsingSimulation, into dataset: TrackedDataset, offset: (Int) -> [Int]) throws {
        try ReplicaSlabs(communicator: simulation.communicator, extents: simulation.parameters.model.geometry.extents)
            .write(slabs(simulation, simulation.currentFields()), into: dataset, leading: offset)
    }

    /// Saves every replica's configuration as sample `sample` of its chain at its current temperature. Collective.
    func saveConfigurations(_ simulation: IsingSimulation, sample: Int, job: IsingJob) throws {
        guard let configurations, let configurationSweep else { return }
        try writeFields(simulation, into: configurations) { replica in
            [simulation.temperatureOf[replica], (replica % job.chains) * job.samplesPerChain + sample]
        }
        let isRoot = simulation.communicator.isRoot
        try configurationSweep.write(isRoot ? [Int64(job.ising.thermalization + (sample + 1) * job.saveEvery)] : [],
                                     at: [sample], count: [isRoot ? 1 : 0])
    }

    /// Folds measurements into the in-memory series (summed over ranks in replica mode) and writes
    /// them from rank 0. Collective.
    func recordSeries(_ pending: [(index: Int, values: [(replica: Int, temperature: Int, measurement: IsingMeasurement)])],
                      into series: inout [[Double]], job: IsingJob, communicator: Communicator, decomposition: Decomposition) throws {
        let count = try communicator.allreduce(pending.count, .max)
        guard count > 0 else { return }
        let first = try communicator.allreduce(pending.first?.index ?? Int.max, .min)
        let cells = job.temperatures.count * job.chains
        var block = [Double](repeating: 0, count: isingSeries.count * cells * count)
        for entry in pending {
            for value in entry.values {
                let cell = value.temperature * job.chains + value.replica % job.chains, m = value.measurement
                let row = [m.energy, m.magnetization, m.absoluteMagnetization, m.magnetizationSquared, m.magnetizationFourth]
                for o in row.indices { block[(o * cells + cell) * count + entry.index - first] = row[o] }
            }
        }
        // Each replica lives on one rank, so the sum over ranks assembles the block exactly.
        if decomposition == .replicas { try communicator.allreduce(&block, .sum) }
        for o in isingSeries.indices {
            for cell in 0..<cells {
                for k in 0..<count { series[o][cell * job.measurements + first + k] = block[(o * cells + cell) * count + k] }
            }
        }
        let isRoot = communicator.isRoot
        for o in isingSeries.indices {
            let slice = Array(block[(o * cells * count)..<((o + 1) * cells * count)])
            try observables[o].write(isRoot ? slice : [], at: [0, 0, first],
                                     count: isRoot ? [job.temperatures.count, job.chains, count] : [0, 0, 0])
        }
        let sweeps = (first..<(first + count)).map { Int64(job.ising.thermalization + ($0 + 1) * job.measureEvery) }
        try sweepIndex.write(isRoot ? sweeps : [], at: [first], count: [isRoot ? count : 0])
    }

    /// Puts every replica's spins, the temperature assignment and the exchange counts into a checkpoint. Collective.
    func checkpoint(_ simulation: IsingSimulation, into state: CheckpointState) throws {
        let extents = simulation.parameters.model.geometry.extents
        let fields = slabs(simulation, simulation.currentFields())
        try state.put("spins", shape: [simulation.parameters.replicaCount] + extents, blocks: fields.map { $0.block(extents: extents) })
        try state.put("temperature_of", values: simulation.temperatureOf.map(Int64.init))
        try state.put("exchange_accepted", values: simulation.exchangeAccepted.map(Int64.init))
        try state.put("exchange_attempted", values: simulation.exchangeAttempted.map(Int64.init))
    }

    /// Restores `simulation` and the stored series from a verified checkpoint taken after `done`
    /// sweeps. Collective.
    func restore(into simulation: IsingSimulation, from contents: CheckpointContents, done: Int, series: inout [[Double]], job: IsingJob) throws {
        let p = simulation.parameters, extents = p.model.geometry.extents, pairs = max(0, p.betas.count - 1)
        let temperatureOf = try contents.values("temperature_of", as: Int64.self, count: p.replicaCount).map(Int.init)
        // Replica exchange permutes the replicas over the temperatures: each keeps `chains` of them.
        guard (0..<p.betas.count).allSatisfy({ t in temperatureOf.filter { $0 == t }.count == p.chains }) else {
            throw JobError(file: contents.path, "holds an invalid temperature assignment")
        }
        simulation.restore(temperatureOf: temperatureOf,
                           accepted: try contents.values("exchange_accepted", as: Int64.self, count: pairs).map(Int.init),
                           attempted: try contents.values("exchange_attempted", as: Int64.self, count: pairs).map(Int.init))
        guard try contents.shape("spins") == [p.replicaCount] + extents else {
            throw JobError(file: contents.path, "holds spins of another lattice or number of replicas")
        }
        let fields = slabs(simulation, simulation.fieldsForOverwrite())
        try contents.read("spins", into: fields.map { $0.mutableBlock(extents: extents) }, communicator: simulation.communicator)
        guard try !simulation.communicator.any(fields.contains { $0.values.contains { $0 != 1 && $0 != -1 } }) else {
            throw JobError(file: contents.path, "holds spins other than ±1")
        }
        let measured = max(0, done - job.ising.thermalization) / job.measureEvery
        if measured > 0 {
            let cells = job.temperatures.count * job.chains
            for o in isingSeries.indices {
                let values = try observables[o].dataset.read(Double.self, at: [0, 0, 0], count: [job.temperatures.count, job.chains, measured])
                for cell in 0..<cells {
                    for k in 0..<measured { series[o][cell * job.measurements + k] = values[cell * measured + k] }
                }
            }
        }
    }
}
