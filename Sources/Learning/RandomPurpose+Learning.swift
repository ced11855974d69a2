import Numerics

// Learning owns purposes 96–127 (see RandomStream.Purpose). Released numbers never change.
extension RandomStream.Purpose {
    /// Initial weights: replica = layer index, site = parameter index.
    public static let learningInitialization = RandomStream.Purpose(rawValue: 96)
    /// The per-epoch permutation of the training set: step = epoch.
    public static let learningShuffle = RandomStream.Purpose(rawValue: 97)
    /// Dropout masks: replica = layer index, step = training step, site = sample id.
    public static let learningDropout = RandomStream.Purpose(rawValue: 98)
    /// Symmetry augmentation (translation, reflection, flip): step = training step, site = sample id.
    public static let learningAugmentation = RandomStream.Purpose(rawValue: 99)
    /// The random training/validation split: site = sample id.
    public static let learningSplit = RandomStream.Purpose(rawValue: 100)
    /// Bootstrap resampling of predictions for the error of an estimate.
    public static let learningBootstrap = RandomStream.Purpose(rawValue: 101)
}
