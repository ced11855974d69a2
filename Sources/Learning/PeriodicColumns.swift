// The periodic im2col / col2im pair behind Convolution2D. Row (c, dx, dy) of the column matrix is
// input plane c shifted by (dx − r, dy − r) with wrap-around, so each lattice row of it is a
// circular shift of an input row: two contiguous copies (or adds), never a per-element modulo.

/// Geometry of a periodic k×k window over `[channels, x, y]` planes, and the column transforms.
struct PeriodicColumns {
    let channels: Int
    let x: Int
    let y: Int
    let kernel: Int

    var sites: Int { x * y }
    /// Rows of the column matrix: one per (channel, dx, dy).
    var rows: Int { channels * kernel * kernel }

    /// The wrapped offset of window position `d` (0..<kernel) along an axis of length `extent`.
    @inline(__always)
    func shift(_ d: Int, extent: Int) -> Int {
        let s = (d - kernel / 2) % extent
        return s < 0 ? s + extent : s
    }

    /// columns[(c, dx, dy), (i, j)] = input[c, (i + dx − r) mod X, (j + dy − r) mod Y], with row
    /// stride `ld` (≥ sites) so several samples can sit side by side in one matrix.
    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    func expand<Scalar>(_ input: UnsafePointer<Scalar>, into columns: UnsafeMutablePointer<Scalar>, ld: Int) {
        for c in 0..<channels {
            let plane = input + c * sites
            for dx in 0..<kernel {
                let sx = shift(dx, extent: x)
                for dy in 0..<kernel {
                    let sy = shift(dy, extent: y)
                    let row = columns + ((c * kernel + dx) * kernel + dy) * ld
                    for i in 0..<x {
                        var xi = i + sx
                        if xi >= x { xi -= x }
                        let source = plane + xi * y
                        let destination = row + i * y
                        destination.update(from: source + sy, count: y - sy)
                        (destination + (y - sy)).update(from: source, count: sy)
                    }
                }
            }
        }
    }

    /// The adjoint of `expand`: input[c, (i + dx − r) mod X, (j + dy − r) mod Y] += columns[(c, dx, dy), (i, j)].
    /// `input` must be initialised (usually zeroed) by the caller.
    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    func accumulate<Scalar: FloatingPoint>(_ columns: UnsafePointer<Scalar>, ld: Int, into input: UnsafeMutablePointer<Scalar>) {
        for c in 0..<channels {
            let plane = input + c * sites
            for dx in 0..<kernel {
                let sx = shift(dx, extent: x)
                for dy in 0..<kernel {
                    let sy = shift(dy, extent: y)
                    let row = columns + ((c * kernel + dx) * kernel + dy) * ld
                    for i in 0..<x {
                        var xi = i + sx
                        if xi >= x { xi -= x }
                        let target = plane + xi * y
                        let source = row + i * y
                        let head = y - sy
                        for j in 0..<head { target[sy + j] += source[j] }
                        for j in 0..<sy { target[j] += source[head + j] }
                    }
                }
            }
        }
    }
}
