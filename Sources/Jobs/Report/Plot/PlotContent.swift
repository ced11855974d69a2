/// One measured or computed point; `error` is its one-σ error bar in y, nil when it has none.
public struct DataPoint: Sendable, Equatable {
    /// Abscissa.
    public let x: Double
    /// Ordinate.
    public let y: Double
    /// One standard error in y, drawn as an error bar; nil (or not finite) draws none.
    public let error: Double?

    /// A point at (x, y) with an optional error bar.
    public init(x: Double, y: Double, error: Double? = nil) {
        (self.x, self.y, self.error) = (x, y, error)
    }

    /// Whether the point can be drawn at all: NaN and ±∞ are dropped, never drawn at an edge.
    var isFinite: Bool { x.isFinite && y.isFinite }
    /// The error bar when it is a positive finite number.
    var drawnError: Double? { error.flatMap { $0.isFinite && $0 > 0 ? $0 : nil } }
}

/// A named set of points drawn in one colour and one style, with an entry in the legend.
public struct Series: Sendable {
    /// How the points are drawn.
    public enum Style: Sendable, Equatable {
        /// A polyline through the points in x order (an exact curve, a loss per epoch).
        case line
        /// Markers with error bars joined by a thin line (a scan of a parameter).
        case linePoints
        /// Markers with error bars and no line (values at unrelated points).
        case points
        /// Small dots, no error bars (a scatter of many items).
        case scatter
        /// Bars from 0 to y, each `width` wide around x (a histogram).
        case bars(width: Double)
    }

    /// The legend's text; an empty name has no legend entry.
    public let name: String
    /// A CSS colour, normally from the report's `Palette`.
    public let colour: String
    /// How the points are drawn.
    public let style: Style
    /// Dashed instead of solid (a second curve of the same colour, e.g. validation beside training).
    public let dashed: Bool
    /// The points, as given; non-finite ones are dropped when drawn.
    public let points: [DataPoint]

    /// A series named `name`.
    public init(_ name: String, colour: String, style: Style, dashed: Bool = false, points: [DataPoint]) {
        (self.name, self.colour, self.style, self.dashed, self.points) = (name, colour, style, dashed, points)
    }

    /// A histogram of `counts` over bins of equal width starting at `start`.
    public static func histogram(_ name: String, colour: String, start: Double, width: Double, counts: [Double]) -> Series {
        Series(name, colour: colour, style: .bars(width: width),
               points: counts.enumerated().map { DataPoint(x: start + (Double($0.offset) + 0.5) * width, y: $0.element) })
    }
}

/// A shaded vertical band over [lower, upper] in x: an estimate ± its error.
public struct Band: Sendable {
    /// Left edge.
    public let lower: Double
    /// Right edge.
    public let upper: Double
    /// The legend's text.
    public let name: String
    /// A CSS colour; the band is drawn translucent.
    public let colour: String

    /// A band over [lower, upper].
    public init(_ name: String, lower: Double, upper: Double, colour: String) {
        (self.name, self.lower, self.upper, self.colour) = (name, lower, upper, colour)
    }
}

/// A vertical line at one x (a crossing, a known critical point).
public struct Marker: Sendable {
    /// Where.
    public let x: Double
    /// The legend's text.
    public let name: String
    /// A CSS colour.
    public let colour: String

    /// A vertical line at `x`.
    public init(_ name: String, x: Double, colour: String) {
        (self.name, self.x, self.colour) = (name, x, colour)
    }
}
