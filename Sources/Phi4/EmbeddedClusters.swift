import Foundation
import Lattice
import Numerics

/// Swendsen–Wang updates of the Ising signs embedded in φ (Brower & Tamayo 1989) on a whole
/// lattice held by one rank.
///
/// The potential is even in φ, so flipping the sign of φ on a set of sites changes only the
/// hopping terms across the set's boundary: with sₓ = sign φₓ the embedded Ising model has
/// couplings Jₓᵧ = 2κ|φₓφᵧ|. A bond with φₓφᵧ > 0 is activated with probability
/// 1 − e^{−4κφₓφᵧ}, and each cluster of activated bonds flips with probability ½. This keeps
/// e^{−S} exactly and moves the sign structure that HMC, whose single-site barriers grow with λ,
/// cannot: it is what makes large λ and the critical region sampleable.
///
/// The activation of the bond from x along axis μ is word μ mod 4 of block μ/4 of the substream
/// (phi4Cluster, replica, update, site x); a cluster's flip is word 0 of block 2 at its smallest site.
public final class EmbeddedClusters {
    public let geometry: Geometry
    public let kappa: Double
    public let seed: UInt64
    private var parent: [Int32]
    private var flips: [Bool]

    public init(geometry: Geometry, kappa: Double, seed: UInt64) {
        precondition(geometry.volume < Int(Int32.max), "lattice too large for 32-bit cluster labels")
        self.geometry = geometry
        self.kappa = kappa
        self.seed = seed
        self.parent = [Int32](repeating: 0, count: geometry.volume)
        self.flips = [Bool](repeating: false, count: geometry.volume)
    }

    /// One Swendsen–Wang update of `phi` (all sites, row-major); returns the number of clusters.
    @discardableResult
    public func update(_ phi: UnsafeMutableBufferPointer<Double>, replica: Int, update: Int) -> Int {
        let n = geometry.volume, d = geometry.dimension
        precondition(phi.count == n)
        for i in 0..<n { parent[i] = Int32(i) }
        return parent.withUnsafeMutableBufferPointer { parent in
            @inline(__always)
            func root(_ x: Int) -> Int {
                var r = x
                while Int(parent[r]) != r { r = Int(parent[r]) }
                var y = x
                while Int(parent[y]) != r {
                    let next = Int(parent[y])
                    parent[y] = Int32(r)
                    y = next
                }
                return r
            }
            for x in 0..<n {
                let stream = RandomStream(seed: seed, purpose: .phi4Cluster, replica: replica, step: update, site: x)
                var block = stream.block(0)
                for axis in 0..<d {
                    if axis == 4 { block = stream.block(1) }
                    let y = geometry.neighbour(of: x, axis: axis, forward: true)
                    let product = phi[x] * phi[y]
                    guard product > 0 else { continue }
                    let u = (Double(block[axis % 4]) + 0.5) * 0x1p-32
                    if u < -expm1(-4 * kappa * product) {
                        let a = root(x), b = root(y)
                        // The smaller site becomes the root, so a cluster's root is its smallest site.
                        if a < b { parent[b] = Int32(a) } else if b < a { parent[a] = Int32(b) }
                    }
                }
            }
            var clusters = 0
            // Roots are their clusters' smallest sites, so in site order a root comes before its members.
            flips.withUnsafeMutableBufferPointer { flips in
                for x in 0..<n {
                    let r = root(x)
                    if r == x {
                        clusters += 1
                        flips[x] = RandomStream(seed: seed, purpose: .phi4Cluster, replica: replica, step: update, site: x).block(2)[0] & 1 == 1
                    }
                    if flips[r] { phi[x] = -phi[x] }
                }
            }
            return clusters
        }
    }
}
