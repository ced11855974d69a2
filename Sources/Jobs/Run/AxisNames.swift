import Store

/// What a dataset's numbers are, for a reader that knows nothing of Ensemble (xarray, netCDF
/// tools, a referee): `units`, `long_name` and, where the name alone leaves it open (per site or
/// total, which estimator), a `definition`. Lattice quantities are in units of the coupling J
/// (Ising) or in lattice units (φ⁴), "1" marks a pure number.
struct Meaning {
    let units: String
    let longName: String
    var definition: String? = nil

    /// The attributes that say it, in the order they are set.
    var attributes: [(String, String)] {
        [("units", units), ("long_name", longName)] + (definition.map { [("definition", $0)] } ?? [])
    }

    /// Sets the attributes on `holder`. Collective.
    func write(to holder: AttributeHolder) throws {
        for (key, value) in attributes { try holder.setAttribute(key, value) }
    }
}

extension Group {
    /// Names every axis of `dataset`, a member of this group, by attaching a dimension scale of
    /// that name (HDF5 H5DS, which xarray reads as the dimension): the dataset itself when it is a
    /// one-dimensional index named like its axis (`sweep`), else a dataset of that name in this
    /// group, else the one at the root, made there as the indices 0, 1, … when missing, so that
    /// every group below sees it. Collective.
    func nameAxes(of dataset: Dataset, _ names: [String], root: Group) throws {
        let shape = try dataset.shape()
        precondition(names.count == shape.count, "\(dataset.name) has \(shape.count) axes, named \(names)")
        for (axis, name) in names.enumerated() {
            if name == dataset.name && shape.count == 1 {
                try dataset.makeDimensionScale()
                continue
            }
            let scope = contains(name) ? self : root
            try dataset.attach(try scope.dimensionScale(name, length: shape[axis]), toAxis: axis)
        }
    }

    /// Makes the root coordinate `name` (a dimension scale) holding `values`, described by
    /// `meaning`; an existing one is left as it is. Collective.
    func makeCoordinate(_ name: String, values: [Double], meaning: Meaning?) throws {
        guard !contains(name) else { return }
        let coordinate = try createDataset(name, of: Double.self, shape: [values.count])
        try coordinate.writeFromRoot(values)
        try meaning?.write(to: coordinate)
        try coordinate.makeDimensionScale()
    }

    /// Makes the coordinate `name` holding the labels `labels` (e.g. `mean`, `error`), a dimension
    /// scale of fixed-length strings; an existing one is left as it is. Collective.
    func makeCoordinate(_ name: String, labels: [String], meaning: Meaning?) throws {
        guard !contains(name) else { return }
        let coordinate = try createStringDataset(name, length: labels.map(\.utf8.count).max() ?? 1, shape: [labels.count])
        let isRoot = file.communicator?.isRoot ?? true
        try coordinate.write(strings: isRoot ? labels : [], at: [0], count: [isRoot ? labels.count : 0])
        // xarray decodes fixed-length bytes to text only when told their encoding (CF's `_Encoding`).
        try coordinate.setAttribute("_Encoding", "utf-8")
        try meaning?.write(to: coordinate)
        try coordinate.makeDimensionScale()
    }
}

extension Table {
    /// Names the table's one axis `axis` (the point axis of a summary, say) and says what its
    /// columns are: each described column `c` gets attributes `c_units`, `c_long_name` and
    /// `c_definition` on the table (a compound dataset cannot carry attributes per column); the
    /// columns `c_error` and `c_tau_int` share `c`'s. Collective.
    func describe(axis: String, columns meanings: [String: Meaning] = [:], in group: Group, root: Group) throws {
        try group.nameAxes(of: dataset, [axis], root: root)
        for column in columns.map(\.name) {
            guard let meaning = meanings[column] else { continue }
            for (key, value) in meaning.attributes { try dataset.setAttribute(column + "_" + key, value) }
        }
    }
}
