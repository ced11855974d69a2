/// Where a training loop's samples come from: a training and a validation set, each sample an
/// input of `sampleShape` and a target. Engines never read files, so the app layer supplies this
/// from run files; the loop asks only for the samples this rank needs.
public protocol SampleSource {
    /// The element type of inputs and targets.
    associatedtype Scalar: NetworkScalar

    /// The shape of one input, channels first (e.g. [1, L, L]).
    var sampleShape: [Int] { get }
    /// Samples in the training set, addressed by position 0..<trainingCount.
    var trainingCount: Int { get }
    /// Samples in the validation set, addressed by position 0..<validationCount.
    var validationCount: Int { get }

    /// The stable identity of the training sample at `position`: it keys augmentation and dropout,
    /// so it must not depend on the number of ranks.
    func trainingID(_ position: Int) -> Int
    /// The stable identity of the validation sample at `position`.
    func validationID(_ position: Int) -> Int
    /// The inputs of the samples `ids`, in that order, one after the other.
    func readInputs(_ ids: [Int], into inputs: inout [Scalar]) throws
    /// Writes the target of sample `id` into `targets[offset..<offset + width]`.
    func writeTarget(of id: Int, into targets: inout [Scalar], at offset: Int, width: Int)
}
