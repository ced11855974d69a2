/// The distribution a generative sampler targets, p(φ) ∝ e^{−S(φ)}, given as the action of a
/// lattice field theory on whole-lattice fields. The sampler sees only this: the φ⁴ engine
/// satisfies it through an adapter in the app layer, so that no engine imports another.
public protocol LatticeAction: AnyObject {
    /// The lattice extents; a field has `extents.reduce(1, *)` sites, the last axis contiguous.
    var extents: [Int] { get }
    /// S of each of the `batch` fields in `fields` (`batch × sites`, one field after another),
    /// and, unless nil, ∂S/∂φ into `gradient` (same layout).
    func evaluate(_ fields: UnsafeBufferPointer<Double>, batch: Int, gradient: UnsafeMutableBufferPointer<Double>?) -> [Double]
}

extension LatticeAction {
    /// Sites of one field.
    public var sites: Int { extents.reduce(1, *) }
}
