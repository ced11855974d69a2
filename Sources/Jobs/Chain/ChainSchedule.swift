import Store

/// How a chain kind's steps go: thermalisation, then measured steps, with a measurement, a saved
/// configuration, a checkpoint and a stop vote at their own intervals.
struct ChainSchedule {
    /// For the progress line, e.g. "ising".
    let label: String
    /// One step, e.g. "sweep".
    let unit: String
    let thermalization: Int
    /// Steps after thermalisation.
    let steps: Int
    let measureEvery: Int
    /// Steps between saved configurations; 0 saves none.
    let saveEvery: Int
    let checkpointEvery: Int
    /// Steps between stop votes: a few milliseconds of work, so a signal is answered at once.
    let voteEvery: Int

    /// Steps in all.
    var total: Int { thermalization + steps }

    /// The measurements made in the first `done` steps.
    func measurements(after done: Int) -> Int { max(0, done - thermalization) / measureEvery }

    /// The measurement step `step` (0-based) ends with, if any.
    func measurement(at step: Int) -> Int? {
        let measured = step + 1 - thermalization
        return measured > 0 && measured % measureEvery == 0 ? measured / measureEvery - 1 : nil
    }

    /// The saved configuration step `step` (0-based) ends with, if any.
    func sample(at step: Int) -> Int? {
        let measured = step + 1 - thermalization
        return measured > 0 && saveEvery > 0 && measured % saveEvery == 0 ? measured / saveEvery - 1 : nil
    }
}

extension RunParameters {
    /// Records a chain kind's schedule under the job file's keys: `thermalization`, the measured
    /// steps as `stepsKey` (e.g. "sweeps"), `measure_every` and `save_every`.
    mutating func setSchedule(thermalization: Int, steps: Int, stepsKey: String, measureEvery: Int, saveEvery: Int) {
        set("thermalization", .integer(Int64(thermalization)))
        set(stepsKey, .integer(Int64(steps)))
        set("measure_every", .integer(Int64(measureEvery)))
        set("save_every", .integer(Int64(saveEvery)))
    }
}

extension SeriesRecorder {
    /// A recorder of the measurements `schedule` makes, one each `measureEvery` steps after the
    /// thermalisation, each labelled by the step it follows (counted from 1, thermalisation
    /// included) in an index named after the schedule's unit.
    convenience init(observables: [Observable], points: Int, chains: Int, schedule: ChainSchedule, placement: SeriesPlacement,
                     pointAxis: String, isRoot: Bool) {
        let thermalization = schedule.thermalization, every = schedule.measureEvery
        self.init(observables: observables, points: points, chains: chains, measurements: schedule.steps / every, placement: placement,
                  pointAxis: pointAxis, indexName: schedule.unit, isRoot: isRoot) { Int64(thermalization + ($0 + 1) * every) }
    }
}
