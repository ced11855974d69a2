// Turning an architecture's text into layers, checking each against the shape the layer before it
// gives, so a job file that cannot work is refused before any rank starts, with the layer named.

extension LayerSpecification {
    /// The layer this specification describes, taking samples of `inputShape`; throws when the
    /// layer cannot take that shape, naming the layer and the shape.
    public func makeLayer<Scalar: NetworkScalar>(inputShape: [Int], as: Scalar.Type = Scalar.self)
        throws(ArchitectureError) -> any Layer<Scalar> {
        guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }) else {
            throw ArchitectureError("\(self) cannot take input \(inputShape): every extent must be positive")
        }
        switch self {
        case let .dense(units, initialization):
            return Dense<Scalar>(inputShape: inputShape, units: units, initialization: initialization)
        case let .convolution2D(channels, kernel, initialization):
            guard inputShape.count == 3 else {
                throw ArchitectureError("\(self) needs input [channels, x, y]; the layer before gives \(inputShape)")
            }
            guard kernel <= inputShape[1] && kernel <= inputShape[2] else {
                throw ArchitectureError("\(self): kernel \(kernel) is larger than the \(inputShape[1])×\(inputShape[2]) lattice it slides over; use kernel ≤ \(min(inputShape[1], inputShape[2]))")
            }
            return Convolution2D<Scalar>(inputShape: inputShape, channels: channels, kernel: kernel,
                                         initialization: initialization)
        case .globalAveragePool:
            guard inputShape.count >= 2 else {
                throw ArchitectureError("\(self) needs input [channels, sites…] of at least two dimensions; the layer before gives \(inputShape)")
            }
            return GlobalAveragePooling<Scalar>(inputShape: inputShape)
        case .flatten:
            return Flatten<Scalar>(inputShape: inputShape)
        case let .activation(function):
            return Activation<Scalar>(inputShape: inputShape, function: function)
        case let .dropout(rate):
            return Dropout<Scalar>(inputShape: inputShape, rate: rate)
        }
    }
}
