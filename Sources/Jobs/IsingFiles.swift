import Cluster
import Ising
import Lattice
import Store

/// The datasets of an Ising run file and the collective writes that fill them.
struct IsingFiles {
    let observables: [Dataset]
    let sweepIndex: Dataset
    let configurations: Dataset?
    let configurationSweep: Dataset?
    let checkpoint: Group
    let state: Dataset
    let temperatureOf: Dataset

    init(job: IsingJob, root: Group, resuming: Bool) throws {
        let extents = job.ising.extents, t = job.temperatures.count, replicas = job.temperatures.count * job.chains
        if resuming {
            let group = try root.openGroup("observables")
            observables = try isingSeries.map { try group.openDataset($0) }
            sweepIndex = try group.openDataset("sweep")
            configurations = job.samplesPerChain > 0 ? try root.openDataset("configurations") : nil
            configurationSweep = job.samplesPerChain > 0 ? try root.openDataset("configuration_sweep") : nil
            checkpoint = try root.openGroup("checkpoint")
            state = try checkpoint.openDataset("state")
            temperatureOf = try checkpoint.openDataset("temperature_of")
            return
        }
        let parameters = try root.createGroup("parameters")
        try parameters.createDataset("temperature", of: Double.self, shape: [t]).writeFromRoot(job.temperatures)
        try parameters.createDataset("beta", of: Double.self, shape: [t]).writeFromRoot(job.betas)
        try parameters.setAttribute("extents", extents.map(Int64.init))
        try parameters.setAttribute("coupling", job.ising.coupling ?? 1)
        try parameters.setAttribute("field", job.ising.field ?? 0)
        try parameters.setAttribute("chains", Int64(job.chains))
        try parameters.setAttribute("algorithms", job.ising.algorithms.joined(separator: ","))
        try parameters.setAttribute("decomposition", job.decomposition.rawValue)
        try parameters.setAttribute("thermalization", Int64(job.ising.thermalization))
        try parameters.setAttribute("sweeps", Int64(job.ising.sweeps))
        try parameters.setAttribute("measure_every", Int64(job.measureEvery))
        try parameters.setAttribute("save_every", Int64(job.saveEvery))
        let group = try root.createGroup("observables")
        observables = try isingSeries.map { name in
            let d = try group.createDataset(name, of: Double.self, shape: [t, job.chains, job.measurements])
            try d.setAttribute("axes", "temperature, chain, measurement")
            return d
        }
        sweepIndex = try group.createDataset("sweep", of: Int64.self, shape: [job.measurements])
        if job.samplesPerChain > 0 {
            let samples = job.chains * job.samplesPerChain
            let d = try root.createDataset("configurations", of: Int8.self, shape: [t, samples] + extents,
                                           chunk: [1, 1] + extents)
            try d.setAttribute("axes", "temperature, sample, " + (0..<extents.count).map { "x\($0)" }.joined(separator: ", "))
            try d.setAttribute("sample_order", "chain-major: sample = chain · samples_per_chain + k, saved after sweep configuration_sweep[k]")
            configurations = d
            configurationSweep = try root.createDataset("configuration_sweep", of: Int64.self, shape: [job.samplesPerChain])
        } else {
            configurations = nil
            configurationSweep = nil
        }
        checkpoint = try root.createGroup("checkpoint")
        state = try checkpoint.createDataset("state", of: Int8.self, shape: [replicas] + extents, chunk: [1] + extents)
        temperatureOf = try checkpoint.createDataset("temperature_of", of: Int64.self, shape: [replicas])
        try checkpoint.setAttribute("sweeps_done", Int64(0))
    }

    /// Each held replica's slab, from `fields` (in `replicas` order).
    private func slabs(_ simulation: IsingSimulation, _ fields: [HaloField<Int8>]) -> [Slab<Int8>] {
        zip(simulation.replicas, fields).map { Slab(replica: $0, planes: $1.planes, values: $1.owned) }
    }

    /// Writes each held replica's spins at `offset(replica)` + its planes. Collective.
    private func writeFields(_ simulation: IsingSimulation, into dataset: Dataset, offset: (Int) -> [Int]) throws {
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

    /// Writes every replica's spins, the temperature assignment and the sweep count. Collective.
    func checkpoint(_ simulation: IsingSimulation, sweepsDone: Int) throws {
        try writeFields(simulation, into: state) { [$0] }
        let isRoot = simulation.communicator.isRoot
        try temperatureOf.write(isRoot ? simulation.temperatureOf.map(Int64.init) : [], at: [0],
                                count: [isRoot ? simulation.temperatureOf.count : 0])
        try checkpoint.setAttribute("exchange_accepted", simulation.exchangeAccepted.map(Int64.init))
        try checkpoint.setAttribute("exchange_attempted", simulation.exchangeAttempted.map(Int64.init))
        try checkpoint.setAttribute("sweeps_done", Int64(sweepsDone))
    }

    /// Reads the checkpoint back into `simulation` and the stored series; returns the sweeps done. Collective.
    func restore(into simulation: IsingSimulation, series: inout [[Double]], job: IsingJob) throws -> Int {
        guard case let .integer(done) = try checkpoint.attribute("sweeps_done") else {
            throw StoreError.mismatch("checkpoint/sweeps_done is missing")
        }
        var accepted: [Int] = [], attempted: [Int] = []
        if case let .integers(a) = try checkpoint.attribute("exchange_accepted") { accepted = a.map(Int.init) }
        if case let .integers(a) = try checkpoint.attribute("exchange_attempted") { attempted = a.map(Int.init) }
        simulation.restore(temperatureOf: try temperatureOf.readAll(Int64.self).map(Int.init), accepted: accepted, attempted: attempted)
        try ReplicaSlabs(communicator: simulation.communicator, extents: simulation.parameters.model.geometry.extents)
            .read(slabs(simulation, simulation.fieldsForOverwrite()), from: state) { [$0] }
        let measured = max(0, Int(done) - job.ising.thermalization) / job.measureEvery
        if measured > 0 {
            let cells = job.temperatures.count * job.chains
            for o in isingSeries.indices {
                let values = try observables[o].read(Double.self, at: [0, 0, 0], count: [job.temperatures.count, job.chains, measured])
                for cell in 0..<cells {
                    for k in 0..<measured { series[o][cell * job.measurements + k] = values[cell * measured + k] }
                }
            }
        }
        return Int(done)
    }
}
