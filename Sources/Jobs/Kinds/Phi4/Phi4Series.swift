import Cluster
import Foundation
import Phi4
import Store

/// One measured trajectory of one replica: the trajectory's outcome and the measurement after it.
struct Phi4Record {
    let replica: Int
    let outcome: TrajectoryOutcome
    let measurement: Phi4Measurement

    /// The values in the order of `phi4Series`, then G(t).
    var values: [Double] {
        let m = measurement
        return [m.phi2, m.magnetization, m.absoluteMagnetization, m.magnetizationSquared, m.magnetizationFourth, m.actionDensity,
                outcome.deltaH, outcome.isFinite ? min(1e300, exp(-outcome.deltaH)) : 0, outcome.accepted ? 1 : 0] + m.correlator
    }
}

/// Every series of a φ⁴ run, kept on every rank (they are small): values[o][cell·measurements + m]
/// with cell = point·chains + chain and o running over `phi4Series` and then t of G(t).
struct Phi4SeriesStore {
    let cells: Int
    let measurements: Int
    let width: Int
    var values: [[Double]]

    init(job: Phi4Job) {
        cells = job.points.count * job.chains
        measurements = job.measurements
        width = phi4Series.count + job.phi4.extents[0]
        values = [[Double]](repeating: [Double](repeating: 0, count: cells * measurements), count: width)
    }

    /// The series o of one cell.
    func series(_ o: Int, cell: Int) -> ArraySlice<Double> {
        values[o][(cell * measurements)..<((cell + 1) * measurements)]
    }

    /// Folds the measurements of `pending` (index = measurement number) into the series, summing
    /// over ranks in replica mode, and writes them from rank 0. Collective.
    mutating func record(_ pending: [(index: Int, records: [Phi4Record])], files: Phi4Files, job: Phi4Job,
                         communicator: Communicator) throws {
        let count = try communicator.allreduce(pending.count, .max)
        guard count > 0 else { return }
        let first = try communicator.allreduce(pending.first?.index ?? Int.max, .min)
        var block = [Double](repeating: 0, count: width * cells * count)
        for entry in pending {
            for record in entry.records {
                for (o, x) in record.values.enumerated() { block[(o * cells + record.replica) * count + entry.index - first] = x }
            }
        }
        // Each replica lives on one rank, so the sum over ranks assembles the block exactly.
        if job.decomposition == .replicas { try communicator.allreduce(&block, .sum) }
        for o in 0..<width {
            for cell in 0..<cells {
                for k in 0..<count { values[o][cell * measurements + first + k] = block[(o * cells + cell) * count + k] }
            }
        }
        let isRoot = communicator.isRoot, points = job.points.count, l0 = job.phi4.extents[0]
        for o in phi4Series.indices {
            let slice = Array(block[(o * cells * count)..<((o + 1) * cells * count)])
            try files.observables[o].write(isRoot ? slice : [], at: [0, 0, first], count: isRoot ? [points, job.chains, count] : [0, 0, 0])
        }
        var correlator = [Double](repeating: 0, count: isRoot ? cells * count * l0 : 0)
        if isRoot {
            for cell in 0..<cells {
                for k in 0..<count {
                    for t in 0..<l0 { correlator[(cell * count + k) * l0 + t] = block[((phi4Series.count + t) * cells + cell) * count + k] }
                }
            }
        }
        try files.correlator.write(correlator, at: [0, 0, first, 0], count: isRoot ? [points, job.chains, count, l0] : [0, 0, 0, 0])
        let trajectories = (first..<(first + count)).map { Int64(job.phi4.thermalization + ($0 + 1) * job.measureEvery) }
        try files.trajectoryIndex.write(isRoot ? trajectories : [], at: [first], count: [isRoot ? count : 0])
    }

    /// Reads the first `measured` measurements back from the file. Collective.
    mutating func restore(measured: Int, files: Phi4Files, job: Phi4Job) throws {
        guard measured > 0 else { return }
        let points = job.points.count, l0 = job.phi4.extents[0]
        for o in phi4Series.indices {
            let stored = try files.observables[o].dataset.read(Double.self, at: [0, 0, 0], count: [points, job.chains, measured])
            for cell in 0..<cells {
                for k in 0..<measured { values[o][cell * measurements + k] = stored[cell * measured + k] }
            }
        }
        let stored = try files.correlator.dataset.read(Double.self, at: [0, 0, 0, 0], count: [points, job.chains, measured, l0])
        for cell in 0..<cells {
            for k in 0..<measured {
                for t in 0..<l0 { values[phi4Series.count + t][cell * measurements + k] = stored[(cell * measured + k) * l0 + t] }
            }
        }
    }
}
