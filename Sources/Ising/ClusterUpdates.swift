import Foundation
import Lattice
import Numerics

/// Wolff and Swendsen–Wang cluster updates of a whole lattice held by one rank (replica mode).
///
/// Bond activations are keyed by (replica, sweep, site, direction), so a cluster is the same
/// whichever rank grows it. A field h ≠ 0 is handled by accepting a cluster flip with the
/// Metropolis probability of its field energy (Wolff) or choosing each cluster's sign from its
/// conditional distribution (Swendsen–Wang); both keep detailed balance.
public final class ClusterUpdate {
    public let model: IsingModel
    public let seed: UInt64
    private let neighbours: [Int32]
    private var stack: [Int32]
    private var inCluster: [Bool]
    private var parent: [Int32]

    public init(model: IsingModel, seed: UInt64) {
        self.model = model
        self.seed = seed
        self.neighbours = model.geometry.neighbourTable()
        self.stack = []
        self.inCluster = [Bool](repeating: false, count: model.geometry.volume)
        self.parent = []
    }

    /// The activation word for the bond from `site` in `direction` (0 ..< 2d).
    @inline(__always)
    private func bondWord(_ purpose: RandomStream.Purpose, replica: Int, sweep: Int, site: Int, direction: Int) -> UInt32 {
        RandomStream(seed: seed, purpose: purpose, replica: replica, step: sweep, site: site).block(direction / 4)[direction % 4]
    }

    private func activation(_ beta: Double) -> UInt64 {
        let p = 1 - exp(-2 * beta * model.coupling)
        return p >= 1 ? 1 << 32 : UInt64((max(0, p) * 4_294_967_296).rounded(.down))
    }

    /// Grows and flips one Wolff cluster; returns its size (0 when a field rejected the flip).
    @discardableResult
    public func wolff(_ spins: UnsafeMutableBufferPointer<Int8>, beta: Double, replica: Int, sweep: Int) -> Int {
        let volume = model.geometry.volume, degree = 2 * model.geometry.dimension
        var draw = RandomStream(seed: seed, purpose: .isingWolff, replica: replica, step: sweep, site: volume)
        let start = draw.integer(below: volume)
        let threshold = activation(beta)
        let sign = spins[start]
        stack.removeAll(keepingCapacity: true)
        var members: [Int32] = [Int32(start)]
        inCluster[start] = true
        stack.append(Int32(start))
        while let site = stack.popLast() {
            for direction in 0..<degree {
                let next = Int(neighbours[degree * Int(site) + direction])
                if inCluster[next] || spins[next] != sign { continue }
                if UInt64(bondWord(.isingWolff, replica: replica, sweep: sweep, site: Int(site), direction: direction)) < threshold {
                    inCluster[next] = true
                    stack.append(Int32(next))
                    members.append(Int32(next))
                }
            }
        }
        for m in members { inCluster[Int(m)] = false }
        if model.field != 0 {
            // Flipping changes the field energy by 2h·sign·|C|.
            let deltaE = 2 * model.field * Double(sign) * Double(members.count)
            if deltaE > 0 && draw.uniform() >= exp(-beta * deltaE) { return 0 }
        }
        for m in members { spins[Int(m)] = -sign }
        return members.count
    }

    private func find(_ i: Int32) -> Int32 {
        var root = i
        while parent[Int(root)] != root { root = parent[Int(root)] }
        var node = i
        while parent[Int(node)] != root { let next = parent[Int(node)]; parent[Int(node)] = root; node = next }
        return root
    }

    /// One Swendsen–Wang update: bonds between equal spins activated with 1 − e^{−2βJ}, then every
    /// cluster set to + or − from its conditional distribution (probability ½ each when h = 0).
    public func swendsenWang(_ spins: UnsafeMutableBufferPointer<Int8>, beta: Double, replica: Int, sweep: Int) {
        let volume = model.geometry.volume, d = model.geometry.dimension, degree = 2 * d
        let threshold = activation(beta)
        parent = (0..<Int32(volume)).map { $0 }
        for site in 0..<volume {
            let block = RandomStream(seed: seed, purpose: .isingSwendsenWang, replica: replica, step: sweep, site: site).block(0)
            for axis in 0..<d {
                let next = Int(neighbours[degree * site + 2 * axis])  // forward bonds only: each bond once
                if spins[next] == spins[site] && UInt64(block[axis]) < threshold {
                    let a = find(Int32(site)), b = find(Int32(next))
                    // The smaller index becomes the root, so the root is the cluster's first site.
                    if a < b { parent[Int(b)] = a } else if b < a { parent[Int(a)] = b }
                }
            }
        }
        var sizes = [Int](repeating: 0, count: volume)
        for site in 0..<volume { sizes[Int(find(Int32(site)))] += 1 }
        for site in 0..<volume {
            let root = Int(find(Int32(site)))
            if root == site {
                // The flip word of a cluster is word 3 of its root's block: free of the bond words.
                let u = RandomStream(seed: seed, purpose: .isingSwendsenWang, replica: replica, step: sweep, site: site).block(0)[3]
                let pPlus = 1 / (1 + exp(-2 * beta * model.field * Double(sizes[site])))
                sizes[site] = Double(u) / 4_294_967_296 < pPlus ? 1 : -1
            }
            spins[site] = Int8(sizes[root])
        }
    }
}
