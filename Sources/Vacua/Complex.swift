// The few complex operations the vacuum equations need, on Double, so `Vacua` needs no math package.

/// A complex number x + iy.
public struct Complex: Sendable, Equatable, CustomStringConvertible {
    public var re: Double
    public var im: Double

    @inlinable public init(_ re: Double, _ im: Double = 0) { self.re = re; self.im = im }

    @inlinable public static var i: Complex { Complex(0, 1) }
    @inlinable public var conjugate: Complex { Complex(re, -im) }
    @inlinable public var magnitude: Double { (re * re + im * im).squareRoot() }
    @inlinable public var lengthSquared: Double { re * re + im * im }
    @inlinable public var isFinite: Bool { re.isFinite && im.isFinite }

    @inlinable public static func + (a: Complex, b: Complex) -> Complex { Complex(a.re + b.re, a.im + b.im) }
    @inlinable public static func - (a: Complex, b: Complex) -> Complex { Complex(a.re - b.re, a.im - b.im) }
    @inlinable public static prefix func - (a: Complex) -> Complex { Complex(-a.re, -a.im) }
    @inlinable public static func * (a: Complex, b: Complex) -> Complex {
        Complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
    }
    @inlinable public static func * (a: Double, b: Complex) -> Complex { Complex(a * b.re, a * b.im) }
    @inlinable public static func / (a: Complex, b: Complex) -> Complex {
        let d = b.lengthSquared
        return Complex((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d)
    }

    public var description: String { im >= 0 ? "\(re)+\(im)i" : "\(re)\(im)i" }
}
