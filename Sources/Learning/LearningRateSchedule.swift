// The learning rate as a function of the update index alone, so a resumed run needs to store only
// the step count and every rank computes the same rate.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Linear warm-up, then cosine decay to a floor (or a constant rate).
///
/// Step s counts updates from 0. For s < warmupSteps the rate is base·(s + 1)/warmupSteps, so the
/// first update uses base/warmupSteps and update warmupSteps − 1 uses base. After that, with
/// `cosine`, it is minimum + (base − minimum)·½(1 + cos(π·(s − warmupSteps)/(totalSteps − warmupSteps))),
/// base at s = warmupSteps and minimum from s = totalSteps on; without `cosine` it stays base.
public struct LearningRateSchedule: Sendable, Equatable {
    /// The peak rate, reached at the end of the warm-up.
    public var base: Double
    /// Updates of linear warm-up; 0 starts at `base`.
    public var warmupSteps: Int
    /// The update at which the cosine reaches `minimum` (usually the run's total updates).
    public var totalSteps: Int
    /// The floor of the cosine decay.
    public var minimum: Double
    /// Whether the rate decays after the warm-up.
    public var cosine: Bool

    /// A schedule; by default a constant `base`.
    public init(base: Double, warmupSteps: Int = 0, totalSteps: Int = 0, minimum: Double = 0, cosine: Bool = false) {
        self.base = base
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.minimum = minimum
        self.cosine = cosine
    }

    /// The rate for update `step` (0-based).
    public func rate(atStep step: Int) -> Double {
        if step < warmupSteps { return base * Double(step + 1) / Double(warmupSteps) }
        guard cosine else { return base }
        let length = totalSteps - warmupSteps
        guard length > 0, step < totalSteps else { return minimum }
        let progress = Double(step - warmupSteps) / Double(length)
        return minimum + (base - minimum) * 0.5 * (1 + cos(Double.pi * progress))
    }
}
