import Cluster
import Learning
import Store

/// Applies a network to every sample of a data set: each rank an even share, in batches, and the
/// per-sample results gathered on every rank in sample-id order.
enum Predictor {
    /// One number per sample: the "ordered" probability of a phase classifier (class 1 of a
    /// softmax, the sigmoid of a binary output) or the predicted parameter of a regression. Collective.
    static func predict<Scalar: NetworkScalar & StorableScalar>(_ network: Network<Scalar>, loss: Loss, data: TrainingData,
                                                                normalization: InputNormalization,
                                                                communicator: Communicator) throws -> [Double] {
        let share = communicator.share(of: data.sampleCount)
        let width = network.outputSize, chunk = 256
        var results: [Double] = []
        results.reserveCapacity(share.count)
        var inputs: [Scalar] = []
        var outputs = [Scalar](repeating: 0, count: chunk * width)
        var probabilities = [Double](repeating: 0, count: chunk * width)
        for start in stride(from: share.lowerBound, to: share.upperBound, by: chunk) {
            let ids = Array(start..<min(start + chunk, share.upperBound))
            try data.read(ids, into: &inputs, normalization: normalization)
            let n = ids.count
            inputs.withUnsafeBufferPointer { x in
                outputs.withUnsafeMutableBufferPointer { o in
                    network.forward(x, batch: n, pass: .inference(batch: n), output: UnsafeMutableBufferPointer(rebasing: o[0..<(n * width)]))
                }
            }
            outputs.withUnsafeBufferPointer { o in
                probabilities.withUnsafeMutableBufferPointer { p in
                    loss.prediction(outputs: UnsafeBufferPointer(rebasing: o[0..<(n * width)]), batch: n, width: width,
                                    into: UnsafeMutableBufferPointer(rebasing: p[0..<(n * width)]))
                }
            }
            let column = loss == .softmaxCrossEntropy ? 1 : 0
            for k in 0..<n { results.append(probabilities[k * width + column]) }
        }
        return try communicator.allgatherVariable(results).flatMap { $0 }
    }
}
