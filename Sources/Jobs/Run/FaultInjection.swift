import Foundation

/// Deterministic crash points for the fault tests, in the manner of SQLite's crash tests: with
/// `ENSEMBLE_FAULT=crash:POINT:N[:RANK]` in the environment, the process (on rank RANK, or any)
/// kills itself with SIGKILL the N-th time it reaches POINT, exactly as a node failure would stop
/// it there. With `ENSEMBLE_FAULT=skew:SECONDS:RANK` the clock of rank RANK reads SECONDS ahead,
/// as a node whose clock is not synchronised would. Without the variable every call is a single
/// comparison.
public enum FaultInjection {
    private struct Plan {
        let point: String
        let occurrence: Int
        let rank: Int?
    }

    /// `ENSEMBLE_FAULT` cut at its colons; empty without the variable.
    private static let fault = (ProcessInfo.processInfo.environment["ENSEMBLE_FAULT"] ?? "").split(separator: ":").map(String.init)

    nonisolated(unsafe) private static var plan: Plan? = {
        let parts = fault
        guard parts.count >= 3, parts[0] == "crash", let n = Int(parts[2]), n >= 1 else { return nil }
        return Plan(point: parts[1], occurrence: n, rank: parts.count > 3 ? Int(parts[3]) : nil)
    }()
    nonisolated(unsafe) private static var reached: [String: Int] = [:]

    /// The injected skew of this process's clock, in seconds: set when the plan names the rank
    /// the launcher gave this process (`OMPI_COMM_WORLD_RANK`, `PMIX_RANK` or `SLURM_PROCID`).
    private static let skew: Double? = {
        let environment = ProcessInfo.processInfo.environment, parts = fault
        guard parts.count == 3, parts[0] == "skew", let seconds = Double(parts[1]), let rank = Int(parts[2]) else { return nil }
        let mine = ["OMPI_COMM_WORLD_RANK", "PMIX_RANK", "SLURM_PROCID"].lazy.compactMap { environment[$0].flatMap(Int.init) }.first ?? 0
        return mine == rank ? seconds : nil
    }()

    /// Now, as this process's clock reads it (skewed when the plan says so).
    public static func now() -> Date {
        guard let skew else { return Date() }
        return Date(timeIntervalSinceNow: skew)
    }

    /// Marks that this process reached `point`; dies there if the plan says so.
    public static func reach(_ point: String, rank: Int) {
        guard let plan, plan.point == point, plan.rank == nil || plan.rank == rank else { return }
        reached[point, default: 0] += 1
        if reached[point] == plan.occurrence { kill(getpid(), SIGKILL) }
    }
}
