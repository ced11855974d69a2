import Store

/// A chain kind's engine adapter: the one part of a Markov-chain kind that knows its engine. The
/// chain runner does the rest (run file, series, checkpoints, stop votes, resume) alike for all.
protocol MarkovChain: AnyObject {
    /// When the chains step, measure, save and checkpoint, what they measure, and the state's layout version.
    var plan: ChainPlan { get }
    /// The run file's parameters and the datasets the kind fills itself (configurations); the
    /// runner adds the series'.
    var schema: RunSchema { get }
    /// Takes the opened datasets of the run.
    func attach(_ datasets: RunDatasets)
    /// Advances every chain this rank holds by step `step` (0-based). Collective.
    func advance(_ step: Int) throws
    /// Adds measurement `measurement` of every chain this rank holds to `series`. Collective.
    func measure(_ measurement: Int, into series: SeriesRecorder) throws
    /// Writes every chain's configuration as saved sample `sample`. Collective.
    func saveConfigurations(sample: Int) throws
    /// Checks the chains once step `step` is measured and saved; throws `ChainDivergence` when
    /// they cannot go on. Collective.
    func check(afterStep step: Int) throws
    /// Puts the chains' state into a checkpoint. Collective.
    func save(into state: CheckpointState) throws
    /// Restores the chains from a verified checkpoint taken after `done` steps; `series` already
    /// holds what was measured until then. Collective.
    func restore(from contents: CheckpointContents, after done: Int, series: SeriesRecorder) throws
    /// Writes the kind's summary of a finished run. Collective.
    func summarize(_ series: SeriesRecorder, root: Group) throws
}

/// What the chain runner needs of a chain kind before its first step.
struct ChainPlan {
    /// When each step is thermalisation, measurement, saved sample, checkpoint and stop vote.
    let schedule: ChainSchedule
    /// The series the chains measure, kept and written by the runner.
    let series: SeriesRecorder
    /// The layout version of the state `save(into:)` writes; raised when that layout changes, so
    /// that an older checkpoint is refused with a message instead of read wrongly.
    let stateVersion: Int
}

extension MarkovChain {
    func check(afterStep step: Int) throws {}
}

/// A chain that can no longer go on (non-finite energies, say), raised by every rank alike after
/// `stepsDone` steps, whose state up to there is worth keeping: the runner records it, writes a
/// checkpoint there and ends the run with `message` (exit 1).
struct ChainDivergence: Error {
    let stepsDone: Int
    let message: String
}
