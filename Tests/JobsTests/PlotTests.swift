import Foundation
import XCTest
import Jobs

/// The SVG plotting layer of `ensemble report`: tick choice, degenerate ranges, escaping, error bars inside the box, heat maps.
final class PlotTests: XCTestCase {
    func testTicksAreOneTwoOrFiveTimesAPowerOfTenAndCoverTheData() throws {
        for (low, high) in [(0.0, 1.0), (1.8, 3.0), (-0.0037, 0.0121), (0.2, 0.32), (12345.0, 98765.0), (-7.0, 3.0), (0.999, 1.001)] {
            let ticks = try XCTUnwrap(AxisTicks(covering: [low, high]))
            XCTAssertLessThanOrEqual(ticks.lower, low, "\(low)…\(high)")
            XCTAssertGreaterThanOrEqual(ticks.upper, high, "\(low)…\(high)")
            let mantissa = ticks.step / pow(10, floor(log10(ticks.step)))
            XCTAssertTrue([1, 2, 5].contains { abs(mantissa - $0) < 1e-9 }, "step \(ticks.step) for \(low)…\(high)")
            XCTAssertTrue((3...12).contains(ticks.values.count), "\(ticks.values.count) ticks for \(low)…\(high)")
            XCTAssertEqual(Set(ticks.labels).count, ticks.labels.count, "labels repeat: \(ticks.labels)")
        }
    }

    func testLabelsCarryNoRoundOffNoise() throws {
        // 0.1 + 0.2 = 0.30000000000000004: the label must say 0.3.
        let ticks = try XCTUnwrap(AxisTicks(covering: [0.1, 0.1 + 0.2, 0.7]))
        XCTAssertEqual(ticks.step, 0.1, accuracy: 1e-15)
        XCTAssertTrue(ticks.labels.contains("0.3"), "\(ticks.labels)")
        for label in ticks.labels { XCTAssertLessThanOrEqual(label.count, 4, "\(ticks.labels)") }
        XCTAssertEqual(AxisTicks.label(0.1 + 0.2, step: 0.1), "0.3")
        XCTAssertEqual(AxisTicks.label(-2.5, step: 0.5), "−2.5")
        XCTAssertEqual(AxisTicks.label(3e-7, step: 1e-7), "3×10⁻⁷")
        XCTAssertEqual(AxisTicks.label(2e6, step: 1e6), "2×10⁶")
        XCTAssertEqual(AxisTicks.label(1e-17, step: 0.1), "0")
        // An awkward range: 1.8…3.0 over ~6 ticks is 0.2 apart, labelled with one decimal.
        XCTAssertEqual(try XCTUnwrap(AxisTicks(covering: [1.8, 3.0])).labels, ["1.8", "2.0", "2.2", "2.4", "2.6", "2.8", "3.0"])
    }

    func testLogarithmicAxesTickWholeDecadesAndDropNonPositiveValues() throws {
        let decades = try XCTUnwrap(AxisTicks(decadesCovering: [0, 13_000, 400_000, -5]))
        XCTAssertEqual(decades.values, [1e4, 1e5, 1e6])
        XCTAssertEqual(decades.labels, ["10⁴", "10⁵", "10⁶"])
        XCTAssertNil(AxisTicks(decadesCovering: [0, -1, .nan]))
        var plot = Plot(title: "discovery", xLabel: "evaluations", yLabel: "vacua")
        plot.xLogarithmic = true
        plot.series = [Series("run", colour: "#000000", style: .line, points: [DataPoint(x: 0, y: 0), DataPoint(x: 1e3, y: 2), DataPoint(x: 1e5, y: 9)])]
        let svg = plot.svg()
        XCTAssertFalse(svg.contains("inf") || svg.contains("nan"), "x = 0 reached a logarithmic axis")
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 1)
    }

    func testDegenerateRangesAreWidenedAndNonFiniteValuesDropped() throws {
        let single = try XCTUnwrap(AxisTicks(covering: [2.5]))
        XCTAssertLessThan(single.lower, 2.5)
        XCTAssertGreaterThan(single.upper, 2.5)
        let zero = try XCTUnwrap(AxisTicks(covering: [0, 0, 0]))
        XCTAssertEqual(zero.lower, -1)
        XCTAssertEqual(zero.upper, 1)
        let mixed = try XCTUnwrap(AxisTicks(covering: [1, .nan, .infinity, 2, -.infinity]))
        XCTAssertEqual(mixed.lower, 1)
        XCTAssertEqual(mixed.upper, 2)
        XCTAssertNil(AxisTicks(covering: [.nan, .infinity]))
        XCTAssertNil(AxisTicks(covering: []))

        var plot = Plot(title: "t", xLabel: "x", yLabel: "y")
        plot.series = [Series("only NaN", colour: "#000000", style: .points, points: [DataPoint(x: .nan, y: 1), DataPoint(x: 1, y: .infinity)])]
        XCTAssertNil(plot.axes())
        XCTAssertTrue(plot.svg().contains("no finite values"))
        plot.series.append(Series("one", colour: "#000000", style: .points, points: [DataPoint(x: 1, y: 1, error: .nan)]))
        let svg = plot.svg()
        XCTAssertFalse(svg.contains("nan") || svg.contains("inf"), "a non-finite value reached the SVG")
        let drawn = svg.components(separatedBy: "class=\"series\"").dropFirst().map { $0.components(separatedBy: "</g>")[0].components(separatedBy: "<circle").count - 1 }
        XCTAssertEqual(drawn, [0, 1], "the NaN and ∞ points were drawn, or the finite one was not")
    }

    func testTextIsEscaped() {
        var plot = Plot(title: "<script>alert('x')</script> & co", xLabel: "a < b", yLabel: "\"quoted\"")
        plot.series = [Series("</text><evil>", colour: "#000000", style: .line, points: [DataPoint(x: 0, y: 0), DataPoint(x: 1, y: 1)])]
        let svg = plot.svg()
        XCTAssertFalse(svg.contains("<script>") || svg.contains("<evil>") || svg.contains("\"quoted\""))
        XCTAssertTrue(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"))
        XCTAssertTrue(svg.contains("a &lt; b"))
        XCTAssertTrue(svg.contains("font-family=\"sans-serif\""))
        XCTAssertEqual(SVGText.escaped("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f")
    }

    func testErrorBarsStayInsideThePlotBox() throws {
        var plot = Plot(title: "scan", xLabel: "T", yLabel: "e")
        plot.series = [Series("data", colour: "#0072B2", style: .linePoints, points: [
            DataPoint(x: 1.8, y: -1.9, error: 0.3), DataPoint(x: 2.3, y: -1.4, error: 0.05), DataPoint(x: 3.0, y: -0.8, error: 0.4),
        ])]
        let svg = plot.svg(), box = plot.box
        let bars = try NSRegularExpression(pattern: "class=\"error-bar\" d=\"M([-0-9.]+) ([-0-9.]+)V([-0-9.]+)")
        let matches = bars.matches(in: svg, range: NSRange(svg.startIndex..., in: svg))
        XCTAssertEqual(matches.count, 3)
        for match in matches {
            let number = { Double(svg[Range(match.range(at: $0), in: svg)!])! }
            let (x, y0, y1) = (number(1), number(2), number(3))
            XCTAssertTrue((box.left...box.right).contains(x), "x \(x) outside \(box)")
            for y in [y0, y1] { XCTAssertTrue((box.top...box.bottom).contains(y), "error bar end \(y) outside \(box)") }
            XCTAssertGreaterThan(y0, y1, "the bar runs from y − σ (lower on screen) to y + σ")
        }
    }

    func testHeatMapHasOneCellPerSiteOnASymmetricScale() {
        let rows = (0..<6).map { i in (0..<10).map { j in Double((i + j) % 2 == 0 ? 1 : -1) } }
        let map = HeatMap(title: "T = 2.0", valueLabel: "spin s", rows: rows)
        let svg = map.svg()
        XCTAssertEqual(svg.components(separatedBy: "class=\"cell\"").count - 1, 60)
        XCTAssertEqual(map.colour(1), "#D55E00")
        XCTAssertEqual(map.colour(-1), "#0072B2")
        XCTAssertEqual(map.colour(0), "#FFFFFF")
        XCTAssertEqual(map.colour(.nan), "#888888")
    }

    func testPaletteGivesOneKeyOneColour() {
        let palette = Palette()
        let a = palette.colour(for: "a.h5"), b = palette.colour(for: "b.h5")
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(palette.colour(for: "a.h5"), a)
        XCTAssertFalse(Palette.colours.contains("#F0E442"), "Okabe–Ito's yellow is too pale on white")
    }

    func testCrossingOfTwoPiecewiseLinearCurves() {
        let a = [DataPoint(x: 0, y: 1), DataPoint(x: 1, y: 0.8), DataPoint(x: 2, y: 0.2)]
        let b = [DataPoint(x: 0, y: 0.9), DataPoint(x: 0.5, y: 0.85), DataPoint(x: 2, y: 0.5), DataPoint(x: 3, y: .nan)]
        let roots = PiecewiseCrossing.crossings(a, b)
        XCTAssertEqual(roots.count, 1)
        // On [1, 2]: a = 0.8 − 0.6(x − 1), b = 0.85 − 0.35(x − 0.5)/1.5·…; the difference's root by hand:
        // at x = 1, a − b = 0.8 − (0.85 − 0.35·0.5/1.5) = 0.06667; at x = 2, a − b = −0.3 → x = 1 + 0.06667/0.36667.
        XCTAssertEqual(roots[0], 1 + (0.2 / 3) / (0.2 / 3 + 0.3), accuracy: 1e-12)
        XCTAssertEqual(PiecewiseCrossing.crossings(a, a.map { DataPoint(x: $0.x, y: $0.y + 1) }), [])
    }
}
