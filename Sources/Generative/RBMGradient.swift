import Numerics

/// Gradients of the mean log-likelihood of data under a `GaussianRBM`, in its parameter layout
/// (W, η, μ²). Each is ⟨−∂S/∂θ⟩ over the data (h given φ) minus the same over the model:
/// −∂S/∂Wᵢₐ = φᵢhₐ, −∂S/∂ηₐ = (hₐ − ηₐ)/σ², −∂S/∂μ² = −½Σφᵢ². Expectations over h given φ are
/// taken exactly (Rao–Blackwell), which leaves only φ to sample.
public enum RBMGradient {
    /// Σ over `fields` (`count × visible`) of −∂S/∂θ with h replaced by E[h | φ]: the statistics
    /// both the data and the model term are means of.
    public static func statistics(_ machine: GaussianRBM, fields: [Double], count: Int) -> [Double] {
        let v = machine.visible, n = machine.hidden
        var sums = [Double](repeating: 0, count: v * n + n + 1)
        for c in 0..<count {
            let phi = fields[(c * v)..<((c + 1) * v)]
            let h = machine.hiddenMean(given: phi)
            var square = 0.0
            for i in 0..<v {
                let x = phi[phi.startIndex + i]
                square += x * x
                for a in 0..<n { sums[i * n + a] += x * h[a] }
            }
            // E[(h − η)/σ² | φ] = Wᵀφ.
            for a in 0..<n { sums[v * n + a] += (h[a] - machine.hiddenCentres[a]) / (machine.sigma * machine.sigma) }
            sums[v * n + n] -= 0.5 * square
        }
        return sums
    }

    /// The exact gradient of the mean log-likelihood, given the data's mean ⟨φ⟩ and second moment
    /// ⟨φφᵀ⟩ (row-major): the model's moments are K⁻¹J and K⁻¹ + K⁻¹J(K⁻¹J)ᵀ. Nil when K is not
    /// positive definite (p(φ) is then not normalisable).
    public static func exact(_ machine: GaussianRBM, dataMean: [Double], dataSecondMoment: [Double]) -> [Double]? {
        guard let covariance = machine.kernel.inversePositiveDefinite() else { return nil }
        let v = machine.visible, j = machine.source
        let mean = (0..<v).map { i in (0..<v).reduce(0) { $0 + covariance[i, $1] * j[$1] } }
        var second = covariance.entries
        for i in 0..<v { for k in 0..<v { second[i * v + k] += mean[i] * mean[k] } }
        let data = moments(machine, mean: dataMean, second: dataSecondMoment)
        let model = moments(machine, mean: mean, second: second)
        return zip(data, model).map { $0 - $1 }
    }

    /// ⟨−∂S/∂θ⟩ with h → E[h | φ], from the first two moments of φ: ⟨φhᵀ⟩ = mηᵀ + σ²CW,
    /// ⟨Wᵀφ⟩ = Wᵀm, ⟨−½Σφ²⟩ = −½ tr C.
    private static func moments(_ machine: GaussianRBM, mean m: [Double], second c: [Double]) -> [Double] {
        let v = machine.visible, n = machine.hidden, w = machine.weights, s2 = machine.sigma * machine.sigma
        var result = [Double](repeating: 0, count: v * n + n + 1)
        for i in 0..<v {
            for a in 0..<n {
                var cw = 0.0
                for k in 0..<v { cw += c[i * v + k] * w[k * n + a] }
                result[i * n + a] = m[i] * machine.hiddenCentres[a] + s2 * cw
            }
        }
        for a in 0..<n { result[v * n + a] = (0..<v).reduce(0) { $0 + w[$1 * n + a] * m[$1] } }
        result[v * n + n] = -0.5 * (0..<v).reduce(0) { $0 + c[$1 * v + $1] }
        return result
    }
}
