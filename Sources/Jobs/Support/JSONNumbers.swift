import Foundation

/// JSON whose numbers make the trip exactly (Foundation writes the shortest digits that read back
/// to the same Double) and whose non-finite numbers are spelled "inf", "-inf" and "nan" instead of
/// being refused; keys sorted, so equal values give equal text.
enum JSONNumbers {
    /// An encoder with these rules.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// A decoder that reads what `encoder` writes.
    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
