// Which keys a job section accepts, for the "unknown key" message. Reading them back from a
// decoded value (what JSONEncoder writes) lists only the keys the file set, since optional keys
// left out are not encoded: a typo in an optional key got "valid keys here are:" and nothing.
// Instead the type is decoded once from a decoder without data, which records every key the
// synthesized init(from:) asks for, optional or not, under its section.

/// The keys a Decodable type reads, by section ("" for the top level, "vacua.genetic", …).
enum DecodableKeys {
    /// The name standing for any key of a table read as a dictionary, e.g. `models.*.layers`.
    static let anyName = "*"

    static func of<T: Decodable>(_ type: T.Type) -> [String: Set<String>] {
        let recorder = Recorder()
        _ = try? T(from: KeyRecordingDecoder(recorder: recorder, codingPath: []))
        return recorder.keys
    }

    final class Recorder {
        var keys: [String: Set<String>] = [:]

        func record(_ key: any CodingKey, at path: [any CodingKey]) {
            keys[path.map(\.stringValue).joined(separator: "."), default: []].insert(key.stringValue)
        }
    }

    /// Answers every request with an empty or placeholder value, recording the keys asked for.
    struct KeyRecordingDecoder: Decoder {
        let recorder: Recorder
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(Keyed<Key>(recorder: recorder, codingPath: codingPath))
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer { Empty(codingPath: codingPath) }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { Placeholder(codingPath: codingPath) }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let recorder: Recorder
        let codingPath: [any CodingKey]
        /// A table read as a dictionary (`[models.NAME]`) is shown one entry, named `anyName`, so
        /// that the keys of its values are recorded too, under "section.*".
        var allKeys: [Key] { Key(stringValue: DecodableKeys.anyName).map { [$0] } ?? [] }

        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) throws -> Bool {
            recorder.record(key, at: codingPath)
            return true
        }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            recorder.record(key, at: codingPath)
            // A choice refuses the placeholder "": any valid word keeps the recording going.
            if let choice = T.self as? any JobChoice.Type, let value = firstCase(of: choice) as? T { return value }
            return try T(from: KeyRecordingDecoder(recorder: recorder, codingPath: codingPath + [key]))
        }
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            // Decoded anyway, to record the keys of an optional section, then reported absent.
            _ = try? decode(type, forKey: key)
            return nil
        }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            recorder.record(key, at: codingPath)
            return KeyedDecodingContainer(Keyed<NestedKey>(recorder: recorder, codingPath: codingPath + [key]))
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            recorder.record(key, at: codingPath)
            return Empty(codingPath: codingPath + [key])
        }
        func superDecoder() throws -> any Decoder { KeyRecordingDecoder(recorder: recorder, codingPath: codingPath) }
        func superDecoder(forKey key: Key) throws -> any Decoder { KeyRecordingDecoder(recorder: recorder, codingPath: codingPath + [key]) }
    }

    /// A list with nothing in it.
    struct Empty: UnkeyedDecodingContainer {
        let codingPath: [any CodingKey]
        var count: Int? { 0 }
        var isAtEnd: Bool { true }
        var currentIndex: Int { 0 }

        private func end() -> DecodingError {
            .valueNotFound(Any.self, DecodingError.Context(codingPath: codingPath, debugDescription: "empty"))
        }
        mutating func decodeNil() throws -> Bool { throw end() }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { throw end() }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> { throw end() }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { throw end() }
        mutating func superDecoder() throws -> any Decoder { throw end() }
    }

    /// Zero, false or "" for any scalar; nested types are decoded through the recording decoder.
    struct Placeholder: SingleValueDecodingContainer {
        let codingPath: [any CodingKey]

        func decodeNil() -> Bool { false }
        func decode(_ type: Bool.Type) throws -> Bool { false }
        func decode(_ type: String.Type) throws -> String { "" }
        func decode(_ type: Double.Type) throws -> Double { 0 }
        func decode(_ type: Float.Type) throws -> Float { 0 }
        func decode(_ type: Int.Type) throws -> Int { 0 }
        func decode(_ type: Int8.Type) throws -> Int8 { 0 }
        func decode(_ type: Int16.Type) throws -> Int16 { 0 }
        func decode(_ type: Int32.Type) throws -> Int32 { 0 }
        func decode(_ type: Int64.Type) throws -> Int64 { 0 }
        func decode(_ type: UInt.Type) throws -> UInt { 0 }
        func decode(_ type: UInt8.Type) throws -> UInt8 { 0 }
        func decode(_ type: UInt16.Type) throws -> UInt16 { 0 }
        func decode(_ type: UInt32.Type) throws -> UInt32 { 0 }
        func decode(_ type: UInt64.Type) throws -> UInt64 { 0 }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            throw DecodingError.typeMismatch(type, DecodingError.Context(codingPath: codingPath, debugDescription: "no placeholder"))
        }
    }
}

/// The first word of a choice, as a value of it.
private func firstCase<Choice: JobChoice>(of _: Choice.Type) -> Choice? { Choice.allCases.first }
