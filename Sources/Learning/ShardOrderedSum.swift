import Cluster

/// The deterministic reduction of data-parallel training: a global batch cut into a fixed number of
/// shards, shard j computed by rank j mod N as its local shard j / N, and every shard's gradient and
/// values gathered on every rank and added in shard order. The sum depends on the shards, not on
/// the ranks, so N ranks reproduce 1 rank bit for bit.
public enum ShardOrderedSum {
    /// Sums `local` (this rank's shards one after another, `width` each) and `values` (as many per
    /// local shard, or none) over all ranks in global shard order into `sum`; returns the summed values.
    /// Collective.
    public static func sum<Scalar: NetworkScalar>(_ local: UnsafeBufferPointer<Scalar>, values: [Double] = [], width: Int,
                                                  into sum: UnsafeMutableBufferPointer<Scalar>,
                                                  communicator: Communicator) throws(MPIError) -> [Double] {
        let ranks = communicator.size, shards = local.count / max(1, width)
        precondition(local.count == shards * width && sum.count == width && shards > 0 && values.count % shards == 0,
                     "ShardOrderedSum: \(local.count) values for shards of \(width), \(values.count) values")
        let perShard = values.count / shards
        var all = [Scalar](repeating: 0, count: ranks * local.count)
        var allValues = [Double](repeating: 0, count: ranks * values.count)
        try all.withUnsafeMutableBufferPointer { (a) throws(MPIError) in try communicator.allgather(local, into: a) }
        if !values.isEmpty {
            try values.withUnsafeBufferPointer { (v) throws(MPIError) in
                try allValues.withUnsafeMutableBufferPointer { (a) throws(MPIError) in try communicator.allgather(v, into: a) }
            }
        }
        var totals = [Double](repeating: 0, count: perShard)
        all.withUnsafeBufferPointer { a in
            for j in 0..<(ranks * shards) {
                let block = (j % ranks) * shards + j / ranks, base = block * width
                if j == 0 {
                    for i in 0..<width { sum[i] = a[base + i] }
                } else {
                    for i in 0..<width { sum[i] += a[base + i] }
                }
                for k in 0..<perShard { totals[k] += allValues[block * perShard + k] }
            }
        }
        return totals
    }
}
