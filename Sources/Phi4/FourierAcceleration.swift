import Foundation
import Lattice
import Numerics

/// Fourier acceleration of HMC (Duane, Kogut, Sinclair et al. 1988; Catterall, Karamov 2002): a
/// momentum-dependent mass in the kinetic term, K = ½ Σ_p |π̃_p|² / M_p with π̃ the unitary FFT of π.
///
/// M_p = (p̂² + m²)/(4d + m²), p̂² = Σ_μ 4 sin²(p_μ/2), so M_p ≤ 1 and long-wavelength modes, which
/// are the slow ones of the free field (ω_p² = 2κ(p̂² + m₀²)), move faster: with m² = m₀² every mode
/// has the same frequency. It works on a whole lattice held by one rank.
public final class FourierAccelerator {
    /// The mass m² of the kernel.
    public let mass: Double
    private let transform: FourierTransform
    /// √M_p and 1/M_p in the transform's (row-major) momentum order.
    private let rootKernel, inverseKernel: UnsafeMutableBufferPointer<Double>
    /// The transform's work arrays.
    private let re, im: UnsafeMutableBufferPointer<Double>

    /// Precomputes the kernel for `geometry` with mass `mass` > 0.
    public init(geometry: Geometry, mass: Double) {
        precondition(mass.isFinite && mass > 0, "the Fourier-acceleration mass must be finite and > 0")
        self.mass = mass
        let extents = geometry.extents, v = geometry.volume, d = Double(extents.count)
        transform = FourierTransform(extents: extents)
        rootKernel = .allocate(capacity: v)
        inverseKernel = .allocate(capacity: v)
        re = .allocate(capacity: v)
        re.initialize(repeating: 0)
        im = .allocate(capacity: v)
        im.initialize(repeating: 0)
        for site in 0..<v {
            var hat = 0.0, rest = site
            for l in extents.reversed() {
                let s = sin(Double.pi * Double(rest % l) / Double(l))
                hat += 4 * s * s
                rest /= l
            }
            let kernel = (hat + mass) / (4 * d + mass)
            rootKernel[site] = kernel.squareRoot()
            inverseKernel[site] = 1 / kernel
        }
    }

    deinit {
        for b in [rootKernel, inverseKernel, re, im] { b.deallocate() }
    }

    /// Turns unit normals η into momenta distributed as e^{−K}: π = F⁻¹(√M · F(η)).
    public func correlate(_ momenta: UnsafeMutableBufferPointer<Double>) {
        filter(momenta, by: rootKernel)
        _ = momenta.update(fromContentsOf: re)
    }

    /// φ += h · ∂K/∂π = h · F⁻¹(F(π)/M).
    public func drift(_ phi: UnsafeMutableBufferPointer<Double>, momenta: UnsafeMutableBufferPointer<Double>, by h: Double) {
        filter(momenta, by: inverseKernel)
        let f = phi.baseAddress!, r = re.baseAddress!
        for i in 0..<phi.count { f[i] += h * r[i] }
    }

    /// K = ½ Σ_p |F(π)_p|² / (V M_p) (the 1/V makes the unnormalised FFT unitary).
    public func kineticEnergy(_ momenta: UnsafeMutableBufferPointer<Double>) -> Double {
        load(momenta)
        transform.forward(re: re, im: im)
        let r = re.baseAddress!, i = im.baseAddress!, k = inverseKernel.baseAddress!
        var total = 0.0
        for p in 0..<re.count { total += (r[p] * r[p] + i[p] * i[p]) * k[p] }
        return 0.5 * total / Double(re.count)
    }

    /// `re` = F⁻¹(kernel · F(x)); the imaginary part is rounding only, since the kernel is even in p.
    private func filter(_ x: UnsafeMutableBufferPointer<Double>, by kernel: UnsafeMutableBufferPointer<Double>) {
        load(x)
        transform.forward(re: re, im: im)
        let r = re.baseAddress!, i = im.baseAddress!, k = kernel.baseAddress!
        for p in 0..<re.count {
            r[p] *= k[p]
            i[p] *= k[p]
        }
        transform.inverse(re: re, im: im)
    }

    /// re = x, im = 0.
    private func load(_ x: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == re.count, "Fourier acceleration needs the whole lattice on one rank")
        _ = re.update(fromContentsOf: x)
        im.update(repeating: 0)
    }
}
