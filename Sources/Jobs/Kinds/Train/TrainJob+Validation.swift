import Foundation
import Learning
import Numerics

extension TrainJob {
    /// Checks the output name, the `[data]` labels and split, the `[training]` ranges, and each model's layers and loss.
    public func validate(file: String) throws(JobError) {
        let top = Validator(file: file, section: "")
        try top.require(output.hasSuffix(".h5"), "output", "\"\(output)\" must end in .h5")
        let d = Validator(file: file, section: "data")
        if labelKind == .phase {
            try d.require(data.boundary != nil, "boundary", "missing: a phase label needs the boundary, e.g. 2.269185314213022 for T_c")
            try d.requireFinite("boundary", data.boundary!)
        }
        for (i, range) in (data.trainRanges ?? []).enumerated() {
            try d.require(range.count == 2 && range[0] <= range[1] && range.allSatisfy(\.isFinite), "train_ranges[\(i)]",
                          "\(range) must be [low, high] with low ≤ high")
        }
        if (data.validation ?? .random) == .random { try d.require("validation_fraction", data.validationFraction ?? 0.1, in: 0.0...0.9) }
        else { try d.require(!(data.validationPoints ?? []).isEmpty, "validation_points", "give the parameter values held out for validation") }

        let t = Validator(file: file, section: "training")
        try t.require("epochs", training.epochs, in: 1...1_000_000)
        try t.require("batch", training.batch, in: 1...1 << 20)
        try t.require(training.learningRate.isFinite && training.learningRate > 0, "learning_rate", "\(training.learningRate) must be a positive number")
        try t.require("momentum", training.momentum ?? 0.9, in: 0.0...0.999999)
        try t.require("beta1", training.beta1 ?? 0.9, in: 0.0...0.999999)
        try t.require("beta2", training.beta2 ?? 0.999, in: 0.0...0.999999999)
        try t.require("weight_decay", training.weightDecay ?? 0, in: 0.0...1.0)
        try t.require("warmup_steps", training.warmupSteps ?? 0, in: 0...100_000_000)
        try t.require("minimum_learning_rate", training.minimumLearningRate ?? 0, in: 0.0...training.learningRate)
        try t.require("bucket_bytes", training.bucketBytes ?? 262_144, in: 64...1 << 30)
        try t.require("deterministic_shards", training.deterministicShards ?? 0, in: 0...training.batch)
        if let shards = training.deterministicShards, shards > 0 {
            try t.require(training.batch % shards == 0, "deterministic_shards", "\(shards) does not divide the batch of \(training.batch)")
        }
        try t.require("checkpoint_every", checkpointEvery, in: 1...100_000_000)
        try t.require("verify_every", verifyEvery, in: 0...100_000_000)
        try t.require("micro_batch", training.microBatch ?? 0, in: 0...1 << 20)
        try Validator(file: file, section: "estimate").require("bootstrap", bootstrapSamples, in: 10...100_000)

        try top.require(!models.isEmpty, "models", "no [models.NAME] table; give at least one network")
        for name in modelNames {
            let m = Validator(file: file, section: "models.\(name)")
            let model = models[name]!
            try m.require(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }, "", "model names use letters, digits, _ and -")
            try m.require(!model.layers.isEmpty, "layers", "is empty; one of: \(LayerSpecification.grammar)")
            for (i, text) in model.layers.enumerated() {
                do { _ = try LayerSpecification(parsing: text) } catch { throw JobError(file: file, key: "models.\(name).layers[\(i)]", error.description) }
            }
            let loss = self.loss(of: name)
            try m.require(labelKind == .phase ? loss != .meanSquaredError : loss == .meanSquaredError, "loss",
                          "\(loss.rawValue) does not fit label = \"\(data.label.rawValue)\": use \(labelKind == .phase ? "softmax_cross_entropy or binary_cross_entropy" : "mean_squared_error")")
        }
    }

    /// Checks the data files and what depends on the ranks: every rank reaches the same verdict
    /// from the same files before MPI starts.
    public func validate(ranks: Int, file: String) throws(JobError) {
        let t = Validator(file: file, section: "training")
        try t.require(training.batch % ranks == 0, "batch", "\(training.batch) cannot be split evenly over \(ranks) ranks; use a multiple of \(ranks)")
        if let shards = training.deterministicShards, shards > 0 {
            try t.require(shards % ranks == 0, "deterministic_shards", "\(shards) shards cannot be spread evenly over \(ranks) ranks")
        }
        let data = try TrainingData(paths: self.data.files, parameter: self.data.parameter, job: file)
        let split = try TrainingSplit(job: self, data: data, file: file)
        try t.require(split.training.count >= training.batch, "batch",
                      "\(training.batch) is larger than the \(split.training.count) training samples")
        for name in modelNames {
            let shape = [1] + data.extents
            let network: Network<Double>
            do { network = try Network<Double>(inputShape: shape, specifications: layers(of: name)) } catch {
                throw JobError(file: file, key: "models.\(name).layers", "does not fit the data (samples shaped \(shape)): \(error.description)")
            }
            let width = network.outputSize, loss = self.loss(of: name)
            let expected = loss == .softmaxCrossEntropy ? 2 : 1
            try Validator(file: file, section: "models.\(name)").require(width == expected, "layers",
                "the last layer gives \(width) outputs per sample; \(loss.rawValue) with label = \"\(self.data.label.rawValue)\" needs \(expected)")
        }
    }

    /// The data and label, the batch per rank, optimiser, schedule and precision, and each model's layers and loss.
    public func plan(ranks: Int) -> [String] {
        let t = training
        var lines = [
            "data: \(data.files.joined(separator: ", ")); label \(data.label.rawValue) from \(data.parameter ?? "the run's main parameter")"
                + (labelKind == .phase ? ", boundary \(data.boundary!), ordered \((data.ordered ?? .below).rawValue)" : ""),
            "\(t.epochs) epochs, global batch \(t.batch) (\(t.batch / max(1, ranks)) per rank on \(ranks)), \((t.optimizer ?? .adam).rawValue) at \(t.learningRate)"
                + ", \((t.schedule ?? .cosine).rawValue) schedule, \(precision.rawValue)"
                + ((t.deterministicShards ?? 0) > 0 ? ", deterministic over \(t.deterministicShards!) shards" : ", bucketed allreduce"),
        ]
        for name in modelNames { lines.append("model \(name): \(models[name]!.layers.joined(separator: " → ")) (\(loss(of: name).rawValue))") }
        return lines
    }
}

/// Which samples train, which validate: training points from `train_ranges`, validation either
/// whole held-out points or a random fraction keyed by sample id (so it does not depend on ranks).
struct TrainingSplit {
    /// Sample ids used for training, ascending.
    let training: [Int]
    /// Sample ids used for validation, ascending.
    let validation: [Int]

    init(job: TrainJob, data: TrainingData, file: String) throws(JobError) {
        let ranges = job.data.trainRanges ?? []
        let heldOut = job.data.validationPoints ?? []
        let byPoints = (job.data.validation ?? .random) == .points
        let fraction = job.data.validationFraction ?? 0.1
        var training: [Int] = [], validation: [Int] = []
        var matched = Set<Int>()
        for (s, point, value) in data.points {
            guard ranges.isEmpty || ranges.contains(where: { $0[0] <= value && value <= $0[1] }) else { continue }
            let ids = data.sampleIDs(source: s, point: point)
            if byPoints {
                if let k = heldOut.firstIndex(where: { abs($0 - value) <= 1e-9 * max(1, abs(value)) }) {
                    matched.insert(k)
                    validation += ids
                } else {
                    training += ids
                }
            } else {
                for id in ids {
                    let u = RandomStream(seed: job.seed, purpose: .learningSplit, site: id).block(0)
                    if RandomStream.uniform(high: u[0], low: u[1]) < fraction { validation.append(id) } else { training.append(id) }
                }
            }
        }
        if byPoints, let missing = heldOut.indices.first(where: { !matched.contains($0) }) {
            throw JobError(file: file, key: "data.validation_points",
                           "\(heldOut[missing]) is not the parameter of any training point in the data")
        }
        guard !training.isEmpty else {
            throw JobError(file: file, key: "data.train_ranges", "select no training samples from the data's \(data.points.count) points")
        }
        if job.labelKind == .phase {
            let classes = Set(training.map { job.phaseClass(of: data.parameter(of: $0)) })
            guard classes.count == 2 else {
                throw JobError(file: file, key: "data.train_ranges", "the training points all lie on one side of the boundary \(job.data.boundary!); a classifier needs both phases")
            }
        }
        self.training = training
        self.validation = validation
    }
}

extension TrainJob {
    /// 1 for the ordered side of the boundary, 0 for the other.
    public func phaseClass(of parameter: Double) -> Int {
        let boundary = data.boundary ?? 0
        return (orderedBelow ? parameter < boundary : parameter > boundary) ? 1 : 0
    }
}
