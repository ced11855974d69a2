import Foundation

/// Text and numbers as SVG and HTML need them: markup characters escaped, coordinates short.
public enum SVGText {
    /// `text` with &, <, >, " and ' replaced by entities, so that a file name or a column name
    /// can never close a tag or an attribute.
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A coordinate in user units, to 0.01 (a hundredth of a pixel is below what a screen shows).
    static func coordinate(_ x: Double) -> String {
        let text = String(format: "%.2f", x)
        return text == "-0.00" ? "0.00" : text
    }

    /// The generic font every plot uses: no font file is fetched, the viewer's own sans-serif is used.
    static let fontFamily = "sans-serif"
}
