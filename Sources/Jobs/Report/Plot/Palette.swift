/// The colours of a report: Okabe and Ito's palette, distinguishable with the common kinds of
/// colour blindness (B. Wong, Nature Methods 8, 441 (2011)), without its yellow, which is too pale
/// on white. A key (a file, a method, "exact") gets its colour the first time it is asked for and
/// keeps it, so one file is drawn in one colour in every plot of a report.
public final class Palette {
    /// The colours in the order they are handed out.
    public static let colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

    private var assigned: [String: String] = [:]
    private var order: [String] = []

    /// A palette with no key assigned yet.
    public init() {}

    /// The colour of `key`: its own if it has one, else the next unused one (cycling after seven keys).
    public func colour(for key: String) -> String {
        if let colour = assigned[key] { return colour }
        let colour = Palette.colours[order.count % Palette.colours.count]
        assigned[key] = colour
        order.append(key)
        return colour
    }
}
