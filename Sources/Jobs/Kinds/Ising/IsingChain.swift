import Cluster
import Ising
import Lattice
import Store

/// The Ising kind's engine adapter: sweeps, measurements and checkpoints of an `IsingSimulation`.
final class IsingChain: MarkovChain {
    let job: IsingJob
    let simulation: IsingSimulation
    let plan: ChainPlan
    private var configurations: SavedConfigurations

    init(job: IsingJob, context: RunContext) {
        let communicator = context.communicator, geometry = job.model.geometry
        self.job = job
        simulation = IsingSimulation(parameters: job.parameters, seed: job.seed, communicator: communicator)
        // A stop vote every few milliseconds of sweeping, whatever the lattice.
        let sitesPerRank = Double(job.temperatures.count * job.chains) * Double(geometry.volume) / Double(communicator.size)
        let schedule = ChainSchedule(label: "ising", unit: "sweep", thermalization: job.ising.thermalization, steps: job.ising.sweeps,
                                     measureEvery: job.measureEvery, saveEvery: job.saveEvery, checkpointEvery: job.checkpointEvery,
                                     voteEvery: max(1, Int(5e5 / max(1, sitesPerRank))))
        let series = SeriesRecorder(observables: Self.observables, points: job.temperatures.count, chains: job.chains, schedule: schedule,
                                    placement: job.decomposition == .replicas ? .oneRankEach : .everyRank, pointAxis: "temperature", isRoot: communicator.isRoot)
        plan = ChainPlan(schedule: schedule, series: series, stateVersion: 1)
        configurations = SavedConfigurations(points: job.temperatures.count, chains: job.chains, extents: geometry.extents,
                                             schedule: schedule, pointAxis: "temperature")
    }

    var schema: RunSchema { RunSchema(parameters: job.runParameters, datasets: configurations.declarations(of: Int8.self)) }

    func attach(_ datasets: RunDatasets) { configurations.attach(datasets) }

    func advance(_ step: Int) throws { try simulation.sweep(step) }

    func measure(_ measurement: Int, into series: SeriesRecorder) throws {
        for value in try simulation.measure() {
            let cell = value.temperature * job.chains + value.replica % job.chains, m = value.measurement
            let numbers = [m.energy, m.magnetization, m.absoluteMagnetization, m.magnetizationSquared, m.magnetizationFourth]
            for (o, x) in numbers.enumerated() { series.add(measurement: measurement, cell: cell, observable: o, x) }
        }
    }

    /// Each held replica's slab, from `fields` (in `replicas` order).
    private func slabs(_ fields: [HaloField<Int8>]) -> [Slab<Int8>] {
        zip(simulation.replicas, fields).map { Slab(replica: $0, planes: $1.planes, values: $1.owned) }
    }

    func saveConfigurations(sample: Int) throws {
        // Each replica is saved at the temperature it holds now (replica exchange moves them).
        try configurations.write(slabs(simulation.currentFields()), sample: sample, communicator: simulation.communicator) {
            simulation.temperatureOf[$0]
        }
    }

    func save(into state: CheckpointState) throws {
        let extents = simulation.parameters.model.geometry.extents
        try state.put("spins", shape: [simulation.parameters.replicaCount] + extents,
                      blocks: slabs(simulation.currentFields()).map { $0.block(extents: extents) })
        try state.put("temperature_of", values: simulation.temperatureOf.map(Int64.init))
        try state.put("exchange_accepted", values: simulation.exchangeAccepted.map(Int64.init))
        try state.put("exchange_attempted", values: simulation.exchangeAttempted.map(Int64.init))
    }

    func restore(from contents: CheckpointContents, after done: Int, series: SeriesRecorder) throws {
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
        let fields = slabs(simulation.fieldsForOverwrite())
        try contents.read("spins", into: fields.map { $0.mutableBlock(extents: extents) }, communicator: simulation.communicator)
        guard try !simulation.communicator.any(fields.contains { $0.values.contains { $0 != 1 && $0 != -1 } }) else {
            throw JobError(file: contents.path, "holds spins other than ±1")
        }
    }

    func summarize(_ series: SeriesRecorder, root: Group) throws {
        let communicator = simulation.communicator
        let table = try Table.create("summary", in: root, columns: IsingSummary.columns)
        try table.append(communicator.isRoot ? IsingSummary.rows(series, job: job) : [])
        try table.describe(axis: "temperature", columns: IsingSummary.meanings, in: root, root: root)
        guard simulation.parameters.exchangeEvery != nil else { return }
        let pairs = try Table.create("tempering", in: root, columns: IsingSummary.temperingColumns)
        let temperatures = job.temperatures
        let tempering: [[Cell]] = (0..<max(0, temperatures.count - 1)).map { t in
            let a = simulation.exchangeAccepted[t], n = simulation.exchangeAttempted[t]
            return [.real(temperatures[t]), .real(temperatures[t + 1]), .integer(Int64(a)), .integer(Int64(n)),
                    .real(n > 0 ? Double(a) / Double(n) : 0)]
        }
        try pairs.append(communicator.isRoot ? tempering : [])
        try pairs.describe(axis: "temperature_pair", columns: IsingSummary.temperingMeanings, in: root, root: root)
    }
}

extension IsingJob: ChainJob {
    func chain(_ context: RunContext) -> IsingChain { IsingChain(job: self, context: context) }
}
