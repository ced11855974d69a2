import Foundation

/// `value ± error` in the physicist's notation, the error's two leading digits in parentheses in
/// units of the value's last digit: 1.40512 ± 0.00323 is `1.4051(32)`, 12.3 ± 1.5 is `12.3(15)`.
public func parenthesized(_ value: Double, error: Double) -> String {
    guard value.isFinite, error.isFinite, error > 0 else { return String(format: "%.6g", value) + (error.isNaN ? "(?)" : "") }
    var decimals = 1 - Int(floor(log10(error)))
    // 0.00996 would round to "100" in the last digits: one decimal fewer gives "10".
    if (error * pow(10, Double(decimals))).rounded() >= 100 { decimals -= 1 }
    let shown = max(0, decimals)
    let digits = Int((error * pow(10, Double(shown))).rounded())
    return String(format: "%.\(shown)f", value) + "(\(digits))"
}
