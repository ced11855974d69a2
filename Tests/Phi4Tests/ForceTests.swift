import Lattice
import Phi4
import XCTest

/// The force kernel against a central difference of the action, site by site.
final class ForceTests: XCTestCase {
    /// Every path of the kernel: scalar rows, 2D planes in one vector run, 3D planes whose middle
    /// rows go as one run (three and four rows, the last row's forward neighbour wrapping to the
    /// first), 3D planes of two rows (row by row), and 4D.
    func testForceIsMinusTheGradientOfTheAction() {
        for extents in [[6, 4], [2, 8], [4, 16], [4, 6, 2], [4, 4, 8], [3, 3, 16], [3, 2, 8], [2, 4, 4, 6], [2, 2, 3, 8]] {
            let geometry = Geometry(extents: extents)
            let action = Phi4Action(geometry: geometry, couplings: Phi4Couplings(kappa: 0.17, lambda: 0.8))
            let field = HaloField<Double>(decomposition: SlabDecomposition(geometry: geometry, parts: 1)!, part: 0, initial: 0)
            var state: UInt64 = 0x9E3779B97F4A7C15
            for i in field.owned.indices {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                field.owned[i] = Double(state >> 11) * 0x1p-53 * 3 - 1.5
            }
            let n = field.owned.count, planes = field.planes.count
            let force = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
            let sums = UnsafeMutableBufferPointer<Double>.allocate(capacity: planes)
            defer { force.deallocate(); sums.deallocate() }
            force.initialize(repeating: 0)
            func totalAction() -> Double {
                wrapHalos(field)
                action.planeActions(field, into: sums)
                return sums.reduce(0, +)
            }
            wrapHalos(field)
            action.kick(field, momenta: force, by: 1, planes: 1..<(planes + 1))
            let delta = 1e-5
            for site in 0..<n {
                let saved = field.owned[site]
                field.owned[site] = saved + delta
                let up = totalAction()
                field.owned[site] = saved - delta
                let down = totalAction()
                field.owned[site] = saved
                let numeric = -(up - down) / (2 * delta)
                XCTAssertEqual(force[site], numeric, accuracy: 1e-6 * max(1, abs(numeric)), "\(extents) site \(geometry.coordinates(of: site))")
            }
        }
    }

    /// The halos of a single-slab field are the wrapped boundary planes.
    private func wrapHalos(_ field: HaloField<Double>) {
        let v = field.planeVolume, p = field.planes.count, s = field.storage
        for i in 0..<v {
            s[i] = s[p * v + i]
            s[(p + 1) * v + i] = s[v + i]
        }
    }
}
