import Foundation

/// Exact results for the square-lattice Ising model H = −J Σ⟨ij⟩ sᵢsⱼ − h Σ sᵢ with J = k_B = 1:
/// Kaufman's finite periodic lattice (Kaufman 1949), exhaustive enumeration of small lattices,
/// and the infinite lattice (Onsager 1944, Yang 1952). They are the oracle of the physics tests
/// and what `ensemble exact ising` prints.
///
/// Conventions shared by every function here: the lattice is an n × m torus whose 2·n·m bonds are
/// each site's bond to its right and to its lower neighbour. On a side of length 2 both of a
/// site's neighbours along that side are the same site, and the pair is then bonded twice — the
/// same lattice Kaufman's transfer matrix describes, so the formula and the enumeration agree.
/// Couplings are K = βJ = β; energies and magnetisations per site divide by n·m.
public enum ExactIsing2D {
    /// K_c = β_c = ½ ln(1 + √2), where sinh 2K_c = 1 (Kramers & Wannier 1941; Onsager 1944).
    public static let criticalCoupling: Double = 0.44068679350977151

    /// T_c = 1/K_c = 2/ln(1 + √2) (Onsager 1944).
    public static let criticalTemperature: Double = 2.2691853142130220

    /// The infinite lattice's energy per site at T_c, −√2 (Onsager 1944).
    public static let criticalEnergy: Double = -2.0.squareRoot()
}

/// The simple-cubic Ising critical point, which is known only numerically: β_c = 0.2216546
/// (Ferrenberg & Landau 1991, Phys. Rev. B 44, 5081; refined to 0.221654626(5) by Ferrenberg,
/// Xu & Landau 2018). Kept beside the exact 2D results so simulations cite one number.
public enum Ising3DReference {
    /// β_c = J/(k_B T_c) of the 3D Ising model on the simple-cubic lattice (Monte Carlo estimate).
    public static let criticalCoupling: Double = 0.2216546

    /// T_c = 1/β_c ≈ 4.5115 of the 3D Ising model (Monte Carlo estimate).
    public static let criticalTemperature: Double = 1 / criticalCoupling
}
