import Foundation

/// A lattice configuration (spins or a field on a 2D slice) drawn as one square cell per site, on
/// a diverging scale: negative values blue, zero white, positive vermillion, symmetric about 0 so
/// that the sign of a domain reads at a glance; a colour bar says what the extremes mean.
public struct HeatMap: Sendable {
    /// Shown above the map.
    public var title: String
    /// What a cell's value is, with units, for the colour bar, e.g. "spin s" or "φ (hopping form)".
    public var valueLabel: String
    /// Row-major values, `rows.count` rows of equal length.
    public var rows: [[Double]]
    /// The map's side in pixels (cells are square; the longer side of the lattice gets this size).
    public var side = 220.0

    /// A map of `rows`.
    public init(title: String, valueLabel: String, rows: [[Double]]) {
        (self.title, self.valueLabel, self.rows) = (title, valueLabel, rows)
    }

    /// The largest |value| among the finite cells: the scale runs from −scale to +scale (1 if all are 0).
    public var scale: Double {
        let largest = rows.joined().filter(\.isFinite).map(abs).max() ?? 0
        return largest > 0 ? largest : 1
    }

    /// The colour of `value` on the diverging scale: #0072B2 at −scale, white at 0, #D55E00 at +scale; grey when not finite.
    public func colour(_ value: Double) -> String {
        guard value.isFinite else { return "#888888" }
        let t = max(-1, min(1, value / scale))
        let end: (Double, Double, Double) = t < 0 ? (0x00, 0x72, 0xB2) : (0xD5, 0x5E, 0x00)
        let w = abs(t)
        let mix = { (channel: Double) in Int((255 + (channel - 255) * w).rounded()) }
        return String(format: "#%02X%02X%02X", mix(end.0), mix(end.1), mix(end.2))
    }

    /// The map as an `<svg>` element: `rows × columns` cells of class "cell", and a colour bar.
    public func svg() -> String {
        let height = rows.count, width = rows.map(\.count).max() ?? 0
        let cell = side / Double(max(height, width, 1))
        let (left, top) = (10.0, 30.0)
        let outerWidth = left + Double(width) * cell + 120, outerHeight = top + Double(height) * cell + 12
        let c = SVGText.coordinate
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heatmap\" role=\"img\" width=\"\(Int(outerWidth))\" height=\"\(Int(outerHeight))\" "
            + "viewBox=\"0 0 \(Int(outerWidth)) \(Int(outerHeight))\" font-family=\"\(SVGText.fontFamily)\" font-size=\"11\" shape-rendering=\"crispEdges\">"
        out += "<title>\(SVGText.escaped(title))</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
        out += "<text x=\"\(c(left))\" y=\"18\" font-size=\"12\" font-weight=\"bold\">\(SVGText.escaped(title))</text>"
        for (i, row) in rows.enumerated() {
            for (j, value) in row.enumerated() {
                out += "<rect class=\"cell\" x=\"\(c(left + Double(j) * cell))\" y=\"\(c(top + Double(i) * cell))\" width=\"\(c(cell))\" height=\"\(c(cell))\" fill=\"\(colour(value))\"/>"
            }
        }
        // The colour bar: twenty swatches from −scale to +scale, labelled at the ends and the middle.
        let barX = left + Double(width) * cell + 16, barHeight = min(Double(height) * cell, 140)
        let steps = 20
        for k in 0..<steps {
            let value = scale * (1 - 2 * (Double(k) + 0.5) / Double(steps))
            out += "<rect x=\"\(c(barX))\" y=\"\(c(top + Double(k) * barHeight / Double(steps)))\" width=\"14\" height=\"\(c(barHeight / Double(steps) + 0.5))\" fill=\"\(colour(value))\"/>"
        }
        out += "<rect x=\"\(c(barX))\" y=\"\(c(top))\" width=\"14\" height=\"\(c(barHeight))\" fill=\"none\" stroke=\"#333333\"/>"
        for (value, y) in [(scale, top + 4), (0, top + barHeight / 2 + 4), (-scale, top + barHeight)] {
            let label = String(format: "%.3g", value).replacingOccurrences(of: "-", with: "−")
            out += "<text x=\"\(c(barX + 19))\" y=\"\(c(y))\">\(label)</text>"
        }
        out += "<text x=\"\(c(barX))\" y=\"\(c(top + barHeight + 14))\">\(SVGText.escaped(valueLabel))</text>"
        return out + "</svg>"
    }
}
