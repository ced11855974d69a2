import Ising
import Lattice
import Learning
import Phi4

/// A job-file key whose value is one of a few words, decoded as a Swift enum: any other value is
/// refused while the file is read, naming the key, the value and every word that is valid.
public protocol JobChoice: RawRepresentable, CaseIterable, Codable, Sendable where RawValue == String {}

extension JobChoice {
    /// Reads the word and refuses any that is not one of `validWords`, listing the valid ones.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let word = try container.decode(String.self)
        guard let value = Self(rawValue: word) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be one of \(Self.validWords)")
        }
        self = value
    }

    /// Writes the value back as its word.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The valid words, quoted, for messages.
    public static var validWords: String { allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") }
}

// The engines' own choices, read from job files by name.
extension Decomposition: JobChoice {}
extension UpdateAlgorithm: JobChoice {}
extension Integrator: JobChoice {}
extension Phi4Start: JobChoice {}
extension Loss: JobChoice {}

/// The floating-point width of stored configurations or of a network's arithmetic.
public enum Precision: String, JobChoice {
    case float32, float64
}
