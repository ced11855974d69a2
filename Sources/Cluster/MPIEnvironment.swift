internal import CMPI
#if canImport(Glibc)
import Glibc
#endif

/// The MPI library's lifetime: initialised once per process, finalised once on every exit path.
///
/// MPI is used from one thread only (DESIGN.md), so the state below needs no lock; `MPI_THREAD_FUNNELED`
/// is requested so that OpenBLAS or other libraries may still run threads of their own.
public enum MPIEnvironment {
    nonisolated(unsafe) private static var started = false
    nonisolated(unsafe) private static var finalizeRegistered = false

    /// Whether `MPI_Init_thread` has run and `MPI_Finalize` has not.
    public static var isInitialized: Bool {
        var initialized: Int32 = 0, finalized: Int32 = 0
        MPI_Initialized(&initialized)
        MPI_Finalized(&finalized)
        return initialized != 0 && finalized == 0
    }

    /// Initialises MPI (once; later calls return the same world) with errors returned, not fatal.
    ///
    /// Also registers an `atexit` hook so that a process that leaves through `exit()` still calls
    /// `MPI_Finalize`: without it `mpirun` reports the whole job as failed.
    @discardableResult
    public static func initialize() throws(MPIError) -> Communicator {
        if !started {
            // Open MPI's shared-memory transport sends messages above 4 KB by a rendezvous that
            // waits for the receiver inside MPI calls; a halo plane of 512 doubles is just above
            // it. 64 KB lets planes up to 8192 doubles go eagerly while the interior is computed
            // (measured: φ⁴ at 512² on 2 ranks, 88–91% → 97–98% parallel efficiency). A value the
            // user set is kept.
            setenv("OMPI_MCA_btl_vader_eager_limit", "65536", 0)
            var provided: Int32 = 0
            try check(MPI_Init_thread(nil, nil, cmpi_thread_funneled(), &provided), "MPI_Init_thread")
            started = true
            try check(MPI_Comm_set_errhandler(cmpi_comm_world(), cmpi_errors_return()), "MPI_Comm_set_errhandler")
            try check(MPI_Comm_set_errhandler(cmpi_comm_self(), cmpi_errors_return()), "MPI_Comm_set_errhandler")
            if !finalizeRegistered {
                finalizeRegistered = true
                atexit { MPIEnvironment.finalize() }
            }
        }
        return Communicator(borrowing: cmpi_comm_world())
    }

    /// Finalises MPI if it is running; safe to call more than once and from the `atexit` hook.
    public static func finalize() {
        if isInitialized { MPI_Finalize() }
    }

    /// Runs `body` with MPI initialised and finalises MPI afterwards, whether `body` returns or throws.
    public static func run<Result>(_ body: (Communicator) throws -> Result) throws -> Result {
        let world = try initialize()
        defer { finalize() }
        return try body(world)
    }

    /// The MPI library's own version line (`MPI_Get_library_version`); works before initialisation.
    public static var libraryVersion: String {
        var buffer = [CChar](repeating: 0, count: Int(cmpi_max_library_version_string()) + 1)
        var length: Int32 = 0
        guard MPI_Get_library_version(&buffer, &length) == MPI_SUCCESS else { return "unknown" }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .split(separator: "\n").first.map(String.init)?.trimmingTrailingNulls() ?? "unknown"
    }

    /// The MPI standard version the library implements, e.g. "3.1".
    public static var standardVersion: String {
        var major: Int32 = 0, minor: Int32 = 0
        MPI_Get_version(&major, &minor)
        return "\(major).\(minor)"
    }

    /// This process's host as MPI names it (`MPI_Get_processor_name`).
    public static func processorName() throws(MPIError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(cmpi_max_processor_name()) + 1)
        var length: Int32 = 0
        try check(MPI_Get_processor_name(&buffer, &length), "MPI_Get_processor_name")
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Seconds on MPI's wall clock (`MPI_Wtime`).
    public static func wallTime() -> Double { MPI_Wtime() }

    /// The rank a launcher (mpirun, srun) assigned to this process, read from the environment, for
    /// deciding who prints before MPI is initialised; nil when started without a launcher.
    public static var launcherRank: Int? {
        for name in ["OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"] {
            if let value = getenv(name), let rank = Int(String(cString: value)) { return rank }
        }
        return nil
    }

    /// The number of processes the launcher started, from the environment; 1 without a launcher.
    public static var launcherSize: Int {
        for name in ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS"] {
            if let value = getenv(name), let size = Int(String(cString: value)) { return size }
        }
        return 1
    }
}

extension String {
    fileprivate func trimmingTrailingNulls() -> String {
        var s = self
        while let last = s.last, last == "\0" || last == " " || last == "\t" { s.removeLast() }
        return s
    }
}
