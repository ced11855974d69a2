import Foundation
import Learning

/// A training job: networks trained data-parallel on the configurations of finished run files.
public struct TrainJob: JobDefinition {
    public static let kind = "train"
    public static let summary = "data-parallel training of networks on run files' configurations (phase classifiers, regression)"

    public var kind: String = TrainJob.kind
    public var output: String
    public var seed: UInt64
    public var data: DataSection
    public var training: TrainingSection
    public var estimate: EstimateSection?
    public var models: [String: ModelSection]

    /// The `[data]` section: which files, which samples, which labels.
    public struct DataSection: Codable, Sendable {
        public var files: [String]
        public var parameter: String?
        public var label: LabelKind
        public var boundary: Double?
        public var ordered: Ordering?
        public var trainRanges: [[Double]]?
        public var validation: ValidationSplit?
        public var validationFraction: Double?
        public var validationPoints: [Double]?
        public var translations: Bool?
        public var reflections: Bool?
        public var globalFlip: Bool?
        public var normalization: Normalization?

        enum CodingKeys: String, CodingKey {
            case files, parameter, label, boundary, ordered, validation, translations, reflections, normalization
            case trainRanges = "train_ranges"
            case validationFraction = "validation_fraction"
            case validationPoints = "validation_points"
            case globalFlip = "global_flip"
        }
    }

    /// The `[training]` section: optimiser, schedule, batches and reduction.
    public struct TrainingSection: Codable, Sendable {
        public var precision: Precision?
        public var epochs: Int
        public var batch: Int
        public var optimizer: OptimizerChoice?
        public var learningRate: Double
        public var momentum: Double?
        public var nesterov: Bool?
        public var beta1: Double?
        public var beta2: Double?
        public var weightDecay: Double?
        public var warmupSteps: Int?
        public var schedule: ScheduleChoice?
        public var minimumLearningRate: Double?
        public var bucketBytes: Int?
        public var deterministicShards: Int?
        public var checkpointEvery: Int?
        public var verifyEvery: Int?
        public var microBatch: Int?

        enum CodingKeys: String, CodingKey {
            case precision, epochs, batch, optimizer, momentum, nesterov, beta1, beta2, schedule
            case learningRate = "learning_rate"
            case weightDecay = "weight_decay"
            case warmupSteps = "warmup_steps"
            case minimumLearningRate = "minimum_learning_rate"
            case bucketBytes = "bucket_bytes"
            case deterministicShards = "deterministic_shards"
            case checkpointEvery = "checkpoint_every"
            case verifyEvery = "verify_every"
            case microBatch = "micro_batch"
        }
    }

    /// The `[estimate]` section: how the phase boundary's error is found.
    public struct EstimateSection: Codable, Sendable {
        public var bootstrap: Int?
    }

    /// One `[models.NAME]` table: an architecture and its loss.
    public struct ModelSection: Codable, Sendable {
        public var layers: [String]
        public var loss: Loss?
    }

    // MARK: Derived settings

    /// How points are labelled: classes from a boundary, or the parameter itself (regression).
    public enum LabelKind: String, JobChoice { case phase, parameter }
    /// Which side of the boundary is the ordered phase (class 1).
    public enum Ordering: String, JobChoice { case below, above }
    /// How validation samples are chosen: a random fraction of every training point's, or whole held-out points.
    public enum ValidationSplit: String, JobChoice { case random, points }
    /// How inputs are scaled (see `InputNormalization`).
    public enum Normalization: String, JobChoice { case none, standardize, perSample = "per_sample" }
    /// The optimiser.
    public enum OptimizerChoice: String, JobChoice { case adam, sgd }
    /// The learning-rate schedule after warm-up.
    public enum ScheduleChoice: String, JobChoice { case cosine, constant }

    public var labelKind: LabelKind { data.label }
    /// Class 1 ("ordered") lies below the boundary (true, e.g. T < T_c) or above it (κ > κ_c).
    public var orderedBelow: Bool { (data.ordered ?? .below) == .below }
    public var precision: Precision { training.precision ?? .float32 }
    public var bootstrapSamples: Int { estimate?.bootstrap ?? 200 }
    public var checkpointEvery: Int { training.checkpointEvery ?? 100 }
    /// Steps between checks that all ranks hold bit-identical parameters (0: never).
    public var verifyEvery: Int { training.verifyEvery ?? 100 }
    public var augmentation: SymmetryAugmentation {
        SymmetryAugmentation(translations: data.translations ?? false, reflections: data.reflections ?? false,
                             globalFlip: data.globalFlip ?? false)
    }
    /// Model names in the order they are trained (sorted, so the order does not depend on the TOML table).
    public var modelNames: [String] { models.keys.sorted() }

    /// The loss of model `name`: given, or the natural one for the label kind.
    public func loss(of name: String) -> Loss {
        if let loss = models[name]?.loss { return loss }
        return labelKind == .phase ? .softmaxCrossEntropy : .meanSquaredError
    }

    /// The parsed architecture of model `name` (valid after `validate`).
    public func layers(of name: String) -> [LayerSpecification] {
        (models[name]?.layers ?? []).compactMap { try? LayerSpecification(parsing: $0) }
    }

    /// The trainer's settings for `ranks` ranks and `stepsPerEpoch` steps per epoch.
    public func settings(stepsPerEpoch: Int, model: String) -> TrainingSettings {
        let t = training
        let optimizer: OptimizerKind = (t.optimizer ?? .adam) == .sgd
            ? .sgd(momentum: t.momentum ?? 0.9, nesterov: t.nesterov ?? false)
            : .adam(beta1: t.beta1 ?? 0.9, beta2: t.beta2 ?? 0.999, epsilon: 1e-8)
        let schedule = LearningRateSchedule(base: t.learningRate, warmupSteps: t.warmupSteps ?? 0,
                                            totalSteps: t.epochs * stepsPerEpoch, minimum: t.minimumLearningRate ?? 0,
                                            cosine: (t.schedule ?? .cosine) == .cosine)
        let shards = t.deterministicShards ?? 0
        return TrainingSettings(loss: loss(of: model), optimizer: optimizer, weightDecay: t.weightDecay ?? 0,
                                schedule: schedule, bucketBytes: t.bucketBytes ?? 262_144,
                                deterministicShards: shards > 0 ? shards : nil, seed: seed, microBatch: t.microBatch ?? 0)
    }

    /// This job reading `files` instead of its `[data] files` (the `--data` flag).
    public func replacingData(_ files: [String]) -> (any JobDefinition)? {
        var job = self
        job.data.files = files
        return job
    }

    public func execute(_ context: RunContext) throws -> RunOutcome {
        try TrainRun(job: self, context: context).run()
    }
}
