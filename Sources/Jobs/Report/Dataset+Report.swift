import Store

extension Group {
    /// The whole dataset at `path` (slash-separated below this group) as reals, with its shape;
    /// nil when there is no such dataset.
    func reportValues(_ path: String) throws -> (values: [Double], shape: [Int])? {
        var group = self
        let parts = path.split(separator: "/").map(String.init)
        for part in parts.dropLast() {
            guard group.contains(part) else { return nil }
            group = try group.openGroup(part)
        }
        guard let last = parts.last, group.contains(last) else { return nil }
        let dataset = try group.openDataset(last)
        defer { try? dataset.close() }
        return (try dataset.readAll(Double.self), try dataset.shape())
    }

    /// One block of a dataset, `count` elements from `offset` along each axis, as reals.
    func reportBlock(_ name: String, at offset: [Int], count: [Int]) throws -> [Double] {
        let dataset = try openDataset(name)
        defer { try? dataset.close() }
        return try dataset.read(Double.self, at: offset, count: count)
    }
}

extension AttributeHolder {
    /// The text of attribute `name`, or nil.
    func reportText(_ name: String) throws -> String? {
        guard hasAttribute(name), case let .text(value) = try attribute(name) else { return nil }
        return value
    }

    /// The number in attribute `name` (integer or real), or nil.
    func reportReal(_ name: String) throws -> Double? {
        guard hasAttribute(name) else { return nil }
        switch try attribute(name) {
        case let .real(v): return v
        case let .integer(v): return Double(v)
        default: return nil
        }
    }
}
