import Foundation

/// The HTML of a report, built section by section: inline CSS and SVG only, no script, no font or
/// image fetched, so it opens offline and can be mailed or archived as one file. Every plot gets a
/// document-unique identifier, and every colour comes from one `Palette`.
final class ReportDocument {
    /// The colours of the whole document: one file or method, one colour.
    let palette = Palette()
    private var body = ""
    private var plots = 0
    private let title: String

    /// An empty report titled `title`.
    init(title: String) { self.title = title }

    /// A section heading.
    func heading(_ text: String, level: Int = 2) {
        body += "<h\(level)>\(SVGText.escaped(text))</h\(level)>\n"
    }

    /// A paragraph of plain text.
    func paragraph(_ text: String, className: String? = nil) {
        body += "<p\(className.map { " class=\"\($0)\"" } ?? "")>\(SVGText.escaped(text))</p>\n"
    }

    /// A plot with a caption under it; a plot with no finite point is replaced by a note saying so.
    func figure(_ plot: Plot, caption: String) {
        var plot = plot
        plots += 1
        plot.identifier = "p\(plots)"
        guard plot.axes() != nil else {
            paragraph("\(plot.title): no finite values to plot.", className: "note")
            return
        }
        body += "<figure>\(plot.svg())<figcaption>\(SVGText.escaped(caption))</figcaption></figure>\n"
    }

    /// Heat maps side by side with one caption.
    func gallery(_ maps: [HeatMap], caption: String) {
        guard !maps.isEmpty else { return }
        body += "<figure class=\"gallery\">" + maps.map { $0.svg() }.joined() + "<figcaption>\(SVGText.escaped(caption))</figcaption></figure>\n"
    }

    /// A table: a header row and text cells, numbers right-aligned; long tables scroll inside a box.
    func table(_ header: [String], _ rows: [[String]], caption: String? = nil, wrapping: Bool = false) {
        let e = SVGText.escaped
        var html = caption.map { "<div class=\"caption\">\(e($0))</div>" } ?? ""
        html += "<div class=\"table\"><table\(wrapping ? " class=\"wrapping\"" : "")>"
        html += "<thead><tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows { html += "<tr>" + row.map { "<td>\(e($0))</td>" }.joined() + "</tr>" }
        body += html + "</tbody></table></div>\n"
    }

    /// The whole document.
    func html() -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(SVGText.escaped(title))</title>
        <style>
        body { font-family: sans-serif; margin: 24px auto; max-width: 1100px; color: #1a1a1a; line-height: 1.4; padding: 0 16px; }
        h1 { font-size: 1.6em; border-bottom: 2px solid #0072B2; padding-bottom: 4px; }
        h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #cccccc; }
        h3 { font-size: 1.1em; margin-top: 1.5em; }
        figure { margin: 1em 0; }
        figure.gallery svg { margin-right: 12px; }
        figcaption { font-size: 0.9em; color: #444444; max-width: 760px; }
        .table { max-height: 420px; overflow: auto; margin: 0.3em 0 0.8em 0; }
        table { border-collapse: collapse; font-size: 0.85em; }
        .caption { font-weight: bold; font-size: 0.9em; margin-top: 1em; }
        table.wrapping td:last-child { white-space: normal; text-align: left; word-break: break-all; min-width: 260px; }
        th, td { border: 1px solid #cccccc; padding: 2px 8px; text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        th { background: #f0f0f0; position: sticky; top: 0; }
        .note { color: #7a4d00; background: #fff6e0; padding: 6px 10px; border-left: 3px solid #E69F00; }
        .files { font-size: 0.9em; color: #444444; }
        </style></head><body>
        <h1>\(SVGText.escaped(title))</h1>
        \(body)</body></html>

        """
    }
}
