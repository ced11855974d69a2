import Foundation
import Jobs
import Store
import XCTest

/// Tables that fit a terminal: values with their errors, round-off as 0, at most 100 characters,
/// and every column on request.
final class TerminalTableTests: XCTestCase {
    /// A summary as wide as an Ising scan's: 17 columns.
    static let table: TerminalTable = {
        let names = ["temperature", "beta", "energy", "energy_error", "energy_tau_int", "energy_tau_int_error", "specific_heat",
                     "specific_heat_error", "abs_magnetization", "abs_magnetization_error", "abs_magnetization_tau_int",
                     "abs_magnetization_tau_int_error", "susceptibility", "susceptibility_error", "binder", "binder_error", "magnetization"]
        let rows: [[Cell]] = [[1.8, 0.5555555555555556, -1.85378, 0.00405883, 0.707917, 0.0616504, 0.459355, 0.02213, 0.954328,
                               0.00165647, 0.757077, 0.0737358, 0.128768, 0.0123037, 0.662239, 0.00036687, 4.4e-16],
                              [3.0, 0.3333333333333333, -0.849594, 0.00751934, 0.823032, 0.0796001, 0.488118, 0.0190221, 0.348156,
                               0.00661717, 0.852371, 0.0905892, 1.09498, 0.0312761, 0.272459, 0.0151724, 0.0123]].map { $0.map { Cell.real($0) } }
        return TerminalTable(columns: names, rows: rows)
    }()

    func testTheDefaultTableFitsAndShowsErrorsInParentheses() throws {
        let text = try Self.table.text()
        let lines = text.components(separatedBy: "\n").filter { !$0.isEmpty }
        XCTAssertTrue(lines.allSatisfy { $0.count <= 100 }, text)
        XCTAssertTrue(lines[1].contains("-1.8538(41)"), text)
        XCTAssertTrue(lines[1].contains("0.66224(37)"), text)
        XCTAssertFalse(lines[0].contains("energy_error"), text)
        XCTAssertTrue(lines.last!.hasPrefix("("), text)
        XCTAssertTrue(lines.last!.contains("more: "), text)
    }

    func testRoundOffPrintsAsZero() throws {
        let text = try Self.table.text(selecting: ["temperature", "magnetization"])
        XCTAssertEqual(text, "temperature  magnetization\n        1.8              0\n          3         0.0123\n")
        XCTAssertTrue(TerminalTable.isRoundOff(4.4e-16, scale: 0.0123))
        XCTAssertFalse(TerminalTable.isRoundOff(1e-9, scale: 0.0123))
        XCTAssertTrue(TerminalTable.isRoundOff(2e-16, scale: 2e-16))
    }

    func testColumnsCSVAndJSONShowEverythingAsked() throws {
        let picked = try Self.table.text(selecting: ["binder", "energy_tau_int"])
        XCTAssertEqual(picked.components(separatedBy: "\n")[0], "     binder  energy_tau_int")
        XCTAssertTrue(picked.contains("0.66224(37)"))
        let csv = try Self.table.csv()
        XCTAssertTrue(csv.hasPrefix("temperature,beta,energy,energy_error,"))
        XCTAssertTrue(csv.contains("0.5555555555555556"), "full precision")
        XCTAssertEqual(try Self.table.csv(selecting: ["binder"]), "binder,binder_error\n0.662239,0.00036687\n0.272459,0.0151724\n")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try Self.table.json().utf8)) as? [[String: Double]])
        XCTAssertEqual(json.count, 2)
        XCTAssertEqual(json[0]["magnetization"], 4.4e-16)
        XCTAssertThrowsError(try Self.table.text(selecting: ["binderr"])) { XCTAssertTrue("\($0)".contains("no column 'binderr'")) }
        XCTAssertThrowsError(try Self.table.csv(selecting: ["nope"]))
    }
}
