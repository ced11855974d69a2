import Cluster
import Foundation
import Ising
import Lattice
import Numerics
import Store

/// The five observables stored per measurement, in this order.
let isingSeries = ["energy", "magnetization", "abs_magnetization", "magnetization2", "magnetization4"]

extension IsingJob {
    public var recordsIncrementally: Bool { true }

    public func execute(_ context: RunContext) throws -> RunOutcome {
        let communicator = context.communicator, root = context.root
        let parameters = self.parameters, geometry = parameters.model.geometry
        let simulation = IsingSimulation(parameters: parameters, seed: seed, communicator: communicator)
        let temperatureCount = temperatures.count, total = ising.thermalization + ising.sweeps
        let io = try IsingFiles(job: self, root: root, ledger: context.ledger, resuming: context.resuming)

        // series[o][(t·chains + c)·measurements + m]: every rank keeps every series (they are small).
        var series = [[Double]](repeating: [Double](repeating: 0, count: temperatureCount * chains * measurements), count: isingSeries.count)
        var done = 0
        if let resumed = context.resumed {
            try resumed.requireVersion(IsingFiles.stateVersion)
            done = resumed.header.step
            try io.restore(into: simulation, from: resumed.contents, done: done, series: &series, job: self)
            context.logger.info("resuming at sweep \(done) of \(total)")
        }
        var pending: [(index: Int, values: [(replica: Int, temperature: Int, measurement: IsingMeasurement)])] = []
        // A stop vote every few milliseconds of sweeping, whatever the lattice.
        let sitesPerRank = Double(temperatureCount * chains) * Double(geometry.volume) / Double(communicator.size)
        let loop = ChainLoop(context: context, label: "ising", unit: "sweep", total: total, checkpointEvery: checkpointEvery,
                             voteEvery: max(1, Int(5e5 / max(1, sitesPerRank))), stateVersion: IsingFiles.stateVersion)
        let outcome = try loop.run(from: done, advance: { range in
            for sweep in range {
                try simulation.sweep(sweep)
                let measured = sweep + 1 - ising.thermalization
                if measured > 0 && measured % measureEvery == 0 {
                    pending.append((measured / measureEvery - 1, try simulation.measure()))
                }
                if measured > 0 && saveEvery > 0 && measured % saveEvery == 0 {
                    try io.saveConfigurations(simulation, sample: measured / saveEvery - 1, job: self)
                    FaultInjection.reach("chain.saved", rank: communicator.rank.index)
                }
            }
        }, record: {
            try io.recordSeries(pending, into: &series, job: self, communicator: communicator, decomposition: decomposition)
            pending.removeAll()
        }, save: { state in
            try io.checkpoint(simulation, into: state)
        })
        guard outcome == .completed else { return outcome }
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
