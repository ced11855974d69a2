// Architecture text: parse/print round trips, the errors for bad text, and the factory's shape checks.

import Learning
import XCTest

final class LayerSpecificationTests: XCTestCase {
    func testRoundTrip() throws {
        let texts = ["dense units=64", "dense units=3 init=glorot", "conv2d channels=16 kernel=3",
                     "conv2d channels=4 kernel=5 init=glorot", "global_average_pool", "flatten",
                     "relu", "tanh", "gelu", "sigmoid", "dropout rate=0.2"]
        for text in texts {
            let parsed = try LayerSpecification(parsing: text)
            XCTAssertEqual(parsed.description, text)
            XCTAssertEqual(try LayerSpecification(parsing: parsed.description), parsed)
        }
        XCTAssertEqual(try LayerSpecification(parsing: "  dense   init=he units=8 "), .dense(units: 8, initialization: .he))
    }

    func testBadTextErrors() {
        func message(_ text: String) -> String {
            do { _ = try LayerSpecification(parsing: text); return "parsed" } catch { return error.description }
        }
        XCTAssertTrue(message("").contains("empty layer description"))
        XCTAssertTrue(message("dense").contains("missing units=N"))
        XCTAssertTrue(message("dense units=0").contains("units must be an integer ≥ 1, got '0'"))
        XCTAssertTrue(message("dense units=4 init=lecun").contains("init must be he or glorot"))
        XCTAssertTrue(message("conv2d channels=4 kernel=2").contains("kernel must be odd"))
        XCTAssertTrue(message("dropout rate=1").contains("rate must be a number in [0, 1)"))
        XCTAssertTrue(message("maxpool size=2").contains("unknown layer 'maxpool'"))
        XCTAssertTrue(message("relu slope=0.1").contains("'slope' is not a setting of relu"))
        XCTAssertTrue(message("dense units").contains("expected key=value"))
    }

    func testFactoryBuildsEachKindWithItsShapes() throws {
        let cases: [(String, [Int], [Int], Int)] = [
            ("dense units=5", [2, 3, 4], [5], 24 * 5 + 5),
            ("conv2d channels=16 kernel=3", [2, 8, 6], [16, 8, 6], 16 * 2 * 9 + 16),
            ("global_average_pool", [16, 8, 6], [16], 0),
            ("flatten", [16, 8, 6], [768], 0),
            ("gelu", [7], [7], 0),
            ("dropout rate=0.5", [3, 4], [3, 4], 0),
        ]
        for (text, input, output, parameters) in cases {
            let specification = try LayerSpecification(parsing: text)
            let layer = try specification.makeLayer(inputShape: input, as: Float.self)
            XCTAssertEqual(layer.specification, specification)
            XCTAssertEqual(layer.inputShape, input)
            XCTAssertEqual(layer.outputShape, output, text)
            XCTAssertEqual(layer.parameterCount, parameters, text)
        }
    }

    func testFactoryShapeErrors() throws {
        func message(_ text: String, _ shape: [Int]) throws -> String {
            do { _ = try LayerSpecification(parsing: text).makeLayer(inputShape: shape, as: Double.self); return "built" }
            catch { return error.description }
        }
        XCTAssertEqual(try message("conv2d channels=16 kernel=3", [64]),
                       "conv2d channels=16 kernel=3 needs input [channels, x, y]; the layer before gives [64]")
        XCTAssertTrue(try message("conv2d channels=8 kernel=5", [1, 4, 8]).contains("kernel 5 is larger than the 4×8 lattice"))
        XCTAssertTrue(try message("global_average_pool", [10]).contains("needs input [channels, sites…]"))
        XCTAssertTrue(try message("dense units=3", [0, 4]).contains("every extent must be positive"))
    }
}
