import Foundation

/// An x–y plot rendered as self-contained SVG: a title, axes with nice ticks and labels (say the
/// units or the definition in the label), a legend beside the box, and series, bands and markers.
/// Non-finite values are dropped; data are clipped to the box.
public struct Plot: Sendable {
    /// Shown above the box.
    public var title: String
    /// The x axis's label, with units or a definition, e.g. "temperature T (J/k_B)".
    public var xLabel: String
    /// The y axis's label.
    public var yLabel: String
    /// Drawn in order, later ones on top.
    public var series: [Series] = []
    /// Shaded x ranges, drawn under the series.
    public var bands: [Band] = []
    /// Vertical lines, drawn over the series.
    public var markers: [Marker] = []
    /// A logarithmic x axis (decades); points at x ≤ 0 are dropped.
    public var xLogarithmic = false
    /// The x axis is a count (epochs, N_flux, batches): ticks on whole numbers only.
    public var xIntegers = false
    /// Names for the x values 1…n, shown as the x axis's tick labels (slanted) instead of numbers.
    public var xCategories: [String]? = nil
    /// Values the y axis must show even where no point lies, e.g. [0, 1] for a probability.
    public var yIncludes: [Double] = []
    /// Unique within one HTML document: it names the plot's clip path.
    public var identifier = "plot"
    /// Outer width in pixels.
    public var width = 760.0
    /// Outer height in pixels.
    public var height = 400.0

    /// An empty plot with its title and axis labels.
    public init(title: String, xLabel: String, yLabel: String) {
        (self.title, self.xLabel, self.yLabel) = (title, xLabel, yLabel)
    }

    /// The plot box in pixels: left, top, right, bottom.
    public var box: (left: Double, top: Double, right: Double, bottom: Double) {
        let longest = legendEntries.map(\.name.count).max() ?? 0
        let legend = legendEntries.isEmpty ? 16 : min(250, 40 + 6.6 * Double(longest))
        return (78, 38, width - legend, height - 56)
    }

    /// Extra height under the box for slanted category labels (sin 40° of their length).
    private var categoryRoom: Double {
        xCategories.map { 8 + 4.4 * Double(min($0.map(\.count).max() ?? 0, 30)) } ?? 0
    }

    /// What the legend lists: every series, band and marker with a name.
    private var legendEntries: [(name: String, colour: String, kind: String)] {
        series.filter { !$0.name.isEmpty }.map { s in
            let kind: String
            switch s.style {
            case .line: kind = s.dashed ? "dashed" : "line"
            case .linePoints, .points: kind = "point"
            case .scatter: kind = "dot"
            case .bars: kind = "bar"
            }
            return (s.name, s.colour, kind)
        } + bands.filter { !$0.name.isEmpty }.map { ($0.name, $0.colour, "band") } + markers.filter { !$0.name.isEmpty }.map { ($0.name, $0.colour, "marker") }
    }

    /// The axis ranges the data need: every finite point with its error bar, bars down to 0,
    /// bands and markers; nil when nothing finite is left to draw.
    public func axes() -> (x: AxisTicks, y: AxisTicks)? {
        var xs: [Double] = [], ys: [Double] = []
        for s in series {
            for p in s.points where isDrawn(p) {
                let e = p.drawnError ?? 0
                ys += [p.y - e, p.y + e]
                if case let .bars(width) = s.style { xs += [p.x - width / 2, p.x + width / 2]; ys.append(0) } else { xs.append(p.x) }
            }
        }
        guard !ys.isEmpty else { return nil }
        xs += bands.flatMap { [$0.lower, $0.upper] } + markers.map(\.x)
        guard let y = AxisTicks(covering: ys + yIncludes) else { return nil }
        if let names = xCategories { return (AxisTicks(categories: names), y) }
        guard let x = xLogarithmic ? AxisTicks(decadesCovering: xs) : AxisTicks(covering: xs, integers: xIntegers) else { return nil }
        return (x, y)
    }

    /// The plot as an `<svg>` element.
    public func svg() -> String {
        let (left, top, right, bottom) = box
        let e = SVGText.escaped, outerHeight = Int(height + categoryRoom)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" role=\"img\" width=\"\(Int(width))\" height=\"\(outerHeight)\" "
            + "viewBox=\"0 0 \(Int(width)) \(outerHeight)\" font-family=\"\(SVGText.fontFamily)\" font-size=\"12\">"
        out += "<title>\(e(title))</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
        out += "<text x=\"\(c((left + right) / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">\(e(title))</text>"
        guard let (xAxis, yAxis) = axes() else {
            out += "<rect x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(right - left))\" height=\"\(c(bottom - top))\" fill=\"none\" stroke=\"#333\"/>"
            return out + "<text x=\"\(c((left + right) / 2))\" y=\"\(c((top + bottom) / 2))\" text-anchor=\"middle\">no finite values to plot</text></svg>"
        }
        // 3 % of room beyond the outermost ticks, so that no point or error bar sits on the frame.
        // A logarithmic axis places log₁₀ x between the log₁₀ of its outer ticks.
        let (xLow, xHigh) = xLogarithmic ? (log10(xAxis.lower), log10(xAxis.upper)) : (xAxis.lower, xAxis.upper)
        let (xPad, yPad) = (xCategories == nil ? 0.03 * (xHigh - xLow) : 0, 0.03 * (yAxis.upper - yAxis.lower))
        let px = { [xLogarithmic] (x: Double) in
            left + ((xLogarithmic ? log10(x) : x) - xLow + xPad) / (xHigh - xLow + 2 * xPad) * (right - left)
        }
        let py = { (y: Double) in bottom - (y - yAxis.lower + yPad) / (yAxis.upper - yAxis.lower + 2 * yPad) * (bottom - top) }
        out += axesMarkup(xAxis, yAxis, px: px, py: py)
        out += "<clipPath id=\"clip-\(e(identifier))\"><rect x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(right - left))\" height=\"\(c(bottom - top))\"/></clipPath>"
        out += "<g clip-path=\"url(#clip-\(e(identifier)))\">"
        for band in bands where !xLogarithmic || min(band.lower, band.upper) > 0 {
            let (a, b) = (px(min(band.lower, band.upper)), px(max(band.lower, band.upper)))
            out += "<rect class=\"band\" x=\"\(c(a))\" y=\"\(c(top))\" width=\"\(c(max(b - a, 1)))\" height=\"\(c(bottom - top))\" fill=\"\(band.colour)\" fill-opacity=\"0.18\"/>"
        }
        for s in series { out += seriesMarkup(s, px: px, py: py, baseline: py(max(yAxis.lower, min(0, yAxis.upper)))) }
        for m in markers where m.x.isFinite && (!xLogarithmic || m.x > 0) {
            out += "<line class=\"marker\" x1=\"\(c(px(m.x)))\" y1=\"\(c(top))\" x2=\"\(c(px(m.x)))\" y2=\"\(c(bottom))\" stroke=\"\(m.colour)\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/>"
        }
        out += "</g>" + legendMarkup(x: right + 14, y: top + 4)
        return out + "</svg>"
    }

    private func c(_ x: Double) -> String { SVGText.coordinate(x) }

    /// Whether a point can be placed: finite, and at x > 0 on a logarithmic axis.
    private func isDrawn(_ p: DataPoint) -> Bool { p.isFinite && (!xLogarithmic || p.x > 0) }

    /// Frame, grid, ticks, tick labels and axis labels.
    private func axesMarkup(_ xAxis: AxisTicks, _ yAxis: AxisTicks, px: (Double) -> Double, py: (Double) -> Double) -> String {
        let (left, top, right, bottom) = box
        var out = "<g class=\"axes\" stroke=\"#dddddd\">"
        for x in xAxis.values { out += "<line x1=\"\(c(px(x)))\" y1=\"\(c(top))\" x2=\"\(c(px(x)))\" y2=\"\(c(bottom))\"/>" }
        for y in yAxis.values { out += "<line x1=\"\(c(left))\" y1=\"\(c(py(y)))\" x2=\"\(c(right))\" y2=\"\(c(py(y)))\"/>" }
        out += "</g><rect x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(right - left))\" height=\"\(c(bottom - top))\" fill=\"none\" stroke=\"#333333\"/>"
        out += "<g class=\"ticks\" fill=\"#222222\">"
        for (x, label) in zip(xAxis.values, xAxis.labels) {
            out += "<line x1=\"\(c(px(x)))\" y1=\"\(c(bottom))\" x2=\"\(c(px(x)))\" y2=\"\(c(bottom + 5))\" stroke=\"#333333\"/>"
            if xCategories != nil {
                out += "<text transform=\"translate(\(c(px(x) + 4)) \(c(bottom + 12))) rotate(-40)\" text-anchor=\"end\">\(SVGText.escaped(label))</text>"
            } else {
                out += "<text x=\"\(c(px(x)))\" y=\"\(c(bottom + 18))\" text-anchor=\"middle\">\(SVGText.escaped(label))</text>"
            }
        }
        for (y, label) in zip(yAxis.values, yAxis.labels) {
            out += "<line x1=\"\(c(left - 5))\" y1=\"\(c(py(y)))\" x2=\"\(c(left))\" y2=\"\(c(py(y)))\" stroke=\"#333333\"/>"
            out += "<text x=\"\(c(left - 8))\" y=\"\(c(py(y) + 4))\" text-anchor=\"end\">\(SVGText.escaped(label))</text>"
        }
        out += "</g><text class=\"x-label\" x=\"\(c((left + right) / 2))\" y=\"\(c(height + categoryRoom - 12))\" text-anchor=\"middle\" font-size=\"13\">\(SVGText.escaped(xLabel))</text>"
        out += "<text class=\"y-label\" transform=\"translate(16 \(c((top + bottom) / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">\(SVGText.escaped(yLabel))</text>"
        return out
    }

    /// One series: its line, bars, markers and error bars.
    private func seriesMarkup(_ s: Series, px: (Double) -> Double, py: (Double) -> Double, baseline: Double) -> String {
        let points = s.points.filter(isDrawn)
        let dash = s.dashed ? " stroke-dasharray=\"7 4\"" : ""
        var out = "<g class=\"series\" data-name=\"\(SVGText.escaped(s.name))\">"
        switch s.style {
        case .line, .linePoints:
            let path = points.sorted { $0.x < $1.x }.map { "\(c(px($0.x))),\(c(py($0.y)))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" stroke=\"\(s.colour)\" stroke-width=\"\(s.style == .line ? 2 : 1)\"\(dash) points=\"\(path)\"/>"
        case let .bars(width):
            for p in points {
                let (a, b) = (px(p.x - width / 2), px(p.x + width / 2)), y = py(p.y)
                out += "<rect class=\"bar\" x=\"\(c(a))\" y=\"\(c(min(y, baseline)))\" width=\"\(c(max(b - a - 1, 1)))\" height=\"\(c(abs(baseline - y)))\" fill=\"\(s.colour)\" fill-opacity=\"0.8\"/>"
            }
        case .points, .scatter: break
        }
        if s.style == .linePoints || s.style == .points {
            for p in points {
                let x = px(p.x)
                if let e = p.drawnError {
                    let (high, low) = (py(p.y + e), py(p.y - e))
                    out += "<path class=\"error-bar\" d=\"M\(c(x)) \(c(low))V\(c(high))M\(c(x - 3)) \(c(low))H\(c(x + 3))M\(c(x - 3)) \(c(high))H\(c(x + 3))\" stroke=\"\(s.colour)\" stroke-width=\"1.2\"/>"
                }
                out += "<circle cx=\"\(c(x))\" cy=\"\(c(py(p.y)))\" r=\"3.2\" fill=\"\(s.colour)\"/>"
            }
        }
        if s.style == .scatter {
            for p in points { out += "<circle cx=\"\(c(px(p.x)))\" cy=\"\(c(py(p.y)))\" r=\"2.2\" fill=\"\(s.colour)\" fill-opacity=\"0.75\"/>" }
        }
        return out + "</g>"
    }

    /// The legend, one entry per line beside the box.
    private func legendMarkup(x: Double, y: Double) -> String {
        var out = "<g class=\"legend\">"
        for (i, entry) in legendEntries.enumerated() {
            let row = y + 18 * Double(i) + 8
            switch entry.kind {
            case "point", "dot": out += "<circle cx=\"\(c(x + 10))\" cy=\"\(c(row))\" r=\"3.5\" fill=\"\(entry.colour)\"/>"
            case "bar", "band": out += "<rect x=\"\(c(x + 2))\" y=\"\(c(row - 5))\" width=\"16\" height=\"10\" fill=\"\(entry.colour)\" fill-opacity=\"\(entry.kind == "band" ? 0.3 : 0.8)\"/>"
            default:
                let dash = entry.kind == "line" ? "" : " stroke-dasharray=\"\(entry.kind == "marker" ? "6 3" : "7 4")\""
                out += "<line x1=\"\(c(x))\" y1=\"\(c(row))\" x2=\"\(c(x + 20))\" y2=\"\(c(row))\" stroke=\"\(entry.colour)\" stroke-width=\"2\"\(dash)/>"
            }
            out += "<text x=\"\(c(x + 26))\" y=\"\(c(row + 4))\">\(SVGText.escaped(entry.name))</text>"
        }
        return out + "</g>"
    }
}
