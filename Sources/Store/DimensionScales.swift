internal import CHDF5

/// HDF5 dimension scales (H5DS): a one-dimensional dataset marked as the scale of a named axis and
/// attached to the axes it labels. netCDF-4, h5netcdf and so xarray read an axis's name from the
/// scale attached to it (the scale dataset's own name), and its coordinates from the scale's values;
/// h5py shows them as `dataset.dims`.
extension Dataset {
    /// Whether this dataset is a dimension scale.
    public var isDimensionScale: Bool { H5DSis_scale(id) > 0 }

    /// Marks this one-dimensional dataset as the scale of the axis named after it. Collective.
    public func makeDimensionScale() throws(StoreError) {
        guard try shape().count == 1 else { throw StoreError.mismatch("\(name) is not one-dimensional, so it cannot be a dimension scale") }
        guard !isDimensionScale else { return }
        try file.collectively(writing: true) { () throws(StoreError) in try check(H5DSset_scale(id, name), "H5DSset_scale(\(name))") }
    }

    /// Attaches the dimension scale `scale` to axis `axis`, whose extent must equal the scale's. Collective.
    public func attach(_ scale: Dataset, toAxis axis: Int) throws(StoreError) {
        let shape = try shape(), length = try scale.shape()
        guard axis < shape.count, length == [shape[axis]] else {
            throw StoreError.mismatch("dimension scale \(scale.name) of extent \(length) does not fit axis \(axis) of \(name), shape \(shape)")
        }
        try file.collectively(writing: true) { () throws(StoreError) in
            try check(H5DSattach_scale(id, scale.id, UInt32(axis)), "H5DSattach_scale(\(scale.name) to \(name))")
        }
    }
}

extension Group {
    /// The dimension scale `name` in this group: the existing dataset of that name (made a scale if
    /// it is not one yet), or a new one holding the indices 0 ..< `length`. Collective.
    public func dimensionScale(_ name: String, length: Int) throws(StoreError) -> Dataset {
        if contains(name) {
            let scale = try openDataset(name)
            guard try scale.shape() == [length] else {
                throw StoreError.mismatch("the axis \(name) has extent \(length), but the dataset \(name) has shape \(try scale.shape())")
            }
            try scale.makeDimensionScale()
            return scale
        }
        let scale = try createDataset(name, of: Int64.self, shape: [length])
        try scale.writeFromRoot((0..<Int64(length)).map { $0 })
        try scale.makeDimensionScale()
        return scale
    }
}
