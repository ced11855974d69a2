import Lattice

/// An evenly spaced list of values in a job file: `{ from = 0.2, to = 0.3, count = 11 }`.
public struct ValueRange: Codable, Sendable {
    /// The first value.
    public var from: Double
    /// The last value (equal to `from` when `count` is 1).
    public var to: Double
    /// How many values, `from` and `to` included; at least 1.
    public var count: Int

    /// from, …, to in count equal steps (just `from` when count is 1).
    public var values: [Double] {
        count == 1 ? [from] : (0..<count).map { from + (to - from) * Double($0) / Double(count - 1) }
    }

    /// Checks the count and that both ends are finite and pass `valid`, naming `key`.
    func validate(_ v: Validator, key: String, limit: Int = 100_000, what: String, valid: (Double) -> Bool) throws(JobError) {
        try v.require("\(key).count", count, in: 1...limit)
        for (end, x) in [("from", from), ("to", to)] {
            try v.require(x.isFinite && valid(x), "\(key).\(end)", "\(x) is not valid: \(what)")
        }
    }
}

extension Validator {
    /// Checks that `ranks` can share the work: at most one rank per replica, or per plane of axis 0
    /// when every lattice is split into slabs. `what` names the replicas (e.g. "temperatures × chains").
    func requireRanks(_ ranks: Int, decomposition: Decomposition, replicas: Int, what: String, planes: Int) throws(JobError) {
        switch decomposition {
        case .replicas:
            try require(ranks <= replicas, "decomposition",
                        "\(ranks) ranks but only \(replicas) replicas (\(what)) to spread over them; use at most \(replicas) ranks or decomposition = \"domain\"")
        case .domain:
            try require(ranks <= planes, "decomposition", "\(ranks) ranks cannot split \(planes) planes; use at most \(planes) ranks")
        }
    }
}
