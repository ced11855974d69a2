// Purposes keep the random numbers of different jobs inside one run apart: the momenta of an HMC
// trajectory and its accept/reject draw use the same (replica, step, site), so without a purpose
// they would reuse the same Philox blocks and be correlated.

extension RandomStream {
    /// Why numbers are drawn; one byte of the Philox counter, so distinct purposes never share a block.
    ///
    /// Engines add their own purposes in an extension. Numbers must stay fixed once released,
    /// because changing one changes every result drawn with it. Convention for who owns which raw
    /// values (only distinctness within one run matters, but a convention avoids accidents when
    /// `Vacua` uses `Learning`):
    ///
    /// | range    | owner                                    |
    /// |----------|------------------------------------------|
    /// | 0–31     | `Numerics` (the general purposes below)  |
    /// | 32–63    | `Ising`                                  |
    /// | 64–95    | `Phi4`                                   |
    /// | 96–127   | `Learning`                               |
    /// | 128–159  | `Vacua`                                  |
    /// | 160–175  | `Generative`                             |
    /// | 176–191  | `Jobs`                                   |
    /// | 192–255  | tests, benchmarks and experiments        |
    public struct Purpose: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// Number of distinct purposes; the counter reserves 8 bits for the purpose.
        @inlinable public static var limit: UInt32 { 1 << 8 }

        /// The value stored in bits 24–31 of counter word 3; must be below `limit`.
        public let rawValue: UInt32

        /// A purpose with this raw value; traps if it does not fit in the counter's purpose byte.
        @inlinable
        public init(rawValue: UInt32) {
            precondition(rawValue < Self.limit,
                         "RandomStream.Purpose raw value \(rawValue) must be below \(Self.limit)")
            self.rawValue = rawValue
        }

        /// Examples, smoke tests and `ensemble` demos; never used by a production engine.
        public static let demo = Purpose(rawValue: 0)
        /// Initial configurations (hot starts, random weights).
        public static let initialization = Purpose(rawValue: 1)
        /// Local updates: Metropolis and heat-bath proposals, cluster bond activation.
        public static let update = Purpose(rawValue: 2)
        /// HMC momentum refreshes.
        public static let momenta = Purpose(rawValue: 3)
        /// Metropolis accept/reject decisions taken once per step (HMC, global moves).
        public static let acceptReject = Purpose(rawValue: 4)
        /// Replica-exchange (parallel tempering) swap decisions.
        public static let exchange = Purpose(rawValue: 5)
        /// Shuffles and sub-sampling of data sets, and mutation/crossover choices of searches.
        public static let sampling = Purpose(rawValue: 6)

        /// Names the built-in purposes, the raw value otherwise, for logs and error messages.
        public var description: String {
            switch rawValue {
            case 0: return "demo"
            case 1: return "initialization"
            case 2: return "update"
            case 3: return "momenta"
            case 4: return "acceptReject"
            case 5: return "exchange"
            case 6: return "sampling"
            default: return "purpose(\(rawValue))"
            }
        }
    }
}
