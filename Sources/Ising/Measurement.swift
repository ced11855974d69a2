import Cluster
import Lattice

/// One measurement of a configuration: energy and magnetisation per site and the moments the
/// observables are built from.
public struct IsingMeasurement: Sendable, Equatable {
    /// E/V with E = −J Σ⟨ij⟩ sᵢsⱼ − h Σ sᵢ.
    public let energy: Double
    /// m = Σ sᵢ / V.
    public let magnetization: Double

    public var absoluteMagnetization: Double { abs(magnetization) }
    public var magnetizationSquared: Double { magnetization * magnetization }
    public var magnetizationFourth: Double { magnetizationSquared * magnetizationSquared }

    /// Measures `field`, whose halos must be current. Collective over the decomposition's ranks:
    /// the bond and spin sums are exact integers, so the result does not depend on the split.
    public static func measure(_ field: HaloField<Int8>, model: IsingModel, communicator: Communicator?) throws(MPIError) -> IsingMeasurement {
        let geometry = model.geometry, v = field.planeVolume, l = geometry.extents.last!
        let spins = field.storage.baseAddress!
        var bonds = 0, total = 0
        for plane in 1...field.planes.count {
            for row in 0..<(v / l) {
                let here = spins + plane * v + row * l
                let below = here + v  // the next plane along axis 0 (the upper halo for the last)
                var inPlane: UnsafeMutablePointer<Int8>? = nil
                if geometry.dimension == 3 {
                    let l1 = geometry.extents[1]
                    inPlane = spins + plane * v + ((row + 1) % l1) * l
                }
                for x in 0..<l {
                    let s = Int(here[x])
                    total += s
                    var neighbours = Int(here[x == l - 1 ? 0 : x + 1]) + Int(below[x])
                    if let inPlane { neighbours += Int(inPlane[x]) }
                    bonds += s * neighbours
                }
            }
        }
        var sums = [Int64(bonds), Int64(total)]
        if let communicator, field.decomposition.parts > 1 { try communicator.allreduce(&sums, .sum) }
        let volume = Double(geometry.volume)
        return IsingMeasurement(energy: (-model.coupling * Double(sums[0]) - model.field * Double(sums[1])) / volume,
                           magnetization: Double(sums[1]) / volume)
    }
}
