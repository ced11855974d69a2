import CHDF5
import Cluster
#if canImport(Glibc)
import Glibc
#endif

/// An HDF5 file opened by all ranks of a communicator through the MPI-IO driver, or by one process
/// alone (communicator nil) for reading, as `inspect` does.
///
/// Metadata reads and writes are collective. Close with `close()` (collective) or `commit()`;
/// nothing is closed in `deinit`, because I/O there would run at a different time on each rank.
public final class File {
    /// The HDF5 file identifier.
    public let id: hid_t
    /// The path this file was opened at (the `.partial` name while a run is writing).
    public let path: String
    /// The ranks that share the file; nil for a serial file.
    public let communicator: Communicator?
    /// Where the file goes when committed; nil for a file opened in place.
    public let finalPath: String?
    private(set) var isOpen = true

    private init(id: hid_t, path: String, communicator: Communicator?, finalPath: String?) {
        self.id = id
        self.path = path
        self.communicator = communicator
        self.finalPath = finalPath
    }

    /// Whether the file is shared by the ranks of a communicator (collective transfers).
    public var isParallel: Bool { communicator != nil }

    private static func accessList(_ communicator: Communicator?) throws(StoreError) -> hid_t {
        HDF5Library.prepare()
        let fapl = try check(H5Pcreate(chdf5_p_file_access()), "H5Pcreate(file access)")
        if let communicator {
            try check(H5Pset_fapl_mpio(fapl, communicator.handle, chdf5_mpi_info_null()), "H5Pset_fapl_mpio")
            try check(H5Pset_all_coll_metadata_ops(fapl, true), "H5Pset_all_coll_metadata_ops")
            try check(H5Pset_coll_metadata_write(fapl, true), "H5Pset_coll_metadata_write")
        }
        return fapl
    }

    /// Creates a new file at `path`, failing if anything is there already. Collective.
    public static func create(_ path: String, communicator: Communicator?) throws(StoreError) -> File {
        try create(path, finalPath: nil, communicator: communicator)
    }

    private static func create(_ path: String, finalPath: String?, communicator: Communicator?) throws(StoreError) -> File {
        let fapl = try accessList(communicator)
        defer { H5Pclose(fapl) }
        let id = try check(H5Fcreate(path, chdf5_f_acc_excl(), chdf5_p_default(), fapl), "H5Fcreate(\(path))")
        return File(id: id, path: path, communicator: communicator, finalPath: finalPath)
    }

    /// Starts a run file: writes go to `finalPath.partial`, and only `commit()` makes `finalPath` appear.
    ///
    /// Refuses when `finalPath` exists unless `replacing` is true; a stale `.partial` left by a crashed
    /// run is replaced (it never posed as a result). Collective; rank 0 decides, so all ranks agree.
    public static func createRun(at finalPath: String, communicator: Communicator?, replacing: Bool) throws -> File {
        let partial = finalPath + ".partial"
        let verdict: Int32
        if communicator?.isRoot ?? true {
            if !replacing && access(finalPath, F_OK) == 0 { verdict = 1 }
            else if unlink(partial) != 0 && errno != ENOENT { verdict = 2 }
            else { verdict = 0 }
        } else {
            verdict = 0
        }
        let agreed = try communicator?.broadcast(verdict) ?? verdict
        if agreed == 1 { throw StoreError.exists(path: finalPath) }
        if agreed == 2 { throw StoreError.system(call: "unlink", path: partial, errno: EACCES) }
        return try create(partial, finalPath: finalPath, communicator: communicator)
    }

    /// Reopens the `.partial` file of an interrupted run for writing. Collective.
    public static func resumeRun(at finalPath: String, communicator: Communicator?) throws(StoreError) -> File {
        let partial = finalPath + ".partial"
        let file = try open(partial, communicator: communicator, writable: true)
        return File(id: file.id, path: partial, communicator: communicator, finalPath: finalPath)
    }

    /// Opens an existing file. Collective when `communicator` is given.
    public static func open(_ path: String, communicator: Communicator?, writable: Bool = false) throws(StoreError) -> File {
        guard access(path, F_OK) == 0 else { throw StoreError.missing(path: path) }
        HDF5Library.prepare()
        guard H5Fis_hdf5(path) > 0 else { throw StoreError.notHDF5(path: path) }
        let fapl = try accessList(communicator)
        defer { H5Pclose(fapl) }
        let flags = writable ? chdf5_f_acc_rdwr() : chdf5_f_acc_rdonly()
        let id = try check(H5Fopen(path, flags, fapl), "H5Fopen(\(path))")
        return File(id: id, path: path, communicator: communicator, finalPath: nil)
    }

    /// The root group "/".
    public func root() throws(StoreError) -> Group {
        Group(id: try check(H5Gopen2(id, "/", chdf5_p_default()), "H5Gopen2(/)"), file: self)
    }

    /// Writes everything buffered to disk. Collective.
    public func flush() throws(StoreError) {
        try check(H5Fflush(id, H5F_SCOPE_GLOBAL), "H5Fflush(\(path))")
    }

    /// Closes every object still open in the file, then the file. Collective.
    public func close() throws(StoreError) {
        guard isOpen else { return }
        isOpen = false
        let types = UInt32(H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR) | UInt32(H5F_OBJ_LOCAL)
        let count = H5Fget_obj_count(id, types)
        if count > 0 {
            var ids = [hid_t](repeating: 0, count: Int(count))
            let n = H5Fget_obj_ids(id, types, Int(count), &ids)
            for object in ids.prefix(max(0, n)) {
                if H5Iget_type(object) == H5I_ATTR { H5Aclose(object) } else { H5Oclose(object) }
            }
        }
        try check(H5Fclose(id), "H5Fclose(\(path))")
    }

    /// Closes the run file and makes it the result: rank 0 renames `NAME.h5.partial` to `NAME.h5`
    /// and syncs the directory, so a crash leaves either the old state or the complete file. Collective.
    public func commit() throws {
        guard let finalPath else { throw StoreError.mismatch("\(path) was not created as a run file") }
        try close()
        try communicator?.barrier()
        var failure: Int32 = 0
        if communicator?.isRoot ?? true {
            if rename(path, finalPath) != 0 { failure = errno }
            else { failure = syncDirectory(of: finalPath) }
        }
        let agreed = try communicator?.broadcast(failure) ?? failure
        if agreed != 0 { throw StoreError.system(call: "rename", path: finalPath, errno: agreed) }
    }
}

/// Flushes a directory entry to disk after a rename; returns errno or 0.
private func syncDirectory(of path: String) -> Int32 {
    let directory: String
    if let slash = path.lastIndex(of: "/") {
        directory = slash == path.startIndex ? "/" : String(path[..<slash])
    } else {
        directory = "."
    }
    let fd = Glibc.open(directory, O_RDONLY | O_DIRECTORY)
    guard fd >= 0 else { return errno }
    defer { Glibc.close(fd) }
    return fsync(fd) == 0 ? 0 : errno
}
