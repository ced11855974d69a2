// The few complex operations the vacuum equations need, on Double, so `Vacua` needs no math package.

/// A complex number x + iy.
public struct Complex: Sendable, Equatable, CustomStringConvertible {
    /// The real part x.
    public var re: Double
    /// The imaginary part y.
    public var im: Double

    /// x + iy; a real number when `im` is omitted.
    @inlinable public init(_ re: Double, _ im: Double = 0) { self.re = re; self.im = im }

    /// The imaginary unit.
    @inlinable public static var i: Complex { Complex(0, 1) }
    /// x − iy.
    @inlinable public var conjugate: Complex { Complex(re, -im) }
    /// |z| = √(x² + y²).
    @inlinable public var magnitude: Double { (re * re + im * im).squareRoot() }
    /// |z|² = x² + y², without the square root.
    @inlinable public var lengthSquared: Double { re * re + im * im }
    /// Whether both parts are finite (neither NaN nor infinite).
    @inlinable public var isFinite: Bool { re.isFinite && im.isFinite }

    /// The sum.
    @inlinable public static func + (a: Complex, b: Complex) -> Complex { Complex(a.re + b.re, a.im + b.im) }
    /// The difference.
    @inlinable public static func - (a: Complex, b: Complex) -> Complex { Complex(a.re - b.re, a.im - b.im) }
    /// The negation.
    @inlinable public static prefix func - (a: Complex) -> Complex { Complex(-a.re, -a.im) }
    /// The product.
    @inlinable public static func * (a: Complex, b: Complex) -> Complex {
        Complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
    }
    /// A real multiple.
    @inlinable public static func * (a: Double, b: Complex) -> Complex { Complex(a * b.re, a * b.im) }
    /// The quotient a·b̄/|b|²; not finite when b = 0.
    @inlinable public static func / (a: Complex, b: Complex) -> Complex {
        let d = b.lengthSquared
        return Complex((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d)
    }

    /// `x+yi` or `x-yi`, e.g. `0.5-1.2i`.
    public var description: String { im >= 0 ? "\(re)+\(im)i" : "\(re)\(im)i" }
}
