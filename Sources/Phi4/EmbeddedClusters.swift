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
/// The activation of the bond from x along axis μ (d ≤ 4) is word μ of block 0 of the substream
/// (phi4Cluster, replica, update, site x); a cluster's flip is bit 0 of word x mod 4 of block 0 of
/// (phi4ClusterFlip, replica, update, site ⌊x/4⌋) at its smallest site x. Both come from the
/// batch generator, a whole lattice at a time.
public final class EmbeddedClusters {
    /// The lattice.
    public let geometry: Geometry
    /// κ, which sets the bond probabilities 1 − exp(−4κ φₓφ_y) of aligned neighbours.
    public let kappa: Double
    /// The root of the bond and flip draws.
    public let seed: UInt64
    private var parent: [Int32]
    private var flips: [Bool]
    private let words: UnsafeMutableBufferPointer<UInt32>

    /// Cluster updates of fields on `geometry` at `kappa`, drawing from `seed`.
    public init(geometry: Geometry, kappa: Double, seed: UInt64) {
        precondition(geometry.volume < Int(Int32.max), "lattice too large for 32-bit cluster labels")
        self.geometry = geometry
        self.kappa = kappa
        self.seed = seed
        self.parent = [Int32](repeating: 0, count: geometry.volume)
        self.flips = [Bool](repeating: false, count: geometry.volume)
        self.words = .allocate(capacity: 4 * geometry.volume)
    }

    deinit { words.deallocate() }

    /// One Swendsen–Wang update of `phi` (all sites, row-major); returns the number of clusters.
    @discardableResult
    public func update(_ phi: UnsafeMutableBufferPointer<Double>, replica: Int, update: Int) -> Int {
        let n = geometry.volume, d = geometry.dimension
        precondition(phi.count == n && d <= 4)
        for i in 0..<n { parent[i] = Int32(i) }
        let bonds = words
        RandomStream.fillWords(seed: seed, purpose: .phi4Cluster, replica: replica, step: update, firstBlock: 0, into: bonds)
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
                for axis in 0..<d {
                    let y = geometry.neighbour(of: x, axis: axis, forward: true)
                    let product = phi[x] * phi[y]
                    guard product > 0 else { continue }
                    let u = (Double(bonds[4 * x + axis]) + 0.5) * 0x1p-32
                    if u < -expm1(-4 * kappa * product) {
                        let a = root(x), b = root(y)
                        // The smaller site becomes the root, so a cluster's root is its smallest site.
                        if a < b { parent[b] = Int32(a) } else if b < a { parent[a] = Int32(b) }
                    }
                }
            }
            let flipWords = UnsafeMutableBufferPointer(rebasing: bonds[0..<n])
            RandomStream.fillWords(seed: seed, purpose: .phi4ClusterFlip, replica: replica, step: update, firstBlock: 0, into: flipWords)
            var clusters = 0
            // Roots are their clusters' smallest sites, so in site order a root comes before its members.
            flips.withUnsafeMutableBufferPointer { flips in
                for x in 0..<n {
                    let r = root(x)
                    if r == x {
                        clusters += 1
                        flips[x] = flipWords[x] & 1 == 1
                    }
                    if flips[r] { phi[x] = -phi[x] }
                }
            }
            return clusters
        }
    }
}
