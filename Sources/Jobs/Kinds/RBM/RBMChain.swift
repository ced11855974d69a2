import Cluster
import Foundation
import Generative
import Learning
import Numerics
import Store

/// The RBM kind's adapter to the chain runner: a step is one data-parallel PCD step (the data
/// batch of step t is configurations t·B … t·B + B − 1, cyclically, cut into shards), a
/// measurement is μ² and the second-moment gap, and the state is the machine, Adam's moments and
/// every persistent chain in chain order (so a resume may use another number of ranks).
final class RBMChain: MarkovChain {
    let job: RBMJob
    let data: RBMData
    let trainer: RBMTrainer
    let plan: ChainPlan
    private var gap = 0.0

    init(job: RBMJob, context: RunContext) throws {
        self.job = job
        data = try RBMData(job: job)
        let steps = job.training.steps, rate = job.training.learningRate ?? 0.01
        let machine = GaussianRBM(visible: data.sites, hidden: job.rbm.hidden, sigma: job.rbm.sigma ?? 1, massSquared: job.rbm.massSquared ?? 4,
                                  seed: job.seed)
        let settings = RBMTrainingSettings(chains: job.chains, sweeps: job.training.sweeps ?? 1, shards: job.shards,
                                           optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-10),
                                           schedule: LearningRateSchedule(base: rate, warmupSteps: job.training.warmupSteps ?? steps / 10,
                                                                          totalSteps: steps, minimum: rate / 100, cosine: true),
                                           seed: job.seed)
        trainer = RBMTrainer(machine: machine, settings: settings, communicator: context.communicator)
        let schedule = ChainSchedule(label: "rbm", unit: "step", thermalization: 0, steps: steps, measureEvery: 1, saveEvery: 0,
                                     checkpointEvery: job.checkpointEvery, voteEvery: 1)
        let series = SeriesRecorder(observables: [Observable(name: "mass_squared", meaning: Meaning(units: "1", longName: "the RBM's visible mass parameter mu^2 after each step")),
                                                  Observable(name: "second_moment_gap", meaning: Meaning(units: "1", longName: "second-moment gap of the training step",
                                                                                                         definition: "-1/2 <sum phi^2> data minus model"))],
                                    points: 1, chains: 1, schedule: schedule, placement: .everyRank, pointAxis: "point",
                                    isRoot: context.communicator.isRoot)
        plan = ChainPlan(schedule: schedule, series: series, stateVersion: 1)
    }

    var schema: RunSchema {
        var parameters = RunParameters(datasets: [("kappa", [data.kappa]), ("lambda", [0])])
        parameters.set("extents", .integers(data.extents.map(Int64.init)))
        parameters.set("data", .text(job.data.file))
        parameters.set("model", .text("S(phi, h) = sum_i mu^2 phi_i^2 / 2 + sum_a (h_a - eta_a)^2 / (2 sigma^2) - sum_ia phi_i W_ia h_a"))
        return RunSchema(parameters: parameters)
    }

    func attach(_ datasets: RunDatasets) {}

    func advance(_ step: Int) throws {
        let ranks = trainer.communicator.size, rank = trainer.communicator.rank.index, size = job.batch / job.shards, v = data.sites
        var shards: [[Double]] = []
        for j in stride(from: rank, to: job.shards, by: ranks) {
            var shard: [Double] = []
            for k in 0..<size {
                let c = (step * job.batch + j * size + k) % data.count
                shard += data.configurations[(c * v)..<((c + 1) * v)]
            }
            shards.append(shard)
        }
        do {
            gap = try trainer.step(shards, fieldsPerShard: size)
        } catch let error as TrainingError {
            throw ChainDivergence(stepsDone: step, message: "PCD stopped at step \(step): \(error.description); lower learning_rate or raise mass_squared")
        }
    }

    func measure(_ measurement: Int, into series: SeriesRecorder) throws {
        series.add(measurement: measurement, cell: 0, observable: 0, trainer.machine.massSquared)
        series.add(measurement: measurement, cell: 0, observable: 1, gap)
    }

    func saveConfigurations(sample: Int) throws {}

    /// Every chain's (φ, h) in chain order, on every rank. Collective.
    private func allChains() throws -> [Double] {
        let ranks = trainer.communicator.size, width = data.sites + job.rbm.hidden
        let gathered = try trainer.communicator.allgatherVariable(trainer.chainStates.flatMap { $0.phi + $0.h })
        var ordered: [Double] = []
        for c in 0..<job.chains {
            let start = (c / ranks) * width
            ordered += gathered[c % ranks][start..<(start + width)]
        }
        return ordered
    }

    func save(into state: CheckpointState) throws {
        try state.put("parameters", values: trainer.machine.parameters)
        try state.put("optimizer_state", values: trainer.optimizer.state)
        try state.put("steps_taken", trainer.optimizer.stepsTaken)
        try state.put("chains", values: try allChains())
    }

    func restore(from contents: CheckpointContents, after done: Int, series: SeriesRecorder) throws {
        let width = data.sites + job.rbm.hidden, ranks = trainer.communicator.size, rank = trainer.communicator.rank.index
        let parameters = try contents.values("parameters", as: Double.self, count: trainer.machine.parameters.count)
        let moments = try contents.values("optimizer_state", as: Double.self, count: trainer.optimizer.state.count)
        let chains = try contents.values("chains", as: Double.self, count: job.chains * width)
        guard try contents.integer("steps_taken") == done, (parameters + moments + chains).allSatisfy(\.isFinite) else {
            throw JobError(file: contents.path, "holds an RBM state that is not finite or not at step \(done)")
        }
        trainer.machine.parameters = parameters
        trainer.optimizer.state = moments
        trainer.optimizer.stepsTaken = done
        trainer.chainStates = stride(from: rank, to: job.chains, by: ranks).map { c in
            (Array(chains[(c * width)..<(c * width + data.sites)]), Array(chains[(c * width + data.sites)..<((c + 1) * width)]))
        }
    }

    func summarize(_ series: SeriesRecorder, root: Group) throws {
        try RBMResults.write(trainer.machine, data: data, job: job, chains: try allChains(), root: root, isRoot: trainer.communicator.isRoot)
    }
}
