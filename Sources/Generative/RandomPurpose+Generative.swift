import Numerics

// Generative owns purposes 160–175 (see RandomStream.Purpose). Released numbers never change.
extension RandomStream.Purpose {
    /// The prior draws z of a training sample: step = training step, site = the sample's index in
    /// the global batch. Which rank draws it does not matter.
    public static let flowTrainingPrior = RandomStream.Purpose(rawValue: 160)
    /// The prior draws z of a proposal: site = the proposal's index in the chain.
    public static let flowProposal = RandomStream.Purpose(rawValue: 161)
    /// The uniform that accepts or rejects a proposal: site = the proposal's index.
    public static let flowAcceptance = RandomStream.Purpose(rawValue: 162)
    /// The global sign given to a proposal of a target even in φ: site = the proposal's index.
    public static let flowSymmetrySign = RandomStream.Purpose(rawValue: 165)
    /// The prior draws z of the worked examples a flow file keeps beside its parameters: site = the
    /// example's index.
    public static let flowExample = RandomStream.Purpose(rawValue: 166)
}
