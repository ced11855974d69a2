import Foundation
import Logging

/// Rank 0's progress report: a live line with rate and ETA on a terminal, a plain log line every
/// `--progress` seconds otherwise (mpirun and srun give no terminal; batch logs stay readable).
/// Silent on other ranks.
public final class Progress {
    private let label: String
    private let total: Int
    private let unit: String
    private let enabled: Bool
    private let live: Bool
    private let logger: Logger
    private let start = Date()
    /// The first line comes one interval after the start: a line at 0 % with no rate says nothing.
    private lazy var lastReport = start
    private let interval: TimeInterval
    private let base: Int

    /// Seconds between log lines when standard error is not a terminal, unless `--progress` says otherwise.
    public static let defaultInterval: Double = 10

    /// `startingAt` is the work already done (a resumed run), left out of the rate; `every` is the
    /// seconds between log lines without a terminal (0: none but the last).
    public init(label: String, total: Int, unit: String, startingAt base: Int = 0, every seconds: Double = Progress.defaultInterval,
                enabled: Bool, logger: Logger) {
        self.base = base
        self.label = label
        self.total = max(1, total)
        self.unit = unit
        self.enabled = enabled
        self.live = isatty(STDERR_FILENO) != 0
        self.logger = logger
        self.interval = live ? 0.2 : (seconds > 0 ? seconds : .infinity)
    }

    /// Reports that `done` of the total units are finished (cheap when nothing is printed).
    public func update(_ done: Int) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastReport) >= interval || done >= total else { return }
        lastReport = now
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done - base) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : .infinity
        let text = String(format: "%@ %3.0f%%  %d/%d %@  %.3g %@/s  ETA %@", label, 100 * Double(done) / Double(total),
                          done, total, unit, rate, unit, Progress.duration(eta))
        if live {
            FileHandle.standardError.write(("\r\u{1B}[K" + text + (done >= total ? "\n" : "")).data(using: .utf8)!)
        } else {
            logger.info("\(text)")
        }
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
            : s >= 60 ? String(format: "%dm%02ds", s / 60, s % 60) : "\(s)s"
    }
}
