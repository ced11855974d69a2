import Foundation

/// The ticks of one axis, chosen as Heckbert's "nice numbers" (1, 2 or 5 × 10^k apart, Graphics
/// Gems I, 1990), and the axis range they span, with labels free of binary round-off
/// (0.30000000000000004 is shown as 0.3).
public struct AxisTicks: Sendable, Equatable {
    /// The axis runs from `lower` to `upper`: the outermost ticks, so the data sit inside the box.
    public let lower: Double
    /// See `lower`.
    public let upper: Double
    /// Tick positions, from `lower` to `upper`, evenly spaced by `step`.
    public let values: [Double]
    /// The distance between neighbouring ticks: 1, 2 or 5 × 10^k.
    public let step: Double
    /// What each tick says, in the order of `values`.
    public let labels: [String]

    /// About `count` ticks covering the finite values in `data`; nil when `data` has none. A
    /// single value or a zero-width range is widened around it (by 10 % of its size, or by 1 at 0
    /// or on a whole-number axis) so that the axis still has a scale. On a whole-number axis
    /// (`integers`: epochs, counts) the ticks are at least 1 apart.
    public init?(covering data: [Double], count: Int = 6, integers: Bool = false) {
        let finite = data.filter(\.isFinite)
        guard var low = finite.min(), var high = finite.max() else { return nil }
        if high - low <= Swift.max(abs(low), abs(high)) * 1e-12 {
            let half = low == 0 || integers ? 1 : abs(low) * 0.1
            (low, high) = (low - half, high + half)
        }
        var step = AxisTicks.nice((high - low) / Double(Swift.max(count - 1, 1)), rounding: true)
        if integers { step = Swift.max(step, 1) }
        // The outermost ticks are whole multiples of the step; rounding the quotient first keeps
        // 0.30000000000000004 / 0.1 from landing one step further out.
        let first = (AxisTicks.settle(low / step)).rounded(.down), last = (AxisTicks.settle(high / step)).rounded(.up)
        let values = stride(from: first, through: last, by: 1).map { $0 * step }
        self.lower = values.first!
        self.upper = values.last!
        self.step = step
        self.values = values
        self.labels = values.map { AxisTicks.label($0, step: step) }
    }

    /// Ticks at the whole numbers 1…n labelled with `names` (a categorical axis), spanning 0.5…n + 0.5.
    public init(categories names: [String]) {
        (lower, upper, step) = (0.5, Double(names.count) + 0.5, 1)
        values = names.indices.map { Double($0 + 1) }
        labels = names
    }

    /// Ticks at whole decades 10^a…10^b for a logarithmic axis covering the positive values in
    /// `data` (`step` is then the factor 10^k between ticks); nil when none is positive.
    public init?(decadesCovering data: [Double]) {
        guard let exponents = AxisTicks(covering: data.filter { $0 > 0 && $0.isFinite }.map(log10), integers: true) else { return nil }
        (lower, upper, step) = (pow(10, exponents.lower), pow(10, exponents.upper), pow(10, exponents.step))
        values = exponents.values.map { pow(10, $0) }
        labels = exponents.values.map { "10" + AxisTicks.superscript(Int($0)) }
    }

    /// Heckbert's nice number near `x` > 0: 1, 2, 5 or 10 × 10^k, rounded to the nearest when
    /// `rounding`, else the smallest at least `x`.
    public static func nice(_ x: Double, rounding: Bool) -> Double {
        let exponent = floor(log10(x)), fraction = x / pow(10, exponent)
        let niceFraction: Double
        if rounding {
            niceFraction = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            niceFraction = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return niceFraction * pow(10, exponent)
    }

    /// `x` with a few ulps of round-off removed, so floor and ceil do not step past a whole number.
    private static func settle(_ x: Double) -> Double {
        let nearest = x.rounded()
        return abs(x - nearest) < 1e-9 * Swift.max(1, abs(x)) ? nearest : x
    }

    /// A tick's label with exactly the decimals its step needs: plain decimals between 10⁻⁴ and
    /// 10⁶, otherwise mantissa × 10^k with a superscript exponent.
    public static func label(_ value: Double, step: Double) -> String {
        if abs(value) < step * 1e-9 { return "0" }
        let magnitude = Swift.max(abs(value), step)
        if magnitude >= 1e-4, magnitude < 1e6 {
            let decimals = Swift.max(0, -Int(floor(log10(step) + 1e-9)))
            return String(format: "%.\(decimals)f", value).replacingOccurrences(of: "-", with: "−")
        }
        let exponent = Int(floor(log10(abs(value)) + 1e-9))
        let mantissa = value / pow(10, Double(exponent))
        let digits = Swift.max(0, Int(floor(log10(abs(value)) + 1e-9)) - Int(floor(log10(step) + 1e-9)))
        var text = String(format: "%.\(Swift.min(digits, 6))f", mantissa)
        if text.contains(".") { while text.hasSuffix("0") { text.removeLast() }; if text.hasSuffix(".") { text.removeLast() } }
        let prefix = text == "1" ? "" : text.replacingOccurrences(of: "-", with: "−") + "×"
        return prefix + "10" + superscript(exponent)
    }

    /// `n` in Unicode superscript digits, e.g. −5 → ⁻⁵.
    static func superscript(_ n: Int) -> String {
        let digits: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻"]
        return String(String(n).map { digits[$0] ?? $0 })
    }
}
