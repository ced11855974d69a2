import Cluster
import Foundation
import Ising
import Lattice
import Numerics
import Store

/// The five observables stored per measurement, in this order.
let isingSeries = ["energy", "magnetization", "abs_magnetization", "magnetization2", "magnetization4"]

extension IsingJob {
    public func execute(_ context: RunContext) throws -> RunOutcome {
        try validate(ranks: context.communicator.size, file: context.file.path)
        let communicator = context.communicator, root = context.root
        let parameters = self.parameters, geometry = parameters.model.geometry
        let simulation = IsingSimulation(parameters: parameters, seed: seed, communicator: communicator)
        let temperatureCount = temperatures.count, total = ising.thermalization + ising.sweeps
        let io = try IsingFiles(job: self, root: root, resuming: context.resuming)

        // series[o][(t·chains + c)·measurements + m]: every rank keeps every series (they are small).
        var series = [[Double]](repeating: [Double](repeating: 0, count: temperatureCount * chains * measurements), count: isingSeries.count)
        var done = 0
        if context.resuming {
            done = try io.restore(into: simulation, series: &series, job: self)
            context.logger.info("resuming at sweep \(done) of \(total)")
        }
        let progress = Progress(label: "ising", total: total, unit: "sweeps", startingAt: done,
                                enabled: communicator.isRoot, logger: context.logger)
        var checkpoints = 0
        var pending: [(index: Int, values: [(replica: Int, temperature: Int, measurement: IsingMeasurement)])] = []
        while done < total {
            let end = min(total, (done / checkpointEvery + 1) * checkpointEvery)
            for sweep in done..<end {
                try simulation.sweep(sweep)
                let measured = sweep + 1 - ising.thermalization
                if measured > 0 && measured % measureEvery == 0 {
                    pending.append((measured / measureEvery - 1, try simulation.measure()))
                }
                if measured > 0 && saveEvery > 0 && measured % saveEvery == 0 {
                    try io.saveConfigurations(simulation, sample: measured / saveEvery - 1, job: self)
                }
            }
            try io.recordSeries(pending, into: &series, job: self, communicator: communicator, decomposition: decomposition)
            pending.removeAll()
            try io.checkpoint(simulation, sweepsDone: end)
            done = end
            checkpoints += 1
            if try context.checkpointed(checkpoints, done: done, of: total, unit: "sweep", progress: progress) {
                return .interrupted(atStep: done)
            }
        }
        let rows = try IsingSummary.rows(series: series, job: self, volume: Double(geometry.volume))
        let table = try Table.create("summary", in: root, columns: IsingSummary.columns)
        try table.append(communicator.isRoot ? rows : [])
        if parameters.exchangeEvery != nil {
            let pairs = try Table.create("tempering", in: root, columns: [
                Column("temperature_low", .real), Column("temperature_high", .real),
                Column("accepted", .integer), Column("attempted", .integer), Column("acceptance", .real)])
            let tempering: [[Cell]] = (0..<max(0, temperatureCount - 1)).map { t in
                let a = simulation.exchangeAccepted[t], n = simulation.exchangeAttempted[t]
                return [.real(temperatures[t]), .real(temperatures[t + 1]), .integer(Int64(a)), .integer(Int64(n)),
                        .real(n > 0 ? Double(a) / Double(n) : 0)]
            }
            try pairs.append(communicator.isRoot ? tempering : [])
        }
        return .completed
    }
}
