import Store

/// One dataset a run fills as it goes, declared once: a fresh run creates it from this, a resumed
/// run reopens it (and checks its shape), and the ledger tracks it along `axis` in blocks of `period`.
struct DatasetDeclaration {
    /// Its path from the root, e.g. `observables/energy`; the groups on the way are made as needed.
    let path: String
    let element: any StorableScalar.Type
    let shape: [Int]
    var chunk: [Int]? = nil
    /// The name of each axis, e.g. [temperature, chain, sweep]: each gets a dimension scale of
    /// that name (see `Group.nameAxes`), and the `axes` attribute lists them.
    var dimensions: [String]
    /// Text attributes, e.g. `units` and `long_name`, in the order they are set (after `axes`).
    var attributes: [(String, String)] = []
    /// The axis the run fills in order, and the period of the fill (nil: the whole axis).
    var axis = 0
    var period: Int? = nil
}

/// What a run records in `/parameters` when it starts: the points as datasets, the settings as attributes.
struct RunParameters {
    var datasets: [(name: String, values: [Double])] = []
    var attributes: [(name: String, value: AttributeValue)] = []
    /// The name of the point axis the datasets run along: one of them (`temperature`), whose
    /// values become the root coordinate of that name, or `point` (the indices).
    var pointAxis = "point"
    /// What each dataset holds, by name.
    var meanings: [String: Meaning] = [:]

    /// Adds a setting.
    mutating func set(_ name: String, _ value: AttributeValue) { attributes.append((name, value)) }
}

/// A run file's layout, declared once per kind: its parameters and the datasets the run fills.
struct RunSchema {
    var parameters = RunParameters()
    var datasets: [DatasetDeclaration] = []

    /// Writes the parameters and creates every dataset (a fresh run), or reopens the datasets of
    /// the `.partial` file (a resumed run, whose parameters are already there). Collective.
    func open(in context: RunContext) throws -> RunDatasets {
        let root = context.root
        var groups: [String: Group] = ["": root]
        /// "a/b/c" → ("a/b", "c"); "c" → ("", "c").
        func split(_ path: String) -> (parent: String, name: String) {
            guard let cut = path.lastIndex(of: "/") else { return ("", path) }
            return (String(path[..<cut]), String(path[path.index(after: cut)...]))
        }
        func group(_ path: String) throws -> Group {
            if let known = groups[path] { return known }
            let (parentPath, name) = split(path)
            let parent = try group(parentPath)
            let made = context.resuming || parent.contains(name) ? try parent.openGroup(name) : try parent.createGroup(name)
            groups[path] = made
            return made
        }
        if !context.resuming {
            let group = try group("parameters")
            if let (name, values) = parameters.datasets.first(where: { $0.name == parameters.pointAxis }) {
                try root.makeCoordinate(name, values: values, meaning: parameters.meanings[name])
            }
            for (name, values) in parameters.datasets {
                let dataset = try group.createDataset(name, of: Double.self, shape: [values.count])
                try dataset.writeFromRoot(values)
                try parameters.meanings[name]?.write(to: dataset)
                try group.nameAxes(of: dataset, [parameters.pointAxis], root: root)
            }
            for (name, value) in parameters.attributes { try group.setAttribute(name, value: value) }
        }
        var made: [(Group, Dataset, DatasetDeclaration)] = []
        var opened: [String: TrackedDataset] = [:]
        for declaration in datasets {
            let (parentPath, name) = split(declaration.path)
            let parent = try group(parentPath)
            let dataset: Dataset
            if context.resuming {
                dataset = try parent.openDataset(name)
                let shape = try dataset.shape()
                guard shape == declaration.shape else {
                    throw RunFailure("\(context.paths.partial): /\(declaration.path) has shape \(shape), not the \(declaration.shape) this job writes; "
                                     + "the file belongs to another run: start over with --force")
                }
            } else {
                dataset = try parent.createDataset(name, of: declaration.element, shape: declaration.shape, chunk: declaration.chunk)
                try dataset.setAttribute("axes", declaration.dimensions.joined(separator: ", "))
                for (key, value) in declaration.attributes { try dataset.setAttribute(key, value) }
                made.append((parent, dataset, declaration))
            }
            opened[declaration.path] = try context.ledger.track(dataset, path: declaration.path, axis: declaration.axis,
                                                                 period: declaration.period)
        }
        // Once all exist, so that an index declared after the series it labels (`observables/sweep`) is found.
        for (parent, dataset, declaration) in made { try parent.nameAxes(of: dataset, declaration.dimensions, root: root) }
        return RunDatasets(byPath: opened)
    }
}

/// The datasets of a run, opened from its schema.
struct RunDatasets {
    let byPath: [String: TrackedDataset]

    /// The dataset declared at `path`; asking for one the schema does not declare is a bug in the kind.
    subscript(_ path: String) -> TrackedDataset {
        guard let dataset = byPath[path] else { preconditionFailure("the run schema declares no dataset \(path)") }
        return dataset
    }
}
