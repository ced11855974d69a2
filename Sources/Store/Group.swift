internal import CHDF5

/// A group in a file: a folder of datasets, groups and attributes.
public final class Group: AttributeHolder {
    override init(id: hid_t, file: File) { super.init(id: id, file: file) }

    /// Creates a subgroup. Collective.
    public func createGroup(_ name: String) throws(StoreError) -> Group {
        let group = try file.collectively(writing: true) { () throws(StoreError) in
            try check(H5Gcreate2(id, name, chdf5_p_default(), chdf5_p_default(), chdf5_p_default()), "H5Gcreate2(\(name))")
        }
        return Group(id: group, file: file)
    }

    /// Opens a subgroup. Collective in a parallel file.
    public func openGroup(_ name: String) throws(StoreError) -> Group {
        let group = try file.collectively(writing: false) { () throws(StoreError) in try check(H5Gopen2(id, name, chdf5_p_default()), "H5Gopen2(\(name))") }
        return Group(id: group, file: file)
    }

    /// Removes the link `name` (a dataset or group made after the last checkpoint). Collective.
    public func remove(_ name: String) throws(StoreError) {
        try file.collectively(writing: true) { () throws(StoreError) in try check(H5Ldelete(id, name, chdf5_p_default()), "H5Ldelete(\(name))") }
    }

    /// Whether a link called `name` exists here.
    public func contains(_ name: String) -> Bool {
        H5Lexists(id, name, chdf5_p_default()) > 0
    }

    /// The kind of each member, in name order.
    public enum MemberKind: Sendable { case group, dataset, other }

    /// The members of the group, in name order (the same on every rank).
    public func members() throws(StoreError) -> [(name: String, kind: MemberKind)] {
        try file.collectively(writing: false) { () throws(StoreError) in try localMembers() }
    }

    private func localMembers() throws(StoreError) -> [(name: String, kind: MemberKind)] {
        var info = H5G_info_t()
        try check(H5Gget_info(id, &info), "H5Gget_info")
        var result: [(String, MemberKind)] = []
        for i in 0..<info.nlinks {
            let name = try readName("H5Lget_name_by_idx") { H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, $0, $1, chdf5_p_default()) }
            let object = try check(H5Oopen(id, name, chdf5_p_default()), "H5Oopen(\(name))")
            defer { H5Oclose(object) }
            switch H5Iget_type(object) {
            case H5I_GROUP: result.append((name, .group))
            case H5I_DATASET: result.append((name, .dataset))
            default: result.append((name, .other))
            }
        }
        return result
    }

    /// Creates a dataset of `Element`s. `maximumShape` entries of nil are unlimited (extendible);
    /// an extendible or compressed dataset needs `chunk`. Collective.
    public func createDataset<Element: StorableScalar>(
        _ name: String, of _: Element.Type, shape: [Int], maximumShape: [Int?]? = nil,
        chunk: [Int]? = nil, deflateLevel: Int? = nil
    ) throws(StoreError) -> Dataset {
        try createDataset(name, fileType: Element.fileType, shape: shape, maximumShape: maximumShape,
                          chunk: chunk, deflateLevel: deflateLevel)
    }

    /// Creates a dataset of fixed-length UTF-8 strings of `length` bytes (h5py reads them as bytes;
    /// `.asstr()` decodes). Collective.
    public func createStringDataset(_ name: String, length: Int, shape: [Int], maximumShape: [Int?]? = nil,
                                    chunk: [Int]? = nil) throws(StoreError) -> Dataset {
        let type = try fixedStringType(length: length)
        defer { H5Tclose(type) }
        return try createDataset(name, fileType: type, shape: shape, maximumShape: maximumShape, chunk: chunk, deflateLevel: nil)
    }

    func createDataset(_ name: String, fileType: hid_t, shape: [Int], maximumShape: [Int?]?,
                       chunk: [Int]?, deflateLevel: Int?) throws(StoreError) -> Dataset {
        let id = try file.collectively(writing: true) { () throws(StoreError) in
            try createDatasetID(name, fileType: fileType, shape: shape, maximumShape: maximumShape, chunk: chunk, deflateLevel: deflateLevel)
        }
        return Dataset(id: id, name: name, file: file)
    }

    private func createDatasetID(_ name: String, fileType: hid_t, shape: [Int], maximumShape: [Int?]?,
                                 chunk: [Int]?, deflateLevel: Int?) throws(StoreError) -> hid_t {
        if let maximumShape, maximumShape.count != shape.count {
            throw StoreError.mismatch("dataset \(name): maximum shape has \(maximumShape.count) axes, shape \(shape.count)")
        }
        if (maximumShape?.contains(nil) ?? false || deflateLevel != nil) && chunk == nil {
            throw StoreError.mismatch("dataset \(name): an extendible or compressed dataset needs a chunk shape")
        }
        if let chunk, chunk.count != shape.count || chunk.contains(where: { $0 < 1 }) {
            throw StoreError.mismatch("dataset \(name): chunk \(chunk) does not fit shape \(shape)")
        }
        let dims = shape.map { hsize_t($0) }
        let maxDims = maximumShape.map { $0.map { $0.map { hsize_t($0) } ?? chdf5_s_unlimited() } }
        let space = try check(maxDims.map { H5Screate_simple(Int32(dims.count), dims, $0) }
                              ?? H5Screate_simple(Int32(dims.count), dims, nil), "H5Screate_simple")
        defer { H5Sclose(space) }
        let dcpl = try check(H5Pcreate(chdf5_p_dataset_create()), "H5Pcreate(dataset create)")
        defer { H5Pclose(dcpl) }
        if let chunk {
            try check(H5Pset_chunk(dcpl, Int32(chunk.count), chunk.map { hsize_t($0) }), "H5Pset_chunk")
        }
        if let deflateLevel {
            guard HDF5Library.hasDeflate else { throw StoreError.mismatch("this HDF5 has no deflate filter") }
            try check(H5Pset_deflate(dcpl, UInt32(deflateLevel)), "H5Pset_deflate")
        }
        // Parallel writes never read the fill value; skipping it saves a full pass over the file.
        if file.isParallel { try check(H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER), "H5Pset_fill_time") }
        return try check(H5Dcreate2(self.id, name, fileType, space, chdf5_p_default(), dcpl, chdf5_p_default()), "H5Dcreate2(\(name))")
    }

    /// Opens a dataset. Collective in a parallel file.
    public func openDataset(_ name: String) throws(StoreError) -> Dataset {
        let dataset = try file.collectively(writing: false) { () throws(StoreError) in try check(H5Dopen2(id, name, chdf5_p_default()), "H5Dopen2(\(name))") }
        return Dataset(id: dataset, name: name, file: file)
    }

    /// Closes the group. Collective in a parallel file.
    public func close() throws(StoreError) {
        try file.collectively(writing: true) { () throws(StoreError) in try check(H5Gclose(id), "H5Gclose") }
    }
}

func fixedStringType(length: Int) throws(StoreError) -> hid_t {
    let type = try check(H5Tcopy(chdf5_c_s1()), "H5Tcopy")
    try check(H5Tset_size(type, max(1, length)), "H5Tset_size")
    try check(H5Tset_cset(type, H5T_CSET_UTF8), "H5Tset_cset")
    try check(H5Tset_strpad(type, H5T_STR_NULLPAD), "H5Tset_strpad")
    return type
}

/// Reads a name through HDF5's two-call idiom: ask for the length, then fill a buffer one longer.
func readName(_ call: String, _ get: (UnsafeMutablePointer<CChar>?, Int) -> Int) throws(StoreError) -> String {
    let length = try check(get(nil, 0), call)
    var buffer = [CChar](repeating: 0, count: length + 1)
    try check(buffer.withUnsafeMutableBufferPointer { get($0.baseAddress, length + 1) }, call)
    return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
