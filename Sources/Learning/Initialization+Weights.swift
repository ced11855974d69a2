// Weight initialisation shared by the layers with weights, so Dense and Convolution2D draw the same
// way: one normal per weight in parameter order from the stream the network hands each layer.

import Numerics

extension Initialization {
    /// The standard deviation of initial weights: √(2/fanIn) (He) or √(2/(fanIn + fanOut)) (Glorot).
    public func standardDeviation(fanIn: Int, fanOut: Int) -> Double {
        switch self {
        case .he: return (2 / Double(fanIn)).squareRoot()
        case .glorot: return (2 / Double(fanIn + fanOut)).squareRoot()
        }
    }

    /// Fills `weights` with normal × standard deviation drawn in order from `random`, and zeroes `biases`.
    func fill<Scalar: NetworkScalar>(weights: UnsafeMutableBufferPointer<Scalar>, biases: UnsafeMutableBufferPointer<Scalar>,
                                     fanIn: Int, fanOut: Int, random: RandomStream) {
        let scale = standardDeviation(fanIn: fanIn, fanOut: fanOut)
        var random = random
        for i in weights.indices { weights[i] = Scalar(random.normal() * scale) }
        biases.update(repeating: 0)
    }
}
