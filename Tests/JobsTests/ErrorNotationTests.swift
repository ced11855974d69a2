import Jobs
import XCTest

/// Values with errors in the physicist's notation, as the flow sampler's comparison prints them.
final class ErrorNotationTests: XCTestCase {
    func testTwoDigitsOfTheErrorInUnitsOfTheLastDigit() {
        XCTAssertEqual(parenthesized(-1.40512, error: 0.00323), "-1.4051(32)")
        XCTAssertEqual(parenthesized(0.57382, error: 0.00036), "0.57382(36)")
        XCTAssertEqual(parenthesized(12.34, error: 1.5), "12.3(15)")
        XCTAssertEqual(parenthesized(1234.5, error: 150), "1234(150)")
        XCTAssertEqual(parenthesized(0.5, error: 0.1), "0.50(10)")
    }

    func testAnErrorThatRoundsUpToThreeDigitsLosesADecimal() {
        XCTAssertEqual(parenthesized(0.12345, error: 0.00996), "0.123(10)")
    }

    func testNoErrorOrNoNumber() {
        XCTAssertEqual(parenthesized(0.25, error: 0), "0.25")
        XCTAssertEqual(parenthesized(0.25, error: .nan), "0.25(?)")
        XCTAssertEqual(parenthesized(.nan, error: 0.1), "nan")
    }
}
