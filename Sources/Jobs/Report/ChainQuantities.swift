/// What a chain kind's `/summary` columns mean, for axis labels and captions: the scanned
/// parameter, the observables plotted against it, and the diagnostics of the chain.
struct ChainQuantities {
    /// One summary column: its name, the plot's title and the y axis's label (units or definition).
    struct Quantity {
        /// The `/summary` column; its error is the column `<column>_error` when there is one.
        let column: String
        /// The plot's title.
        let title: String
        /// The y axis's label: the definition, with units.
        let axis: String
    }

    /// The scanned parameter's column.
    let parameter: String
    /// The x axis's label.
    let parameterAxis: String
    /// Short symbol for tables and captions, e.g. "T".
    let symbol: String
    /// Physical observables, each with an `_error` column.
    let observables: [Quantity]
    /// Acceptance, ⟨ΔH⟩, τ_int and the like.
    let diagnostics: [Quantity]
    /// What a stored configuration holds, for the heat maps' colour bar.
    let configurationValue: String

    /// The quantities of `kind` ("ising", or a kind in the φ⁴ layout), or nil for a kind with no scan.
    static func of(_ kind: String) -> ChainQuantities? {
        switch kind {
        case "ising": return ising
        case "phi4", "flow-sample": return phi4
        default: return nil
        }
    }

    /// The Ising kind's summary (IsingSummary): per-site e, c, ⟨|m|⟩, χ and U₄ against T.
    static let ising = ChainQuantities(
        parameter: "temperature", parameterAxis: "temperature T (units of J/k_B)", symbol: "T",
        observables: [
            Quantity(column: "energy", title: "Energy per site", axis: "e = ⟨E⟩/V, E = −J Σ⟨ij⟩ sᵢsⱼ (units of J)"),
            Quantity(column: "specific_heat", title: "Specific heat per site", axis: "c = β²V(⟨e²⟩ − ⟨e⟩²) (units of k_B)"),
            Quantity(column: "abs_magnetization", title: "Magnetization", axis: "⟨|m|⟩, m = Σᵢ sᵢ / V"),
            Quantity(column: "susceptibility", title: "Susceptibility", axis: "χ = βV(⟨m²⟩ − ⟨|m|⟩²)"),
            Quantity(column: "binder", title: "Binder cumulant", axis: "U₄ = 1 − ⟨m⁴⟩ / (3⟨m²⟩²)"),
        ],
        diagnostics: [
            Quantity(column: "energy_tau_int", title: "τ_int of the energy", axis: "τ_int(e) (sweeps)"),
            Quantity(column: "abs_magnetization_tau_int", title: "τ_int of |m|", axis: "τ_int(|m|) (sweeps)"),
        ],
        configurationValue: "spin s")

    /// The φ⁴ layout's summary (Phi4Summary), which flow-sample runs share: observables against κ, and HMC's diagnostics.
    static let phi4 = ChainQuantities(
        parameter: "kappa", parameterAxis: "hopping parameter κ (dimensionless)", symbol: "κ",
        observables: [
            Quantity(column: "phi2", title: "⟨φ²⟩", axis: "⟨φ²⟩ = ⟨Σₓ φₓ² / V⟩ (hopping form)"),
            Quantity(column: "abs_magnetization", title: "Magnetization", axis: "⟨|M|⟩, M = Σₓ φₓ / V"),
            Quantity(column: "susceptibility", title: "Susceptibility", axis: "χ = V(⟨M²⟩ − ⟨|M|⟩²)"),
            Quantity(column: "binder", title: "Binder cumulant", axis: "U₄ = 1 − ⟨M⁴⟩ / (3⟨M²⟩²)"),
            Quantity(column: "action_density", title: "Action density", axis: "⟨S⟩ / V (dimensionless)"),
            Quantity(column: "correlation_length", title: "Correlation length", axis: "second-moment ξ (lattice units)"),
        ],
        diagnostics: [
            Quantity(column: "acceptance", title: "HMC acceptance", axis: "acceptance rate (fraction of trajectories)"),
            Quantity(column: "delta_h", title: "⟨ΔH⟩ per trajectory", axis: "⟨ΔH⟩ (dimensionless; → 0 as the step size → 0)"),
            Quantity(column: "exp_minus_delta_h", title: "Creutz's check ⟨e^−ΔH⟩", axis: "⟨e^−ΔH⟩ (= 1 for a correct HMC)"),
            Quantity(column: "phi2_tau_int", title: "τ_int of φ²", axis: "τ_int(φ²) (trajectories)"),
            Quantity(column: "abs_magnetization_tau_int", title: "τ_int of |M|", axis: "τ_int(|M|) (trajectories)"),
        ],
        configurationValue: "φ (hopping form)")
}
