// Bulk draws for hot loops. Each fill returns exactly what the equivalent sequence of single
// draws would, so callers may switch between them without changing results; the fills only skip
// the per-draw buffer bookkeeping. Two flavours:
// - sequential fills continue this stream (`fillUniforms`, `fillNormals`);
// - per-site fills take the first draw of each of the consecutive sites' substreams
//   (`fillSiteUniforms`, `fillSiteNormals`), which is what a decomposed lattice needs: a rank
//   fills its own sites and gets the numbers any other decomposition would give those sites.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension RandomStream {
    /// Traps unless `count` more blocks fit in the substream, so the loops below need no check.
    @inlinable @inline(__always)
    func requireBlocks(_ count: Int) {
        precondition(Int(nextBlock) + count <= Int(Self.blocksPerSubstream),
                     "RandomStream: substream exhausted (2^24 blocks); use another step or site index")
    }

    /// Fills `out` with what `out.count` calls of `uniform()` would return, two per block.
    @inlinable
    public mutating func fillUniforms(_ out: UnsafeMutableBufferPointer<Double>) {
        let n = out.count
        var i = 0
        while i < n && position <= 2 {
            out[i] = uniform()
            i += 1
        }
        let pairs = (n - i) / 2
        if pairs > 0 {
            requireBlocks(pairs)
            var c = base
            var b = SIMD4<UInt32>.zero
            for _ in 0..<pairs {
                c[3] = base[3] | nextBlock
                b = Philox4x32.block(counter: c, key: key)
                out[i] = Self.uniform(high: b[0], low: b[1])
                out[i &+ 1] = Self.uniform(high: b[2], low: b[3])
                nextBlock &+= 1
                i &+= 2
            }
            buffer = b
            position = 4
        }
        while i < n {
            out[i] = uniform()
            i += 1
        }
    }

    /// Fills `out` with what `out.count` calls of `normal()` would return, one block per pair.
    @inlinable
    public mutating func fillNormals(_ out: UnsafeMutableBufferPointer<Double>) {
        let n = out.count
        var i = 0
        if i < n && hasCachedNormal {
            out[i] = normal()
            i += 1
        }
        let pairs = (n - i) / 2
        if pairs > 0 {
            requireBlocks(pairs)
            var c = base
            var b = SIMD4<UInt32>.zero
            for _ in 0..<pairs {
                c[3] = base[3] | nextBlock
                b = Philox4x32.block(counter: c, key: key)
                let z = Self.normalPair(b)
                out[i] = z.0
                out[i &+ 1] = z.1
                nextBlock &+= 1
                i &+= 2
            }
            buffer = b
            position = 4
        }
        if i < n {
            out[i] = normal()
        }
    }

    /// Fills `out[i]` with `substream(site: site + i).uniform()`, i.e. word 0–1 of block 0 of each site.
    @inlinable
    public func fillSiteUniforms(_ out: UnsafeMutableBufferPointer<Double>) {
        precondition(site + out.count <= Self.indexLimit,
                     "RandomStream: sites \(site)..<\(site + out.count) exceed 2^32")
        var c = base
        var s = base[0]
        for i in 0..<out.count {
            c[0] = s
            let b = Philox4x32.block(counter: c, key: key)
            out[i] = Self.uniform(high: b[0], low: b[1])
            s &+= 1
        }
    }

    /// Fills `out[i]` with `substream(site: site + i).normal()`: the cosine branch of block 0 of each site.
    @inlinable
    public func fillSiteNormals(_ out: UnsafeMutableBufferPointer<Double>) {
        precondition(site + out.count <= Self.indexLimit,
                     "RandomStream: sites \(site)..<\(site + out.count) exceed 2^32")
        var c = base
        var s = base[0]
        for i in 0..<out.count {
            c[0] = s
            let b = Philox4x32.block(counter: c, key: key)
            let u1 = Self.uniform(high: b[0], low: b[1])
            let u2 = Self.uniform(high: b[2], low: b[3])
            out[i] = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            s &+= 1
        }
    }
}
