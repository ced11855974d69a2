internal import CMPI
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

private let stopRaised = Atomic<Int32>(0)

/// The stop vote: SIGTERM or SIGUSR1 (Slurm's warning signal) sets a flag on the rank that got it,
/// and all ranks agree to stop together by an allreduce, so none is left waiting in a collective.
public enum StopSignal {
    /// Installs the handler for `signals`; the handler only stores to an atomic, which is async-signal-safe.
    public static func install(_ signals: [Int32] = [SIGTERM, SIGUSR1, SIGINT]) {
        for s in signals {
            signal(s) { number in stopRaised.store(number, ordering: .relaxed) }
        }
    }

    /// The signal this rank received, if any.
    public static var received: Int32? {
        let s = stopRaised.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }

    /// Sets the flag as a signal would; for a planned stop (e.g. a test that interrupts a run).
    public static func raise(_ number: Int32 = SIGUSR1) { stopRaised.store(number, ordering: .relaxed) }
}

extension Communicator {
    /// Whether any rank has received a stop signal; every rank gets the same answer. Collective.
    public func agreeToStop() throws(MPIError) -> Bool {
        try any(StopSignal.received != nil)
    }
}
