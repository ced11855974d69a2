import Generative
import Lattice
import Phi4

/// The φ⁴ action as a generative sampler's target, computed by the φ⁴ engine itself (the kernels
/// HMC uses), so that a flow and HMC sample exactly the same distribution. Each field is the
/// whole lattice on one rank: its halos are the periodic images of its own boundary planes.
public final class Phi4Target: LatticeAction {
    /// The lattice extents.
    public let extents: [Int]
    private let action: Phi4Action
    private let field: HaloField<Double>
    private let momenta: UnsafeMutableBufferPointer<Double>
    private let planes: [Double]

    /// The target e^{−S} of the φ⁴ action with `couplings` (hopping form) on `extents`.
    public init(extents: [Int], couplings: Phi4Couplings) {
        let geometry = Geometry(extents: extents)
        self.extents = extents
        action = Phi4Action(geometry: geometry, couplings: couplings)
        field = HaloField(decomposition: SlabDecomposition(geometry: geometry, parts: 1)!, part: 0, initial: 0)
        momenta = .allocate(capacity: geometry.volume)
        planes = [Double](repeating: 0, count: extents[0])
    }

    deinit { momenta.deallocate() }

    /// S of each field and ∂S/∂φ, from the φ⁴ engine's plane sums and force kernel.
    public func evaluate(_ fields: UnsafeBufferPointer<Double>, batch: Int, gradient: UnsafeMutableBufferPointer<Double>?) -> [Double] {
        let v = sites, p = extents[0]
        var sums = planes
        return (0..<batch).map { b in
            load(UnsafeBufferPointer(rebasing: fields[(b * v)..<((b + 1) * v)]))
            let s = sums.withUnsafeMutableBufferPointer { action.planeActions(field, into: $0); return $0.reduce(0, +) }
            if let gradient {
                // The engine adds h·F with F = −∂S/∂φ: h = −1 on zero momenta leaves ∂S/∂φ.
                momenta.update(repeating: 0)
                action.kick(field, momenta: momenta, by: -1, planes: 1..<(p + 1))
                _ = UnsafeMutableBufferPointer(rebasing: gradient[(b * v)..<((b + 1) * v)]).update(fromContentsOf: momenta)
            }
            return s
        }
    }

    /// Per plane of axis 0, Σφ, Σφ² and the action S_τ of one field: what HMC's measurement is
    /// made of, and S as `evaluate` sums it (the planes in order).
    public func planeSums(_ phi: UnsafeBufferPointer<Double>) -> (sums: [Double], squares: [Double], actions: [Double]) {
        load(phi)
        let p = extents[0], v = field.planeVolume, storage = field.storage
        var actions = planes, sums = planes, squares = planes
        actions.withUnsafeMutableBufferPointer { action.planeActions(field, into: $0) }
        for plane in 0..<p {
            var s = 0.0, s2 = 0.0
            for i in 0..<v {
                let x = storage[(plane + 1) * v + i]
                s += x
                s2 += x * x
            }
            sums[plane] = s
            squares[plane] = s2
        }
        return (sums, squares, actions)
    }

    /// Copies `phi` into the halo field, with the periodic images in place of a halo exchange:
    /// plane P below plane 1, plane 1 above plane P.
    private func load(_ phi: UnsafeBufferPointer<Double>) {
        _ = field.owned.update(fromContentsOf: phi)
        let p = extents[0], planeVolume = field.planeVolume, storage = field.storage
        for i in 0..<planeVolume {
            storage[i] = storage[p * planeVolume + i]
            storage[(p + 1) * planeVolume + i] = storage[planeVolume + i]
        }
    }
}
