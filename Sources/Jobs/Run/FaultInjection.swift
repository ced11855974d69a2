import Foundation

/// Deterministic crash points for the fault tests, in the manner of SQLite's crash tests: with
/// `ENSEMBLE_FAULT=crash:POINT:N[:RANK]` in the environment, the process (on rank RANK, or any)
/// kills itself with SIGKILL the N-th time it reaches POINT, exactly as a node failure would stop
/// it there. Without the variable every call is a single comparison.
public enum FaultInjection {
    private struct Plan {
        let point: String
        let occurrence: Int
        let rank: Int?
    }

    nonisolated(unsafe) private static var plan: Plan? = {
        guard let text = ProcessInfo.processInfo.environment["ENSEMBLE_FAULT"] else { return nil }
        let parts = text.split(separator: ":").map(String.init)
        guard parts.count >= 3, parts[0] == "crash", let n = Int(parts[2]), n >= 1 else { return nil }
        return Plan(point: parts[1], occurrence: n, rank: parts.count > 3 ? Int(parts[3]) : nil)
    }()
    nonisolated(unsafe) private static var reached: [String: Int] = [:]

    /// Marks that this process reached `point`; dies there if the plan says so.
    public static func reach(_ point: String, rank: Int) {
        guard let plan, plan.point == point, plan.rank == nil || plan.rank == rank else { return }
        reached[point, default: 0] += 1
        if reached[point] == plan.occurrence { kill(getpid(), SIGKILL) }
    }
}
