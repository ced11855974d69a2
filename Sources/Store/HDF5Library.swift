import CHDF5

/// The HDF5 library: its version, and the one-time switch from printed errors to thrown ones.
public enum HDF5Library {
    nonisolated(unsafe) private static var prepared = false

    /// Opens the library and turns its automatic error printing off; errors become `StoreError`s.
    public static func prepare() {
        guard !prepared else { return }
        prepared = true
        H5open()
        H5Eset_auto2(chdf5_e_default(), nil, nil)
    }

    /// The library's version, e.g. "1.10.8".
    public static var version: String {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        H5get_libversion(&major, &minor, &release)
        return "\(major).\(minor).\(release)"
    }

    /// Whether the deflate (gzip) filter is available for compressed datasets.
    public static var hasDeflate: Bool { H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 }
}
