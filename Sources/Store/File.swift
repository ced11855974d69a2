internal import CHDF5
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
    let id: hid_t
    /// The path this file was opened at (the `.partial` name while a run is writing).
    public let path: String
    /// The ranks that share the file; nil for a serial file.
    public let communicator: Communicator?
    /// Where the file goes when committed; nil for a file opened in place.
    public let finalPath: String?
    var isOpen = true
    /// Whether the file was created or opened for writing.
    public let isWritable: Bool

    init(id: hid_t, path: String, communicator: Communicator?, finalPath: String?, writable: Bool = true) {
        self.id = id
        self.path = path
        self.communicator = communicator
        self.finalPath = finalPath
        self.isWritable = writable
    }

    /// Whether the file is shared by the ranks of a communicator (collective transfers).
    public var isParallel: Bool { communicator != nil }

    private static func accessList(_ communicator: Communicator?, checksummedMetadata: Bool = false) throws(StoreError) -> hid_t {
        HDF5Library.prepare()
        let fapl = try check(H5Pcreate(chdf5_p_file_access()), "H5Pcreate(file access)")
        if checksummedMetadata {
            // The newest format checksums every metadata block (superblock, object headers, heaps),
            // so HDF5 itself refuses damaged metadata instead of reading it.
            try check(H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110), "H5Pset_libver_bounds")
        }
        if let communicator {
            try check(H5Pset_fapl_mpio(fapl, communicator.handle, chdf5_mpi_info_null()), "H5Pset_fapl_mpio")
            try check(H5Pset_all_coll_metadata_ops(fapl, true), "H5Pset_all_coll_metadata_ops")
            try check(H5Pset_coll_metadata_write(fapl, true), "H5Pset_coll_metadata_write")
        }
        return fapl
    }

    /// Creates a new file at `path`, failing if anything is there already; with `replacing`, rank 0
    /// first removes what is there (a leftover of an interrupted write). `checksummedMetadata`
    /// writes HDF5's newest format, whose metadata carries checksums (HDF5 1.10 and later read it).
    /// Collective.
    public static func create(_ path: String, communicator: Communicator?, replacing: Bool = false,
                              checksummedMetadata: Bool = false) throws(StoreError) -> File {
        if replacing {
            var failure: StoreError? = nil
            if communicator?.isRoot ?? true, unlink(path) != 0, errno != ENOENT {
                failure = .system(call: "unlink", path: path, errno: errno)
            }
            try agree(failure, communicator: communicator, path: path)
        }
        return try create(path, finalPath: nil, communicator: communicator, checksummedMetadata: checksummedMetadata)
    }

    private static func create(_ path: String, finalPath: String?, communicator: Communicator?,
                               checksummedMetadata: Bool = false) throws(StoreError) -> File {
        let fapl = try accessList(communicator, checksummedMetadata: checksummedMetadata)
        defer { H5Pclose(fapl) }
        return try agreed(path, communicator: communicator, finalPath: finalPath, writable: true) { () throws(StoreError) in
            try check(H5Fcreate(path, chdf5_f_acc_excl(), chdf5_p_default(), fapl), "H5Fcreate(\(path))")
        }
    }

    /// The file `open` gives (H5Fcreate or H5Fopen), once every rank has agreed that it succeeded. Collective.
    private static func agreed(_ path: String, communicator: Communicator?, finalPath: String?, writable: Bool,
                               _ open: () throws(StoreError) -> hid_t) throws(StoreError) -> File {
        var id: hid_t = -1, failure: StoreError? = nil
        do throws(StoreError) {
            id = try open()
        } catch {
            failure = error
        }
        let file = File(id: id, path: path, communicator: communicator, finalPath: finalPath, writable: writable)
        if failure != nil { file.isOpen = false }
        try file.agree(failure: failure, writing: writable)
        return file
    }

    /// Agreement on a failure before a `File` exists. Collective.
    private static func agree(_ failure: StoreError?, communicator: Communicator?, path: String) throws(StoreError) {
        let probe = File(id: -1, path: path, communicator: communicator, finalPath: nil)
        probe.isOpen = false
        try probe.agree(failure: failure, writing: true)
    }

    /// The name a run file is written under until `commit()` gives it `finalPath`.
    public static func partialPath(of finalPath: String) -> String { finalPath + ".partial" }

    /// Starts a run file: writes go to `finalPath.partial`, and only `commit()` makes `finalPath` appear.
    ///
    /// Refuses when `finalPath` exists unless `replacing` is true; a stale `.partial` left by a crashed
    /// run is replaced (it never posed as a result). Collective; rank 0 decides, so all ranks agree.
    public static func createRun(at finalPath: String, communicator: Communicator?, replacing: Bool) throws(StoreError) -> File {
        let partial = partialPath(of: finalPath)
        var failure: StoreError? = nil
        if communicator?.isRoot ?? true {
            if !replacing && access(finalPath, F_OK) == 0 { failure = .exists(path: finalPath) }
            else if unlink(partial) != 0 && errno != ENOENT { failure = .system(call: "unlink", path: partial, errno: errno) }
        }
        try agree(failure, communicator: communicator, path: partial)
        return try create(partial, finalPath: finalPath, communicator: communicator)
    }

    /// Reopens the `.partial` file of an interrupted run for writing. Collective.
    public static func resumeRun(at finalPath: String, communicator: Communicator?) throws(StoreError) -> File {
        let partial = partialPath(of: finalPath)
        let file = try open(partial, communicator: communicator, writable: true)
        return File(id: file.id, path: partial, communicator: communicator, finalPath: finalPath, writable: true)
    }

    /// Opens an existing file. Collective when `communicator` is given.
    public static func open(_ path: String, communicator: Communicator?, writable: Bool = false) throws(StoreError) -> File {
        HDF5Library.prepare()
        var failure: StoreError? = nil
        if access(path, F_OK) != 0 { failure = .missing(path: path) }
        else if H5Fis_hdf5(path) <= 0 { failure = .notHDF5(path: path) }
        try agree(failure, communicator: communicator, path: path)
        let fapl = try accessList(communicator)
        defer { H5Pclose(fapl) }
        let flags = writable ? chdf5_f_acc_rdwr() : chdf5_f_acc_rdonly()
        return try agreed(path, communicator: communicator, finalPath: nil, writable: writable) { () throws(StoreError) in
            try check(H5Fopen(path, flags, fapl), "H5Fopen(\(path))")
        }
    }

    /// The root group "/".
    public func root() throws(StoreError) -> Group {
        let id = try collectively(writing: false) { () throws(StoreError) in try check(H5Gopen2(self.id, "/", chdf5_p_default()), "H5Gopen2(/)") }
        return Group(id: id, file: self)
    }

    /// Writes everything buffered to the file and, through MPI-IO's sync, to the disk. Collective.
    public func flush() throws(StoreError) {
        if isParallel && isWritable { try requireSpace(File.flushMargin) }
        try collectively(writing: true) { () throws(StoreError) in try check(H5Fflush(id, H5F_SCOPE_GLOBAL), "H5Fflush(\(path))") }
    }

    /// Closes every object still open in the file, then the file. Collective.
    public func close() throws(StoreError) {
        guard isOpen else { return }
        if isParallel && isWritable { try requireSpace(File.flushMargin) }
        isOpen = false
        try collectively(writing: true) { () throws(StoreError) in
            HDF5Library.closeObjects(in: id)
            try check(H5Fclose(id), "H5Fclose(\(path))")
        }
    }

    /// Closes the run file and makes it the result: `NAME.h5.partial` becomes `NAME.h5` by
    /// `publish`, so a crash leaves either the old state or the complete file. Collective.
    public func commit() throws(StoreError) {
        guard let finalPath else { throw StoreError.mismatch("\(path) was not created as a run file") }
        try flush()
        try close()
        try File.publish(path, as: finalPath, communicator: communicator)
    }

    /// Makes the closed file at `source` appear at `destination` whole or not at all: rank 0 syncs
    /// the file's data to disk, renames it over `destination` and syncs the folder, so that after a
    /// crash or a power cut the name holds the old file or the complete new one. Collective.
    public static func publish(_ source: String, as destination: String, communicator: Communicator?) throws(StoreError) {
        do {
            try communicator?.barrier()
        } catch {
            throw StoreError.mpi("before renaming \(source): \(error)")
        }
        var failure: StoreError? = nil
        if communicator?.isRoot ?? true {
            if let code = syncFile(source) { failure = .system(call: "fsync", path: source, errno: code) }
            else if rename(source, destination) != 0 { failure = .system(call: "rename", path: destination, errno: errno) }
            else if let code = syncDirectory(of: destination) { failure = .system(call: "fsync", path: directoryOf(destination), errno: code) }
        }
        try agree(failure, communicator: communicator, path: destination)
    }
}

/// Flushes a file's data to the disk; returns errno on failure. HDF5 has already synced through
/// MPI-IO; this covers a serial file and a file system that defers what MPI-IO asked.
public func syncFile(_ path: String) -> Int32? {
    let fd = Glibc.open(path, O_RDONLY)
    guard fd >= 0 else { return errno }
    defer { Glibc.close(fd) }
    return fsync(fd) == 0 ? nil : errno
}

/// Flushes a folder's entries (a rename into it) to the disk; returns errno on failure.
public func syncDirectory(of path: String) -> Int32? {
    let fd = Glibc.open(directoryOf(path), O_RDONLY | O_DIRECTORY)
    guard fd >= 0 else { return errno }
    defer { Glibc.close(fd) }
    return fsync(fd) == 0 ? nil : errno
}
