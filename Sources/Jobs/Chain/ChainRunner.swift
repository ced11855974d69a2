import Cluster
import Foundation

/// Runs every Markov-chain kind: opens the run file from the kind's schema, restores a resumed
/// run, then thermalises, advances, measures, saves configurations, records, checkpoints and takes
/// the stop vote, and at the end has the kind summarise. A resumed run continues from any step.
struct ChainRunner {
    let context: RunContext

    /// Runs `chain` from the start or from the checkpoint it resumed from. Collective.
    func run(_ chain: some MarkovChain) throws -> RunOutcome {
        let schedule = chain.plan.schedule, series = chain.plan.series
        var schema = chain.schema
        schema.datasets += series.declarations
        let datasets = try schema.open(in: context)
        series.attach(datasets)
        chain.attach(datasets)
        var done = 0
        if let resumed = context.resumed {
            try resumed.requireVersion(chain.plan.stateVersion)
            done = resumed.header.step
            // The run file up to the checkpoint was checked against it before the run began.
            try series.restore(measured: schedule.measurements(after: done))
            try chain.restore(from: resumed.contents, after: done, series: series)
            context.logger.info("resuming at \(schedule.unit) \(done) of \(schedule.total)")
        }
        let outcome = try loop(chain, from: done)
        guard outcome == .completed else { return outcome }
        try chain.summarize(series, root: context.root)
        return .completed
    }

    /// Steps from `start` to the end or to a stop: a checkpoint every `checkpointEvery` steps (and
    /// where a stop is voted), so that a signal is answered within a vote's work. Collective.
    private func loop(_ chain: some MarkovChain, from start: Int) throws -> RunOutcome {
        let communicator = context.communicator, schedule = chain.plan.schedule, series = chain.plan.series, unit = schedule.unit
        let plural = unit.hasSuffix("y") ? unit.dropLast() + "ies" : unit + "s"
        let progress = Progress(label: schedule.label, total: schedule.total, unit: plural, startingAt: start,
                                every: context.options.progressInterval, enabled: communicator.isRoot, logger: context.logger)
        let record = { (done: Int) in try series.record(upTo: schedule.measurements(after: done), communicator: communicator) }
        let save = { (state: CheckpointState) in try chain.save(into: state) }
        var done = start
        while done < schedule.total {
            let end = min(schedule.total, (done / schedule.checkpointEvery + 1) * schedule.checkpointEvery)
            var stopVoted = false
            do {
                while done < end {
                    let next = min(end, (done / schedule.voteEvery + 1) * schedule.voteEvery)
                    for step in done..<next {
                        try chain.advance(step)
                        if let m = schedule.measurement(at: step) { try chain.measure(m, into: series) }
                        if let sample = schedule.sample(at: step) {
                            try chain.saveConfigurations(sample: sample)
                            FaultInjection.reach("chain.saved", rank: communicator.rank.index)
                        }
                        try chain.check(afterStep: step)
                    }
                    done = next
                    progress.update(done)
                    if done < end, try communicator.agreeToStop() {
                        stopVoted = true
                        break
                    }
                }
            } catch let divergence as ChainDivergence {
                try record(divergence.stepsDone)
                try context.saveCheckpoint(step: divergence.stepsDone, unit: unit, version: chain.plan.stateVersion, fill: save)
                throw RunFailure("\(divergence.message); a checkpoint at \(unit) \(divergence.stepsDone) is in \(context.paths.checkpoint)")
            }
            try record(done)
            let number = try context.saveCheckpoint(step: done, unit: unit, version: chain.plan.stateVersion, fill: save)
            if done < schedule.total, try stopVoted || context.shouldStop(afterCheckpoint: number) {
                context.logger.notice("stopping at \(unit) \(done) of \(schedule.total); continue with --resume")
                return .interrupted(atStep: done)
            }
        }
        return .completed
    }
}
