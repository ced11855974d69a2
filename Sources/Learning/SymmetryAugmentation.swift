// Lattice configurations come with exact symmetries: periodic translations, reflections of each
// axis and, for Z2-symmetric models, the global flip s → −s. Applying a random element of the group
// to each training sample teaches the network the symmetry instead of hoping it learns it. The
// element for a sample is a pure function of (seed, step, sample id), so augmented batches do not
// depend on how they were split over ranks.

import Numerics

/// Random lattice symmetries applied to training samples shaped `[channels, x₀, x₁, …]`.
public struct SymmetryAugmentation: Sendable, Equatable {
    /// Shift every axis by a uniform random offset (periodic).
    public var translations: Bool
    /// Reflect each axis with probability ½.
    public var reflections: Bool
    /// Negate the whole sample with probability ½ (only for Z₂-symmetric models and labels).
    public var globalFlip: Bool

    /// The given set of symmetries.
    public init(translations: Bool, reflections: Bool, globalFlip: Bool) {
        self.translations = translations
        self.reflections = reflections
        self.globalFlip = globalFlip
    }

    /// Whether any symmetry is applied.
    public var isActive: Bool { translations || reflections || globalFlip }

    /// Transforms each sample of `inputs` (`sampleIDs.count × shape.product`) in place.
    public func apply<Scalar: NetworkScalar>(to inputs: inout [Scalar], shape: [Int], sampleIDs: [Int],
                                             seed: UInt64, step: Int) {
        guard isActive else { return }
        let channels = shape[0], extents = Array(shape.dropFirst())
        let sites = extents.reduce(1, *), size = channels * sites
        precondition(inputs.count == sampleIDs.count * size, "SymmetryAugmentation: \(inputs.count) inputs for \(sampleIDs.count) samples of \(shape)")
        // Row-major strides of the spatial axes.
        var strides = [Int](repeating: 1, count: extents.count)
        for axis in stride(from: extents.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * extents[axis + 1] }
        var source = [Scalar](repeating: 0, count: size)
        var coordinate = [Int](repeating: 0, count: extents.count)
        for (n, id) in sampleIDs.enumerated() {
            var random = RandomStream(seed: seed, purpose: .learningAugmentation, step: step, site: id)
            let shifts = extents.map { translations ? random.integer(below: $0) : 0 }
            let reflected = extents.map { _ in reflections && random.uniform() < 0.5 }
            let sign: Scalar = globalFlip && random.uniform() < 0.5 ? -1 : 1
            let base = n * size
            for i in 0..<size { source[i] = inputs[base + i] }
            // Target site y takes source site x with x_a = (±y_a) − shift_a mod extent_a.
            for site in 0..<sites {
                var rest = site, from = 0
                for axis in 0..<extents.count {
                    coordinate[axis] = rest / strides[axis]
                    rest -= coordinate[axis] * strides[axis]
                    let e = extents[axis]
                    var x = reflected[axis] ? (e - coordinate[axis]) % e : coordinate[axis]
                    x = (x - shifts[axis] + e) % e
                    from += x * strides[axis]
                }
                for c in 0..<channels { inputs[base + c * sites + site] = sign * source[c * sites + from] }
            }
        }
    }
}
