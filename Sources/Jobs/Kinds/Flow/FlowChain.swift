import Foundation
import Generative
import Learning
import Store

/// The flow kind's adapter to the chain runner: a step is one optimiser step of the data-parallel
/// reverse-KL trainer, a measurement its loss and effective sample size, and the state that
/// checkpoints carry is the parameters with Adam's moments. The runner does the rest (series,
/// checkpoints, stop votes, resume) as for every chain kind.
final class FlowChain<Scalar: NetworkScalar & StorableScalar>: MarkovChain {
    let job: FlowJob
    let trainer: FlowTrainer<Scalar>
    let plan: ChainPlan

    init(job: FlowJob, context: RunContext) throws {
        self.job = job
        let communicator = context.communicator
        let flow: CouplingFlow<Scalar>
        do { flow = try CouplingFlow<Scalar>(extents: job.phi4.extents, architecture: job.architecture) }
        catch { throw JobError(file: "[flow]", error.description) }
        // The identity flow to start: q is the prior, and training moves it from there.
        flow.initializeParameters(seed: job.seed, identity: true)
        let settings = FlowTrainingSettings(batch: job.training.batch, deterministicShards: job.deterministicShards,
                                            optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8),
                                            schedule: LearningRateSchedule(base: job.training.learningRate ?? 1e-3), seed: job.seed)
        trainer = FlowTrainer(flow: flow, action: Phi4Target(extents: job.phi4.extents, couplings: job.couplings!), settings: settings,
                              communicator: communicator)
        try trainer.synchronizeParameters()
        let schedule = ChainSchedule(label: "flow", unit: "step", thermalization: 0, steps: job.training.steps, measureEvery: 1,
                                     saveEvery: 0, checkpointEvery: job.checkpointEvery, voteEvery: 1)
        let series = SeriesRecorder(observables: [Observable(name: "loss", meaning: Meaning(units: "1", longName: "reverse Kullback-Leibler loss",
                                                                                            definition: "mean of log q + S over the batch: KL(q||p) - log Z")),
                                                  Observable(name: "effective_sample_size", meaning: Meaning(units: "1", longName: "effective sample size per proposal",
                                                                                                             definition: "(sum w)^2 / (N sum w^2), w = exp(-S) / q"))],
                                    points: 1, chains: 1, schedule: schedule, placement: .everyRank, pointAxis: "point", isRoot: communicator.isRoot)
        plan = ChainPlan(schedule: schedule, series: series, stateVersion: 1)
    }

    var schema: RunSchema { RunSchema(parameters: job.runParameters) }

    func attach(_ datasets: RunDatasets) {}

    private var last: FlowStepResult?

    func advance(_ step: Int) throws {
        do {
            last = try trainer.step()
        } catch let error as TrainingError {
            // The parameters are those before the failed step: worth a checkpoint at `step`.
            throw ChainDivergence(stepsDone: step, message: "training stopped at step \(step): \(error.description); lower learning_rate")
        }
    }

    func measure(_ measurement: Int, into series: SeriesRecorder) throws {
        series.add(measurement: measurement, cell: 0, observable: 0, last!.loss)
        series.add(measurement: measurement, cell: 0, observable: 1, last!.effectiveSampleSize)
    }

    func saveConfigurations(sample: Int) throws {}

    func save(into state: CheckpointState) throws {
        try state.put("parameters", values: trainer.flow.parameters)
        try state.put("optimizer_state", values: trainer.optimizer.state)
        try state.put("steps_taken", trainer.optimizer.stepsTaken)
    }

    func restore(from contents: CheckpointContents, after done: Int, series: SeriesRecorder) throws {
        let parameters = try contents.values("parameters", as: Scalar.self, count: trainer.flow.parameterCount)
        let moments = try contents.values("optimizer_state", as: Scalar.self, count: trainer.optimizer.state.count)
        guard try contents.integer("steps_taken") == done, parameters.allSatisfy(\.isFinite), moments.allSatisfy(\.isFinite) else {
            throw JobError(file: contents.path, "holds flow parameters or optimiser state that are not finite or not at step \(done)")
        }
        trainer.flow.parameters = parameters
        trainer.optimizer.state = moments
        trainer.optimizer.stepsTaken = done
    }

    func summarize(_ series: SeriesRecorder, root: Group) throws {
        try FlowModel.write(trainer.flow, job: job, in: root)
        var rows: [[Cell]] = []
        // Rank 0 keeps the series.
        if trainer.communicator.isRoot {
            let c = job.couplings!, losses = series.series(0, cell: 0), ess = series.series(1, cell: 0)
            let tenth = ess.suffix(max(1, ess.count / 10))
            rows = [[.real(c.kappa), .real(c.lambda), .integer(Int64(job.training.steps)), .real(losses.last ?? .nan),
                     .real(ess.last ?? .nan), .real(tenth.reduce(0, +) / Double(max(1, tenth.count)))]]
        }
        let table = try Table.create("summary", in: root, columns: FlowModel.columns)
        try table.append(rows)
        try table.describe(axis: "point", columns: Phi4Meanings.parameters, in: root, root: root)
    }
}
