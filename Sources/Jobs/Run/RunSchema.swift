import Store

/// One dataset a run fills as it goes, declared once: a fresh run creates it from this, a resumed
/// run reopens it (and checks its shape), and the ledger tracks it along `axis` in blocks of `period`.
struct DatasetDeclaration {
    /// Its path from the root, e.g. `observables/energy`; the groups on the way are made as needed.
    let path: String
    let element: any StorableScalar.Type
    let shape: [Int]
    var chunk: [Int]? = nil
    /// Text attributes, e.g. `axes`, in the order they are set.
    var attributes: [(String, String)] = []
    /// The axis the run fills in order, and the period of the fill (nil: the whole axis).
    var axis = 0
    var period: Int? = nil
}

/// What a run records in `/parameters` when it starts: the points as datasets, the settings as attributes.
struct RunParameters {
    var datasets: [(name: String, values: [Double])] = []
    var attributes: [(name: String, value: AttributeValue)] = []

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
            for (name, values) in parameters.datasets {
                try group.createDataset(name, of: Double.self, shape: [values.count]).writeFromRoot(values)
            }
            for (name, value) in parameters.attributes { try group.setAttribute(name, value: value) }
        }
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
                for (key, value) in declaration.attributes { try dataset.setAttribute(key, value) }
            }
            opened[declaration.path] = try context.ledger.track(dataset, path: declaration.path, axis: declaration.axis,
                                                                 period: declaration.period)
        }
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
