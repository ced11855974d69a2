import Foundation
import TOMLKit

/// One `--set section.key=value` from the command line: a job-file key (dotted through its
/// sections) and the TOML value it takes instead of the file's.
public struct KeyOverride: Sendable, Equatable, CustomStringConvertible {
    /// The key's path through the sections, e.g. `["ising", "extent"]`; one element for a top-level key.
    public let path: [String]
    /// The value as TOML text: `16`, `2.5`, `true`, `[8, 16]`, `"wolff"`.
    public let value: String

    /// Reads `section.key=value`. A value that is not TOML (`wolff`, `out/run.h5`) is taken as a
    /// string, so shell loops need no quoting inside quoting; the job's own validation then judges it.
    public init(parsing argument: String) throws(JobError) {
        let flag = "--set \(argument)"
        guard let equals = argument.firstIndex(of: "=") else {
            throw JobError(file: flag, "expected section.key=value, e.g. --set ising.extent=32")
        }
        let key = argument[..<equals].trimmingCharacters(in: .whitespaces)
        let text = argument[argument.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let bare = { (part: String) in !part.isEmpty && part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" } }
        guard path.allSatisfy(bare) else {
            throw JobError(file: flag, "\"\(key)\" is not a key path: give section.key with letters, digits, _ and - (e.g. ising.extent)")
        }
        guard !text.isEmpty else {
            throw JobError(file: flag, "no value after '='; give e.g. \(key)=16, or \(key)=\\\"text\\\" for a string")
        }
        self.path = path
        self.value = Self.parsedValue(text) == nil ? Self.quoted(text) : text
    }

    /// `section.key=value`, as given (strings quoted), for messages and the run file's provenance.
    public var description: String { path.joined(separator: ".") + "=" + value }

    /// The value as TOML reads it, or nil when `text` is not a TOML value.
    static func parsedValue(_ text: String) -> TOMLValueConvertible? {
        guard let table = try? TOMLTable(string: "v = " + text + "\n"), table.count == 1 else { return nil }
        return table["v"]
    }

    /// `text` as a TOML basic string.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
