// The periodic im2col behind Convolution2D. Row (c, dx, dy) of the column matrix is input plane c
// shifted by (dx − r, dy − r) with wrap-around, which is nearly a flat copy of the plane.

/// Geometry of a periodic k×k window over `[channels, x, y]` planes, and the column expansion.
struct PeriodicColumns {
    let channels: Int
    let x: Int
    let y: Int
    let kernel: Int

    var sites: Int { x * y }
    /// Rows of the column matrix: one per (channel, dx, dy).
    var rows: Int { channels * kernel * kernel }

    /// columns[(c, dx, dy), (i, j)] = input[c, (i + dx − r) mod X, (j + dy − r) mod Y], with row
    /// stride `ld` (≥ sites) so several samples can sit side by side in one matrix.
    ///
    /// Each row is the plane read flat from an offset: one long copy per run of unwrapped lattice
    /// rows (two runs, split where x wraps), which is right except for the |dy − r| elements per
    /// lattice row whose y wraps; those are then patched one by one. Copying row by row instead
    /// would spend most of its time in the calls for rows as short as a lattice's.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func expand<Scalar>(_ input: UnsafePointer<Scalar>, into columns: UnsafeMutablePointer<Scalar>, ld: Int) {
        let r = kernel / 2
        for c in 0..<channels {
            let plane = input + c * sites
            for dx in 0..<kernel {
                var sx = (dx - r) % x
                if sx < 0 { sx += x }
                for dy in 0..<kernel {
                    let s = dy - r
                    let row = columns + ((c * kernel + dx) * kernel + dy) * ld
                    // Output lattice rows 0..<x−sx read input rows sx..<x; the rest read rows 0..<sx.
                    copyRun(from: plane + sx * y, to: row, rows: x - sx, shift: s)
                    copyRun(from: plane, to: row + (x - sx) * y, rows: sx, shift: s)
                    guard s != 0 else { continue }
                    // The wrapped elements: columns j < −s (reading the row's end) or j ≥ y − s (its start).
                    let wrapped = s < 0 ? 0..<(-s) : (y - s)..<y
                    for i in 0..<x {
                        var xi = i + sx
                        if xi >= x { xi -= x }
                        let source = plane + xi * y, target = row + i * y
                        for j in wrapped {
                            var yj = j + s
                            if yj < 0 { yj += y } else if yj >= y { yj -= y }
                            target[j] = source[yj]
                        }
                    }
                }
            }
        }
    }

    /// target[t] = source[t + shift] over `rows` lattice rows, skipping the ends that would read
    /// outside them (the caller patches those, as it does every element whose y wrapped).
    @inline(__always)
    private func copyRun<Scalar>(from source: UnsafePointer<Scalar>, to target: UnsafeMutablePointer<Scalar>, rows: Int, shift: Int) {
        let lo = Swift.max(0, -shift), hi = rows * y - Swift.max(0, shift)
        if hi > lo { (target + lo).update(from: source + lo + shift, count: hi - lo) }
    }
}
