import Cluster
import Foundation
import Numerics
import Store

extension DemoJob {
    /// The contiguous block of chains rank `rank` of `size` owns; ranks past the chain count own none.
    static func chains(_ total: Int, rank: Int, size: Int) -> Range<Int> { evenShare(of: total, part: rank, parts: size) }

    /// The exact integrated autocorrelation time of AR(1) with coefficient ρ.
    static func exactTauInt(_ rho: Double) -> Double { 0.5 * (1 + rho) / (1 - rho) }

    public var recordsIncrementally: Bool { true }

    public func execute(_ context: RunContext) throws -> RunOutcome {
        let communicator = context.communicator
        let rhos = demo.autocorrelations
        let points = rhos.count, totalChains = demo.chains, length = demo.measurements
        let mine = DemoJob.chains(totalChains, rank: communicator.rank.index, size: communicator.size)
        let local = mine.count
        let root = context.root

        let series: TrackedDataset, steps: TrackedDataset
        if context.resuming {
            let observables = try root.openGroup("observables")
            series = try context.ledger.track(try observables.openDataset("x"), path: "observables/x", axis: 2)
            steps = try context.ledger.track(try observables.openDataset("step"), path: "observables/step", axis: 0)
        } else {
            let parameters = try root.createGroup("parameters")
            try parameters.createDataset("autocorrelation", of: Double.self, shape: [points]).writeFromRoot(rhos)
            try parameters.createDataset("tau_int_exact", of: Double.self, shape: [points])
                .writeFromRoot(rhos.map(DemoJob.exactTauInt))
            try parameters.setAttribute("chains", Int64(totalChains))
            try parameters.setAttribute("measurements", Int64(length))
            let observables = try root.createGroup("observables")
            let x = try observables.createDataset("x", of: Double.self, shape: [points, totalChains, length])
            try x.setAttribute("axes", "point, chain, measurement")
            series = try context.ledger.track(x, path: "observables/x", axis: 2)
            steps = try context.ledger.track(try observables.createDataset("step", of: Int64.self, shape: [length]),
                                             path: "observables/step", axis: 0)
        }

        // values[(p·local + c)·length + t]: this rank's chains, each series contiguous.
        var values = [Double](repeating: 0, count: points * local * length)
        var done = 0
        if let resumed = context.resumed {
            done = resumed.header.step
            // The run file's series up to the checkpoint were checked against it before the run began.
            let previous = try series.dataset.read(Double.self, at: [0, mine.lowerBound, 0], count: [points, local, done])
            for row in 0..<(points * local) {
                for t in 0..<done { values[row * length + t] = previous[row * done + t] }
            }
            var last = [Double](repeating: 0, count: points * local)
            try last.withUnsafeMutableBufferPointer { buffer in
                try resumed.contents.read("last", into: [MutableStateBlock(offset: [0, mine.lowerBound], count: [points, local], values: buffer)],
                                          communicator: communicator)
            }
            for row in 0..<(points * local) where done > 0 && values[row * length + done - 1] != last[row] {
                throw JobError(file: context.paths.checkpoint, "does not continue the series in \(context.paths.partial): the two files belong to different runs")
            }
            context.logger.info("resuming at measurement \(done) of \(length)")
        }

        var recorded = done
        let loop = ChainLoop(context: context, label: "demo", unit: "measurement", total: length,
                             checkpointEvery: demo.checkpointEvery, voteEvery: max(1, 1_000_000 / max(1, points * local)), stateVersion: 1)
        let outcome = try loop.run(from: done, advance: { range in
            values.withUnsafeMutableBufferPointer { v in
                for p in 0..<points {
                    let rho = rhos[p], noise = (1 - rho * rho).squareRoot()
                    for c in 0..<local {
                        let row = (p * local + c) * length
                        let replica = p * totalChains + mine.lowerBound + c
                        var x = range.lowerBound == 0 ? 0 : v[row + range.lowerBound - 1]
                        for t in range {
                            var stream = RandomStream(seed: seed, purpose: .demo, replica: replica, step: t)
                            let eta = stream.normal()
                            // x₀ = η₀ starts the chain in equilibrium, so no thermalisation is discarded.
                            x = t == 0 ? eta : rho * x + noise * eta
                            v[row + t] = x
                        }
                    }
                }
            }
            done = range.upperBound
        }, record: {
            let width = done - recorded
            guard width > 0 else { return }
            var segment = [Double](repeating: 0, count: points * local * width)
            for row in 0..<(points * local) {
                for t in 0..<width { segment[row * width + t] = values[row * length + recorded + t] }
            }
            try series.write(segment, at: [0, mine.lowerBound, recorded], count: [points, local, width])
            let isRoot = communicator.isRoot
            try steps.write(isRoot ? (recorded..<done).map(Int64.init) : [], at: [recorded], count: [isRoot ? width : 0])
            recorded = done
        }, save: { state in
            let last = (0..<(points * local)).map { values[$0 * length + done - 1] }
            try last.withUnsafeBufferPointer { buffer in
                try state.put("last", shape: [points, totalChains], blocks: [StateBlock(offset: [0, mine.lowerBound], count: [points, local], values: buffer)])
            }
        })
        guard outcome == .completed else { return outcome }
        try recordSummary(values: values, chains: mine, context: context)
        return .completed
    }

    /// Analyses each chain with the Γ-method, appends the per-chain table in rank order, and has
    /// rank 0 combine the chains of each point into the summary table. Collective.
    private func recordSummary(values: [Double], chains mine: Range<Int>, context: RunContext) throws {
        let communicator = context.communicator
        let rhos = demo.autocorrelations, length = demo.measurements, local = mine.count
        var rows: [[Cell]] = []
        var flat: [Double] = []  // per (point, chain): value, error, τ_int, δτ_int
        for p in rhos.indices {
            for c in 0..<local {
                let start = (p * local + c) * length
                let analysis = try GammaAnalysis(values[start..<(start + length)])
                rows.append([.integer(Int64(p)), .integer(Int64(mine.lowerBound + c)), .integer(Int64(communicator.rank.index)),
                             .real(analysis.value), .real(analysis.error), .real(analysis.tauInt), .real(analysis.tauIntError)])
                flat += [analysis.value, analysis.error, analysis.tauInt, analysis.tauIntError]
            }
        }
        let chainTable = try Table.create("chains", in: context.root, columns: [
            Column("point", .integer), Column("chain", .integer), Column("rank", .integer),
            Column("mean", .real), Column("error", .real), Column("tau_int", .real), Column("tau_int_error", .real),
        ])
        try chainTable.append(rows)

        let gathered = try communicator.gatherVariable(flat)
        var summary: [[Cell]] = []
        if communicator.isRoot {
            let ranges = communicator.ranks.map { DemoJob.chains(demo.chains, rank: $0.index, size: communicator.size) }
            for p in rhos.indices {
                var mean = 0.0, variance = 0.0, tau = 0.0, tauVariance = 0.0
                for (r, range) in ranges.enumerated() {
                    for c in 0..<range.count {
                        let base = (p * range.count + c) * 4
                        let v = gathered[r]
                        mean += v[base]; variance += v[base + 1] * v[base + 1]
                        tau += v[base + 2]; tauVariance += v[base + 3] * v[base + 3]
                    }
                }
                let n = Double(demo.chains)
                summary.append([.integer(Int64(p)), .real(rhos[p]), .real(mean / n), .real(variance.squareRoot() / n),
                                .real(tau / n), .real(tauVariance.squareRoot() / n), .real(DemoJob.exactTauInt(rhos[p]))])
            }
        }
        let table = try Table.create("summary", in: context.root, columns: DemoJob.summaryColumns)
        try table.append(summary)
    }

    static let summaryColumns = [
        Column("point", .integer), Column("autocorrelation", .real), Column("mean", .real), Column("error", .real),
        Column("tau_int", .real), Column("tau_int_error", .real), Column("tau_int_exact", .real),
    ]
}
