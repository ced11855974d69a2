internal import CHDF5

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

    /// Closes every file still open, with what is open in it: for a process about to finalise MPI
    /// after an error, since HDF5 would otherwise close them at exit, after MPI is gone, and abort.
    /// Collective for parallel files (every rank on the same error path holds the same files).
    public static func closeOpenFiles() {
        let count = H5Fget_obj_count(chdf5_f_obj_all(), UInt32(H5F_OBJ_FILE))
        guard count > 0 else { return }
        var ids = [hid_t](repeating: 0, count: Int(count))
        let n = H5Fget_obj_ids(chdf5_f_obj_all(), UInt32(H5F_OBJ_FILE), Int(count), &ids)
        for file in ids.prefix(max(0, n)) {
            closeObjects(in: file)
            // Closing flushes, and on a full disk a flush can stop inside HDF5: the monitor watches.
            let name = (try? readName("H5Fget_name") { H5Fget_name(file, $0, $1) }) ?? "an HDF5 file"
            FullDiskMonitor.begin(name)
            H5Fclose(file)
            FullDiskMonitor.end()
        }
    }

    /// Closes the datasets, groups, types and attributes still open in `file`, so the file itself can close.
    static func closeObjects(in file: hid_t) {
        let types = UInt32(H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR) | UInt32(H5F_OBJ_LOCAL)
        let count = H5Fget_obj_count(file, types)
        guard count > 0 else { return }
        var ids = [hid_t](repeating: 0, count: Int(count))
        let n = H5Fget_obj_ids(file, types, Int(count), &ids)
        for object in ids.prefix(max(0, n)) {
            if H5Iget_type(object) == H5I_ATTR { H5Aclose(object) } else { H5Oclose(object) }
        }
    }

    /// Whether the deflate (gzip) filter is available for compressed datasets.
    public static var hasDeflate: Bool { H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 }
}
