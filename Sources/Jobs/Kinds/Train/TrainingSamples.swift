import Learning
import Store

/// A training job's samples as the training loop sees them: the configurations of its run files,
/// split into training and validation sets, normalised, each labelled with its phase or its
/// parameter.
struct TrainingSamples<Scalar: NetworkScalar & StorableScalar>: SampleSource {
    let job: TrainJob
    let data: TrainingData
    let split: TrainingSplit
    let normalization: InputNormalization

    var sampleShape: [Int] { [1] + data.extents }
    var trainingCount: Int { split.training.count }
    var validationCount: Int { split.validation.count }
    func trainingID(_ position: Int) -> Int { split.training[position] }
    func validationID(_ position: Int) -> Int { split.validation[position] }

    func readInputs(_ ids: [Int], into inputs: inout [Scalar]) throws {
        try data.read(ids, into: &inputs, normalization: normalization)
    }

    /// The class index of the sample's phase, or its parameter in every output.
    func writeTarget(of id: Int, into targets: inout [Scalar], at offset: Int, width: Int) {
        let parameter = data.parameter(of: id)
        switch job.labelKind {
        case .phase: targets[offset] = Scalar(job.phaseClass(of: parameter))
        case .parameter: for k in 0..<width { targets[offset + k] = Scalar(parameter) }
        }
    }
}
