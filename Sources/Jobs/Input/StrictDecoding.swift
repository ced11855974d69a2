import Foundation
import TOMLKit

/// Codable decoding of a TOML table with the rules users need: integers accepted where numbers are
/// expected, unknown keys rejected, and every error naming the key, the value and what would be valid.
/// A property `fooBar` is the key `foo_bar` in the file: one rule for every section, not a table of
/// coding keys per section.
enum StrictDecoding {
    static func decode<T: JobDefinition>(_ type: T.Type, from table: TOMLTable, path: String) throws(JobError) -> T {
        // TOML → JSON keeps the TOML types while letting Foundation's decoder widen integers to Double.
        let json = table.convert(to: .json)
        guard let text = json.data(using: .utf8),
              let table = try? JSONSerialization.jsonObject(with: text, options: [.fragmentsAllowed]) as? [String: Any],
              case let object = JobHeader.nested(table),
              let data = try? JSONSerialization.data(withJSONObject: object)
        else {
            throw JobError(file: path, "cannot be read as a job (non-finite numbers such as nan or inf are not valid in a job file)")
        }
        let spelling = FileSpelling(of: T.self)
        // Unknown keys first (a key the type never reads is a typo, or a setting of another kind of
        // job): a misspelt required key is then reported as the typo, not as "missing".
        try rejectUnknown(table, accepted: JobHeader.flattened(spelling.accepted), section: "", prefix: "", path: path)
        let value: T
        do {
            value = try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            if case let .dataCorrupted(context) = error, context.codingPath.isEmpty,
               let culprit = wholeNumberCulprit(T.self, in: object) {
                // Foundation reports a fraction where an integer belongs without its key: find the key.
                let given = lookup(culprit, in: object)
                let expected = ((given as? NSNumber)?.doubleValue ?? 0) < 0 ? "a whole number ≥ 0" : "a whole number"
                throw JobError(file: path, key: keyPath(culprit), "\(show(given)) is not valid: expected \(expected)")
            }
            throw describe(error, in: object, spelling: spelling, path: path)
        } catch {
            throw JobError(file: path, "\(error)")
        }
        return value
    }

    /// Decodes the file's snake_case keys into camelCase properties; the keys of tables read as
    /// dictionaries (model names) stay as written.
    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    /// The keys a definition accepts, by section, as the file spells keys and sections.
    static func accepted<T: JobDefinition>(_ type: T.Type) -> [String: Set<String>] {
        JobHeader.flattened(FileSpelling(of: type).accepted)
    }

    /// How a type's properties are spelt in the file: `fooBar` as `foo_bar`.
    private struct FileSpelling {
        /// The keys read at each section, as the file spells keys and sections.
        let accepted: [String: Set<String>]
        private let properties: Set<String>

        init<T: Decodable>(of type: T.Type) {
            let read = DecodableKeys.of(type)
            properties = Set(read.values.joined())
            var accepted: [String: Set<String>] = [:]
            for (section, keys) in read {
                let spelt = section.split(separator: ".", omittingEmptySubsequences: false).map { Self.snake(String($0)) }
                accepted[spelt.joined(separator: ".")] = Set(keys.map(Self.snake))
            }
            self.accepted = accepted
        }

        /// `codingPath` with each property as the file spells it (indices and dictionary keys as they are).
        func path(_ codingPath: [any CodingKey]) -> [any CodingKey] {
            codingPath.map { key in
                key.intValue == nil && properties.contains(key.stringValue) ? PathKey(Self.snake(key.stringValue)) : key
            }
        }

        static func snake(_ property: String) -> String {
            property.reduce(into: "") { spelt, c in
                if c.isUppercase { spelt += "_" + c.lowercased() } else { spelt.append(c) }
            }
        }
    }

    /// Every key of `given` must be one the type reads at `section` (sections the type reads as
    /// a whole, such as lists, are not looked into). A table of named tables (`[models.NAME]`)
    /// takes any name, and each named table is held to the keys of its type.
    private static func rejectUnknown(_ given: [String: Any], accepted: [String: Set<String>], section: String, prefix: String,
                                      path: String) throws(JobError) {
        guard let valid = accepted[section] else { return }
        for key in given.keys.sorted() {
            let name = valid == [DecodableKeys.anyName] ? DecodableKeys.anyName : key
            guard valid.contains(name) else {
                throw JobError(file: path, key: prefix + key, "unknown key; valid keys here are: \(valid.sorted().joined(separator: ", "))")
            }
            if let sub = given[key] as? [String: Any] {
                try rejectUnknown(sub, accepted: accepted, section: section.isEmpty ? name : section + "." + name,
                                  prefix: prefix + key + ".", path: path)
            }
        }
    }

    /// The path of the fractional, too large or negative (where unsigned) number whose replacement
    /// by 0 makes decoding pass that stage; nil if no single number is to blame.
    private static func wholeNumberCulprit<T: Decodable>(_ type: T.Type, in object: [String: Any]) -> [any CodingKey]? {
        func numbers(_ value: Any, _ path: [PathKey]) -> [[PathKey]] {
            if let table = value as? [String: Any] { return table.keys.sorted().flatMap { numbers(table[$0]!, path + [PathKey($0)]) } }
            if let list = value as? [Any] { return list.indices.flatMap { numbers(list[$0], path + [PathKey($0)]) } }
            if let number = value as? NSNumber, !(value is Bool), number.doubleValue.rounded() != number.doubleValue
                || abs(number.doubleValue) > 9.2e18 || number.doubleValue < 0 { return [path] }
            return []
        }
        func replacing(_ value: Any, _ path: ArraySlice<PathKey>) -> Any {
            guard let key = path.first else { return 0 }
            if var table = value as? [String: Any] { table[key.stringValue] = replacing(table[key.stringValue]!, path.dropFirst()); return table }
            if var list = value as? [Any], let i = key.intValue { list[i] = replacing(list[i], path.dropFirst()); return list }
            return value
        }
        for candidate in numbers(object, []) {
            guard let data = try? JSONSerialization.data(withJSONObject: replacing(object, candidate[...])) else { continue }
            do { _ = try decoder.decode(type, from: data); return candidate }
            catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty { continue }
            catch { return candidate }
        }
        return nil
    }

    private struct PathKey: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(_ string: String) { stringValue = string; intValue = nil }
        init(_ index: Int) { stringValue = String(index); intValue = index }
        init?(stringValue: String) { self.init(stringValue) }
        init?(intValue: Int) { self.init(intValue) }
    }

    /// The key as the file spells it (the header's keys stand at the top level).
    private static func keyPath(_ codingPath: [any CodingKey]) -> String {
        codingPath.drop { $0.stringValue == JobHeader.property && $0.intValue == nil }
            .map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            .replacingOccurrences(of: ".[", with: "[").trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    private static func lookup(_ codingPath: [any CodingKey], in object: Any) -> Any? {
        var current: Any? = object
        for key in codingPath {
            if let index = key.intValue, let array = current as? [Any] {
                current = index < array.count ? array[index] : nil
            } else {
                current = (current as? [String: Any])?[key.stringValue]
            }
        }
        return current
    }

    private static func show(_ value: Any?) -> String {
        guard let value else { return "nothing" }
        if let string = value as? String { return "\"\(string)\"" }
        if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]),
           let text = String(data: data, encoding: .utf8) { return text }
        return "\(value)"
    }

    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type: return "a number"
        case is Int.Type, is Int64.Type, is UInt64.Type, is Int32.Type, is UInt32.Type: return "a whole number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "a table" }
            return "a \(name)"
        }
    }

    private static func describe(_ error: DecodingError, in object: [String: Any], spelling: FileSpelling, path: String) -> JobError {
        switch error {
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            let key = spelling.path(context.codingPath)
            return JobError(file: path, key: keyPath(key), "\(show(lookup(key, in: object))) is not valid: expected \(expected(type))")
        case let .keyNotFound(key, context):
            return JobError(file: path, key: keyPath(spelling.path(context.codingPath + [key])), "missing; this key is required")
        case let .dataCorrupted(context):
            let key = spelling.path(context.codingPath)
            return JobError(file: path, key: keyPath(key), "\(show(lookup(key, in: object))) is not valid: \(context.debugDescription)")
        @unknown default:
            return JobError(file: path, "\(error)")
        }
    }
}
