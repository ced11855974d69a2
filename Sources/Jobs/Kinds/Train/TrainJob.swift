import Foundation
import Learning

/// A training job: networks trained data-parallel on the configurations of finished run files.
public struct TrainJob: JobDefinition {
    /// `kind = "train"` selects a training job; the summary is what `--help` and `ensemble validate` show.
    public static let kind = JobKind(
        "train", summary: "data-parallel training of networks on run files' configurations (phase classifiers, regression)",
        columns: TrainResults.summaryColumns,
        mainColumns: ["model", "estimate", "value", "validation_accuracy", "epochs", "parameters"])

    /// The top-level `kind`, `output` and `seed`.
    public var header: JobHeader
    /// The `[data]` section: which run files, and how their samples are labelled and split.
    public var data: DataSection
    /// The `[training]` section: optimiser, schedule, batches and gradient reduction.
    public var training: TrainingSection
    /// The optional `[estimate]` section: the bootstrap for the estimate's error.
    public var estimate: EstimateSection?
    /// The `[models.NAME]` tables by name: each a network, trained one after another in name order;
    /// model i (from 0, in name order) draws its weights and batch order from `seed` + i.
    public var models: [String: ModelSection]

    /// The `[data]` section: which files, which samples, which labels.
    public struct DataSection: Codable, Sendable {
        /// `files`: completed Ising or φ⁴ run files with `/configurations`, all of one lattice size; `--data` replaces them.
        public var files: [String]
        /// `parameter`: the `/parameters` dataset that labels each point; default `temperature` (Ising), `kappa` (φ⁴).
        public var parameter: String?
        /// `label`: `phase` (classes 1 and 0 on either side of `boundary`) or `parameter` (regression of the parameter).
        public var label: LabelKind
        /// `boundary`: the parameter value of the phase boundary (e.g. T_c); required, and finite, when `label = "phase"`.
        public var boundary: Double?
        /// `ordered`: whether the ordered phase lies `below` the boundary (T) or `above` it (κ); default below.
        public var ordered: Ordering?
        /// `train_ranges`: parameter intervals `[[low, high], …]` whose points are trained on; default all points.
        public var trainRanges: [[Double]]?
        /// `validation`: `random` (a fraction of the training samples) or `points` (whole held-out points); default random.
        public var validation: ValidationSplit?
        /// `validation_fraction`: the share of samples held out when `validation = "random"`; 0–0.9, default 0.1.
        public var validationFraction: Double?
        /// `validation_points`: the parameter values whose points are held out when `validation = "points"`.
        public var validationPoints: [Double]?
        /// `translations`: augment samples by random periodic shifts of every axis; default false.
        public var translations: Bool?
        /// `reflections`: augment samples by reflecting each axis with probability ½; default false.
        public var reflections: Bool?
        /// `global_flip`: augment by negating whole samples with probability ½ (Z₂-symmetric models only); default false.
        public var globalFlip: Bool?
        /// `normalization`: `none`, `standardize` or `per_sample` input scaling, stored with the model; default none.
        public var normalization: Normalization?
    }

    /// The `[training]` section: optimiser, schedule, batches and reduction.
    public struct TrainingSection: Codable, Sendable {
        /// `precision`: the network's arithmetic, `float32` or `float64`; default float32.
        public var precision: Precision?
        /// `epochs`: passes over the training set; 1–1,000,000.
        public var epochs: Int
        /// `batch`: the global batch in samples, a multiple of the number of ranks (each takes batch/ranks).
        public var batch: Int
        /// `optimizer`: `adam` (AdamW) or `sgd` (with `momentum` and `nesterov`); default adam.
        public var optimizer: OptimizerChoice?
        /// `learning_rate`: the peak learning rate, reached at the end of warm-up; > 0.
        public var learningRate: Double
        /// `momentum`: SGD's momentum; default 0.9.
        public var momentum: Double?
        /// `nesterov`: whether SGD uses Nesterov momentum; default false.
        public var nesterov: Bool?
        /// `beta1`: Adam's decay rate of the first-moment average; default 0.9.
        public var beta1: Double?
        /// `beta2`: Adam's decay rate of the second-moment average; default 0.999.
        public var beta2: Double?
        /// `weight_decay`: L2 (SGD) or decoupled (Adam) weight decay; 0–1, default 0.
        public var weightDecay: Double?
        /// `warmup_steps`: optimiser steps of linear warm-up up to `learning_rate`; default 0.
        public var warmupSteps: Int?
        /// `schedule`: after warm-up, `cosine` decay to `minimum_learning_rate` or `constant`; default cosine.
        public var schedule: ScheduleChoice?
        /// `minimum_learning_rate`: the floor of the cosine decay, at most `learning_rate`; default 0.
        public var minimumLearningRate: Double?
        /// `bucket_bytes`: bytes per gradient bucket, whose allreduce overlaps the backward pass; default 262144 (256 KiB).
        public var bucketBytes: Int?
        /// `deterministic_shards`: > 0 adds that many batch shards' gradients in a fixed order, so any rank count dividing it
        /// trains bit for bit the same; default 0 (the bucketed allreduce).
        public var deterministicShards: Int?
        /// `checkpoint_every`: optimiser steps between checkpoints; default 100.
        public var checkpointEvery: Int?
        /// `verify_every`: steps between checks that all ranks hold bit-identical parameters (0: never); default 100.
        public var verifyEvery: Int?
        /// `micro_batch`: samples per forward/backward pass, gradients accumulated, to bound memory; default 0 (all at once).
        public var microBatch: Int?
    }

    /// The `[estimate]` section: how the phase boundary's error is found.
    public struct EstimateSection: Codable, Sendable {
        /// `bootstrap`: bootstrap resamplings for the error of the estimate (e.g. of T_c); 10–100,000, default 200.
        public var bootstrap: Int?
    }

    /// One `[models.NAME]` table: an architecture and its loss.
    public struct ModelSection: Codable, Sendable {
        /// `layers`: the network, one layer per string, e.g. `conv2d channels=8 kernel=3`, `relu`, `dense units=2`.
        public var layers: [String]
        /// `loss`: `softmax_cross_entropy`, `binary_cross_entropy` or `mean_squared_error`; default by `label`, see `loss(of:)`.
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

    /// How points are labelled (`data.label`).
    public var labelKind: LabelKind { data.label }
    /// Class 1 ("ordered") lies below the boundary (true, e.g. T < T_c) or above it (κ > κ_c).
    public var orderedBelow: Bool { (data.ordered ?? .below) == .below }
    /// The network's arithmetic; default float32.
    public var precision: Precision { training.precision ?? .float32 }
    /// Bootstrap resamplings for the estimate's error; default 200.
    public var bootstrapSamples: Int { estimate?.bootstrap ?? 200 }
    /// Optimiser steps between checkpoints; default 100.
    public var checkpointEvery: Int { training.checkpointEvery ?? 100 }
    /// Steps between checks that all ranks hold bit-identical parameters (0: never).
    public var verifyEvery: Int { training.verifyEvery ?? 100 }
    /// The random lattice symmetries applied to training samples; none unless the `[data]` flags set them.
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

    /// Trains each model in name order (resuming a checkpointed one), then writes models, predictions and the estimate.
    public func execute(_ context: RunContext) throws -> RunOutcome {
        try TrainRun(job: self, context: context).run()
    }
}
