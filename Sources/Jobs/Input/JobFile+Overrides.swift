import TOMLKit

extension JobFile {
    /// This job with `overrides` (the `--set` flags) applied and checked like the file itself. The
    /// text is edited line by line, keeping the file's comments, and each changed line says so; the
    /// edit is accepted only when it reads back as exactly the overridden table, otherwise the text
    /// is the table written out anew. The run file stores that text and the overrides.
    public func replacing(_ overrides: [KeyOverride]) throws(JobError) -> JobFile {
        guard !overrides.isEmpty else { return self }
        guard let expected = try? TOMLTable(string: text) else {
            throw JobError(file: path, "cannot be read again to apply --set")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for override in overrides {
            try Self.apply(override, to: expected)
            Self.edit(&lines, override)
        }
        var edited = lines.joined(separator: "\n")
        if (try? TOMLTable(string: edited)) != expected {
            edited = "# \(path) with --set \(overrides.map(\.description).joined(separator: " ")) (rewritten, comments dropped)\n"
                + expected.convert(to: .toml) + "\n"
        }
        var result: JobFile
        do {
            result = try JobFile.parse(edited, path: path)
        } catch {
            if let key = error.key, let given = overrides.last(where: { $0.path.joined(separator: ".") == key }) {
                throw JobError(file: error.file, key: key, error.message + " (given by --set \(given))")
            }
            throw JobError(file: error.file, key: error.key,
                           error.message + " (with --set \(overrides.map(\.description).joined(separator: " ")))")
        }
        result.overrides = self.overrides + overrides
        return result
    }

    /// Sets the override in the parsed table, creating missing sections; a section given a plain
    /// value, or a value treated as a section, is refused.
    private static func apply(_ override: KeyOverride, to table: TOMLTable) throws(JobError) {
        var section = table
        for (depth, name) in override.path.dropLast().enumerated() {
            if let existing = section[name] {
                guard let inner = existing.table else {
                    let key = override.path[...depth].joined(separator: ".")
                    throw JobError(file: "--set \(override)", "\(key) is a value in the job file, not a section")
                }
                section = inner
            } else {
                let inner = TOMLTable()
                section[name] = inner
                guard let inserted = section[name]?.table else { return }
                section = inserted
            }
        }
        let key = override.path[override.path.count - 1]
        let value = KeyOverride.parsedValue(override.value)
        if section[key]?.table != nil, value?.table == nil {
            throw JobError(file: "--set \(override)", "\(override.path.joined(separator: ".")) is a section; set one of its keys, e.g. \(override.path.joined(separator: ".")).<key>=…")
        }
        section[key] = value
    }

    /// Replaces the key's line in its section, or adds it (and the section) when the file has none.
    private static func edit(_ lines: inout [String], _ override: KeyOverride) {
        let key = override.path[override.path.count - 1]
        let section = override.path.dropLast().joined(separator: ".")
        let line = "\(key) = \(override.value)   # set by --set"
        let headers = lines.indices.filter { header(lines[$0]) != nil }
        let start: Int
        if section.isEmpty {
            start = 0
        } else if let h = headers.first(where: { header(lines[$0]) == section }) {
            start = h + 1
        } else {
            lines += ["", "[\(section)]", line]
            return
        }
        let end = headers.first { $0 >= start } ?? lines.count
        if let k = (start..<end).first(where: { keyName(lines[$0]) == key }) {
            lines[k] = line
        } else {
            lines.insert(line, at: section.isEmpty ? 0 : start)
        }
    }

    /// The section a `[name]` line opens, or nil for any other line.
    private static func header(_ line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("["), !trimmed.hasPrefix("[["), let close = trimmed.firstIndex(of: "]") else { return nil }
        return trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            .split(separator: ".").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ".")
    }

    /// The key a `key = value` line sets, or nil for any other line.
    private static func keyName(_ line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.hasPrefix("#"), !trimmed.hasPrefix("["), let equals = trimmed.firstIndex(of: "=") else { return nil }
        return trimmed[..<equals].trimmingCharacters(in: .whitespaces)
    }
}
