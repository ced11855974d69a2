internal import CBLAS

/// The vector instruction set this build was compiled for (`make CPU=…` sets it), and whether
/// the running CPU has it.
public enum InstructionSet {
    /// The widest vector registers the compiled kernels use: 512 (AVX-512), 256 (AVX2) or 128.
    /// A constant of the build, so branches on it fold away.
    @inline(__always)
    public static var vectorBits: Int { Int(ensemble_compiled_vector_bits()) }

    /// The first extension the build needs that this CPU lacks (as /proc/cpuinfo names it), or nil.
    public static var missingFeature: String? {
        ensemble_missing_cpu_feature().map { String(cString: $0) }
    }

    /// A short name for reports: "AVX-512", "AVX2" or "128-bit vectors" (x86-64's baseline SSE2).
    public static var name: String {
        switch vectorBits {
        case 512...: "AVX-512"
        case 256..<512: "AVX2"
        default: "128-bit vectors"
        }
    }
}
