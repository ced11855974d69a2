// The classic phase-classifier estimate of a critical point: the parameter at which the mean
// "ordered" output of the network crosses ½, found by linear interpolation between the two grid
// points around the crossing, with a bootstrap error from resampling each point's predictions.

import Numerics

/// Where a classifier's mean output crosses ½ along a parameter grid, with a bootstrap error.
public struct PhaseCrossing: Sendable, Equatable {
    /// The crossing parameter.
    public let value: Double
    /// Its bootstrap standard error.
    public let error: Double
    /// Bootstrap replicas in which the curve did not cross ½ (left out of the error).
    public let failedReplicas: Int

    /// The crossing of the mean of `outputs[i]` (the predictions at `parameters[i]`) through ½,
    /// nil if the curve never crosses. With several crossings (noise), the first in increasing
    /// parameter is taken. `replicas` bootstrap resamplings give the error.
    public init?(parameters: [Double], outputs: [[Double]], replicas: Int, seed: UInt64) {
        precondition(parameters.count == outputs.count, "PhaseCrossing: \(parameters.count) parameters, \(outputs.count) output lists")
        let order = parameters.indices.sorted { parameters[$0] < parameters[$1] }
        let x = order.map { parameters[$0] }, samples = order.map { outputs[$0] }
        guard samples.allSatisfy({ !$0.isEmpty }),
              let value = Self.crossing(x, samples.map { $0.reduce(0, +) / Double($0.count) }) else { return nil }
        var estimates: [Double] = [], failed = 0
        for r in 0..<replicas {
            var random = RandomStream(seed: seed, purpose: .learningBootstrap, replica: r)
            let means = samples.map { list -> Double in
                var sum = 0.0
                for _ in list.indices { sum += list[random.integer(below: list.count)] }
                return sum / Double(list.count)
            }
            if let c = Self.crossing(x, means) { estimates.append(c) } else { failed += 1 }
        }
        self.value = value
        self.error = (try? Statistics.variance(estimates))?.squareRoot() ?? .nan
        self.failedReplicas = failed
    }

    /// The crossing of the piecewise-linear curve (x, y) through ½: between the first pair of
    /// neighbours whose values lie on opposite sides of ½ (or touch it).
    static func crossing(_ x: [Double], _ y: [Double]) -> Double? {
        for i in 0..<(x.count - 1) where (y[i] - 0.5) * (y[i + 1] - 0.5) <= 0 && y[i] != y[i + 1] {
            return x[i] + (0.5 - y[i]) * (x[i + 1] - x[i]) / (y[i + 1] - y[i])
        }
        return nil
    }
}
