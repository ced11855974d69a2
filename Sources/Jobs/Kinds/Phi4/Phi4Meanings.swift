/// What the numbers of a φ⁴ run file are (every φ⁴-layout file: HMC runs and flow samplers). The
/// field is the hopping-form φ (φ_std = √(2κ) φ), V the number of sites, everything in lattice
/// units; averages are over the measurements of every chain at one point.
enum Phi4Meanings {
    /// The couplings of each point, in `/parameters` and the summary.
    static let parameters: [String: Meaning] = [
        "kappa": Meaning(units: "1", longName: "hopping parameter kappa"),
        "lambda": Meaning(units: "1", longName: "quartic coupling lambda of the hopping form"),
        "mass_squared": Meaning(units: "1", longName: "bare mass squared m0^2 of the standard form",
                                definition: "m0^2 = (1 - 2 lambda) / kappa - 2 d"),
        "coupling": Meaning(units: "1", longName: "quartic coupling g of the standard form", definition: "g = 6 lambda / kappa^2"),
    ]

    /// The observables measured per chain and measurement.
    static let observables: [String: Meaning] = [
        "phi2": Meaning(units: "1", longName: "phi^2 per site", definition: "V^-1 sum_x phi_x^2"),
        "magnetization": Meaning(units: "1", longName: "magnetization M per site", definition: "M = V^-1 sum_x phi_x"),
        "abs_magnetization": Meaning(units: "1", longName: "|M|, M the magnetization per site"),
        "magnetization2": Meaning(units: "1", longName: "M^2, M the magnetization per site"),
        "magnetization4": Meaning(units: "1", longName: "M^4, M the magnetization per site"),
        "action_density": Meaning(units: "1", longName: "action per site S/V", definition: "S of the hopping form (/parameters hopping_action)"),
        "delta_h": Meaning(units: "1", longName: "energy violation Delta H of the accept step",
                           definition: "HMC: H(end) - H(start) of the trajectory; flow sampler: log w - log w'"),
        "exp_minus_delta_h": Meaning(units: "1", longName: "exp(-Delta H)", definition: "<exp(-Delta H)> = 1 for an exact sampler"),
        "accepted": Meaning(units: "1", longName: "1 if the proposal was accepted, else 0"),
    ]

    /// The summary's columns beyond the couplings (`_error` and `_tau_int` columns share the units).
    static let summary: [String: Meaning] = parameters.merging(observables) { a, _ in a }.merging([
        "steps": Meaning(units: "1", longName: "molecular-dynamics steps per trajectory (mean over chains; NaN without HMC)"),
        "step_size": Meaning(units: "1", longName: "molecular-dynamics step size (mean over chains; NaN without HMC)"),
        "acceptance": Meaning(units: "1", longName: "acceptance rate", definition: "mean of accepted"),
        "delta_h": Meaning(units: "1", longName: "mean energy violation <Delta H>"),
        "phi2_tau_int": Meaning(units: "measurements", longName: "integrated autocorrelation time of phi^2 (Gamma method)"),
        "abs_magnetization_tau_int": Meaning(units: "measurements", longName: "integrated autocorrelation time of |M| (Gamma method)"),
        "susceptibility": Meaning(units: "1", longName: "susceptibility chi", definition: "chi = V (<M^2> - <|M|>^2), M the magnetization per site"),
        "binder": Meaning(units: "1", longName: "Binder cumulant U_4", definition: "U_4 = 1 - <M^4> / (3 <M^2>^2)"),
        "correlation_length": Meaning(units: "lattice spacings", longName: "second-moment correlation length xi_2",
                                      definition: "xi_2 = sqrt(G~(0) / G~(2 pi / L0) - 1) / (2 sin(pi / L0)), G~ the Fourier transform of G(t)"),
    ]) { _, b in b }

    /// G(t) per measurement, and its analysis.
    static let correlator = Meaning(units: "1", longName: "zero-momentum correlator G(t) along axis 0",
                                    definition: "G(t) = V^-1 sum_tau Phi(tau) Phi(tau + t), Phi(tau) = sum of phi over plane tau of axis 0")
    /// m_eff(t) of `/analysis`.
    static let effectiveMass = Meaning(units: "1/lattice spacing", longName: "effective mass m_eff(t)",
                                       definition: "m_eff(t) = arccosh((G(t-1) + G(t+1)) / 2G(t)), NaN where undefined")
}
