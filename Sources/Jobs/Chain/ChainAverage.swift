import Numerics
import Store

/// Independent chains at one point combined: the mean of their estimates, its error (theirs added
/// in quadrature, over n), and the mean τ_int with its error. NaN throughout when any chain's
/// analysis failed (too few measurements, a non-finite value in the series).
struct ChainAverage {
    let value: Double
    let error: Double
    let tauInt: Double
    let tauIntError: Double

    /// Combines the analyses of the chains at one point, in chain order.
    init(_ analyses: [GammaAnalysis?]) {
        guard !analyses.isEmpty, analyses.allSatisfy({ $0 != nil }) else {
            (value, error, tauInt, tauIntError) = (.nan, .nan, .nan, .nan)
            return
        }
        let a = analyses.map { $0! }, n = Double(a.count)
        value = a.map(\.value).reduce(0, +) / n
        error = a.map { $0.error * $0.error }.reduce(0, +).squareRoot() / n
        tauInt = a.map(\.tauInt).reduce(0, +) / n
        tauIntError = a.map { $0.tauIntError * $0.tauIntError }.reduce(0, +).squareRoot() / n
    }

    /// Value and error.
    var estimate: [Double] { [value, error] }
    /// Value, error, τ_int and its error.
    var all: [Double] { [value, error, tauInt, tauIntError] }
}

extension SeriesRecorder {
    /// The cells of point `point`, in chain order.
    func cells(ofPoint point: Int) -> Range<Int> { (point * chains)..<((point + 1) * chains) }

    /// The Γ-method analysis of one component of every chain at `point`, combined (rank 0 only).
    func average(_ component: Int, point: Int) -> ChainAverage {
        ChainAverage(cells(ofPoint: point).map { try? GammaAnalysis(series(component, cell: $0)) })
    }

    /// The Γ-method analysis of f(components) of every chain at `point`, combined (rank 0 only).
    func average(_ components: [Int], point: Int, _ f: @escaping ([Double]) -> Double) -> ChainAverage {
        ChainAverage(cells(ofPoint: point).map { cell in try? GammaAnalysis(components.map { Array(series($0, cell: cell)) }, function: f) })
    }
}
