import Foundation
import Learning

extension TrainJob {
    /// What the input files are to this job, for messages.
    public static let inputRole = "training data"
    /// The `[data]` files, which the output may not replace.
    public var inputFiles: [String] { data.files }

    /// The model file is small; the memory is each rank's share of an epoch's samples, read at
    /// once, and the network's parameters with gradients and Adam's moments.
    public func resources(ranks: Int) -> RunResources {
        guard let data = try? TrainingData(paths: data.files, parameter: data.parameter, job: "data") else {
            return RunResources(runFileBytes: 0, checkpointBytes: 0, memoryPerRankBytes: 0)
        }
        let scalar = Double(precision == .float64 ? 8 : 4)
        let parameters = modelNames.reduce(0.0) { sum, name in
            sum + Double((try? Network<Double>(inputShape: [1] + data.extents, specifications: layers(of: name)))?.parameterCount ?? 0)
        }
        let samples = Double(data.sampleCount), sites = Double(data.sites)
        return RunResources(runFileBytes: Double(modelNames.count) * (samples * 8 + parameters * scalar * 2) + samples * 16,
                            checkpointBytes: parameters * scalar * 3,
                            memoryPerRankBytes: processBaseline + samples / Double(ranks) * sites * scalar * 2 + parameters * scalar * 4)
    }
}
