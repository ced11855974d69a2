import Foundation

/// Tunes the step size of fixed-length trajectories towards a target acceptance during
/// thermalisation, then is frozen. The step size is always τ/n for a whole number of steps n, so
/// the trajectory length stays what the job asked for.
///
/// A Robbins–Monro iteration on log ε: after each trajectory, log ε += (e^{−|ΔH|} − target)/√(k + 10).
/// e^{−|ΔH|} rather than the accept bit because it is far less noisy, and rather than min(1, e^{−ΔH})
/// because a field still relaxing from its start has large negative ΔH, which would otherwise read
/// as perfect acceptance and push ε up until the equilibrated chain accepts nothing (in equilibrium
/// it slightly underestimates the acceptance). Because the step count is whole, the iterate keeps
/// hopping between the two counts that bracket the target; `freeze()` ends on the Polyak–Ruppert
/// average of the iterates, weighted by k, which settles on one of those two, rather than on
/// whichever the last trajectory left. All of it is a deterministic
/// function of the ΔH sequence, so every rank agrees.
public struct StepSizeTuner: Sendable, Equatable {
    /// The trajectory length τ.
    public let trajectoryLength: Double
    /// The acceptance aimed at.
    public let target: Double
    /// log ε, the quantity being tuned.
    public private(set) var logStepSize: Double
    /// Trajectories seen so far.
    public private(set) var updates: Int
    /// Σ k·(log ε)_k / Σ k over the updates so far.
    public private(set) var averageLogStepSize: Double

    /// The most steps a tuned trajectory may take, to stop a hopeless run from spiralling.
    public static let maximumSteps = 100_000

    /// A tuner starting at `steps` steps per trajectory of length `trajectoryLength`, aiming at acceptance `target`.
    public init(trajectoryLength: Double, steps: Int, target: Double) {
        self.trajectoryLength = trajectoryLength
        self.target = target
        self.logStepSize = log(trajectoryLength / Double(steps))
        self.updates = 0
        self.averageLogStepSize = logStepSize
    }

    /// Restores a tuner from a checkpoint.
    public init(trajectoryLength: Double, target: Double, logStepSize: Double, updates: Int, averageLogStepSize: Double) {
        self.trajectoryLength = trajectoryLength
        self.target = target
        self.logStepSize = logStepSize
        self.updates = updates
        self.averageLogStepSize = averageLogStepSize
    }

    /// The number of steps per trajectory now: τ/ε rounded up, so that a whole number of steps
    /// never takes a larger step (and a lower acceptance) than the tuned one.
    public var steps: Int {
        let n = (trajectoryLength / exp(logStepSize) * (1 - 1e-12)).rounded(.up)
        return n.isFinite ? Int(min(Double(Self.maximumSteps), max(1, n))) : Self.maximumSteps
    }

    /// The step size now, τ/n.
    public var stepSize: Double { trajectoryLength / Double(steps) }

    /// Folds in one trajectory's ΔH (a non-finite ΔH counts as acceptance 0).
    public mutating func record(deltaH: Double) {
        let p = deltaH.isFinite ? exp(-abs(deltaH)) : 0
        updates += 1
        let step = (p - target) / (Double(updates) + 10).squareRoot()
        logStepSize = min(log(trajectoryLength), max(log(trajectoryLength / Double(Self.maximumSteps)), logStepSize + step))
        averageLogStepSize += (logStepSize - averageLogStepSize) * 2 / Double(updates + 1)
    }

    /// Ends tuning on the averaged step size.
    public mutating func freeze() {
        logStepSize = averageLogStepSize
    }
}
