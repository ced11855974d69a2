import Cluster
import Numerics
import Store

/// The demo kind's engine adapter: each rank advances its block of AR(1) chains, xₜ = ρxₜ₋₁ + √(1−ρ²)ηₜ.
final class DemoChain: MarkovChain {
    let job: DemoJob
    let communicator: Communicator
    let paths: RunPaths
    let plan: ChainPlan
    /// The chains this rank owns.
    let mine: Range<Int>
    /// xₜ of each owned chain: current[point · owned + chain].
    private var current: [Double]

    init(job: DemoJob, context: RunContext) {
        let communicator = context.communicator, points = job.demo.autocorrelations.count
        self.job = job
        self.communicator = communicator
        paths = context.paths
        mine = DemoJob.chains(job.demo.chains, rank: communicator.rank.index, size: communicator.size)
        current = [Double](repeating: 0, count: points * mine.count)
        let schedule = ChainSchedule(label: "demo", unit: "measurement", thermalization: 0, steps: job.demo.measurements, measureEvery: 1,
                                     saveEvery: 0, checkpointEvery: job.demo.checkpointEvery,
                                     voteEvery: max(1, 1_000_000 / max(1, points * mine.count)))
        let series = SeriesRecorder(observables: [Observable(name: "x", meaning: DemoSummary.x)], points: points, chains: job.demo.chains,
                                    measurements: job.demo.measurements, placement: .oneRankEach, pointAxis: "point", indexName: "step",
                                    isRoot: communicator.isRoot) { Int64($0) }
        plan = ChainPlan(schedule: schedule, series: series, stateVersion: 1)
    }

    var schema: RunSchema { RunSchema(parameters: job.runParameters) }

    func attach(_ datasets: RunDatasets) {}

    func advance(_ step: Int) throws {
        let local = mine.count, chains = job.demo.chains
        for (p, rho) in job.demo.autocorrelations.enumerated() {
            let noise = (1 - rho * rho).squareRoot()
            for c in 0..<local {
                var stream = RandomStream(seed: job.seed, purpose: .demo, replica: p * chains + mine.lowerBound + c, step: step)
                let eta = stream.normal()
                // x₀ = η₀ starts the chain in equilibrium, so no thermalisation is discarded.
                current[p * local + c] = step == 0 ? eta : rho * current[p * local + c] + noise * eta
            }
        }
    }

    func measure(_ measurement: Int, into series: SeriesRecorder) throws {
        let local = mine.count, chains = job.demo.chains
        for p in job.demo.autocorrelations.indices {
            for c in 0..<local { series.add(measurement: measurement, cell: p * chains + mine.lowerBound + c, observable: 0, current[p * local + c]) }
        }
    }

    func saveConfigurations(sample: Int) throws {}

    /// The block of `last` ([point, chain]) this rank owns.
    private func block<T>(_ values: T) -> (offset: [Int], count: [Int], values: T) {
        ([0, mine.lowerBound], [job.demo.autocorrelations.count, mine.count], values)
    }

    func save(into state: CheckpointState) throws {
        try current.withUnsafeBufferPointer { buffer in
            let b = block(buffer)
            try state.put("last", shape: [job.demo.autocorrelations.count, job.demo.chains],
                          blocks: [StateBlock(offset: b.offset, count: b.count, values: b.values)])
        }
    }

    func restore(from contents: CheckpointContents, after done: Int, series: SeriesRecorder) throws {
        try current.withUnsafeMutableBufferPointer { buffer in
            let b = block(buffer)
            try contents.read("last", into: [MutableStateBlock(offset: b.offset, count: b.count, values: b.values)], communicator: communicator)
        }
        // The checkpoint's last values must end the series of the run file it goes with.
        let points = job.demo.autocorrelations.count, chains = job.demo.chains
        var last = [Double](repeating: 0, count: points * chains)
        for p in 0..<points {
            for c in 0..<mine.count { last[p * chains + mine.lowerBound + c] = current[p * mine.count + c] }
        }
        try communicator.allreduce(&last, .sum)
        let differs = communicator.isRoot && done > 0 && last.indices.contains { series.series(0, cell: $0).dropFirst(done - 1).first != last[$0] }
        if try communicator.any(differs) {
            throw JobError(file: paths.checkpoint, "does not continue the series in \(paths.partial): the two files belong to different runs")
        }
    }

    func summarize(_ series: SeriesRecorder, root: Group) throws {
        let rows = communicator.isRoot ? try DemoSummary.rows(series, job: job, ranks: communicator.size) : DemoSummary.Rows()
        let chains = try Table.create("chains", in: root, columns: DemoSummary.chainColumns)
        try chains.append(rows.chains)
        try chains.describe(axis: "chain_result", columns: DemoSummary.meanings, in: root, root: root)
        let summary = try Table.create("summary", in: root, columns: DemoSummary.columns)
        try summary.append(rows.summary)
        try summary.describe(axis: "point", columns: DemoSummary.meanings, in: root, root: root)
    }
}

extension DemoJob: ChainJob {
    func chain(_ context: RunContext) -> DemoChain { DemoChain(job: self, context: context) }
}
