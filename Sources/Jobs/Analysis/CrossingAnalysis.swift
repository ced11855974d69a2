import Foundation
import Numerics

extension RandomStream.Purpose {
    /// The block draws of a crossing's bootstrap: replica = bootstrap replica, step = the file's
    /// place among the sizes, site = the point.
    public static let crossingBootstrap = RandomStream.Purpose(rawValue: 176)
}

/// `ensemble analyze crossing`: where an observable of neighbouring lattice sizes crosses, from
/// Ising or φ⁴ scans on one parameter grid, with a block-bootstrap error.
public struct CrossingAnalysis: Sendable {
    /// An observable whose curves for different sizes cross at a critical point.
    public enum Observable: String, CaseIterable, Sendable {
        /// The Binder cumulant U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²), dimensionless, so its finite-size curves cross at T_c.
        case binder

        /// The measured series it is built from, as `/observables` names them.
        var components: [String] { ["magnetization2", "magnetization4"] }
        /// Its value from the means of `components`.
        func value(_ means: [Double]) -> Double { 1 - means[1] / (3 * means[0] * means[0]) }
        /// How a table heads it.
        var symbol: String { "U4" }
        /// Its definition, for the printed heading.
        var definition: String { "U4 = 1 - <m^4>/(3 <m^2>^2)" }
    }

    /// The crossing of one pair of neighbouring sizes.
    public struct Crossing: Sendable, Codable, Equatable {
        /// The smaller lattice (e.g. `16`) and the larger.
        public let smaller: String, larger: String
        /// The parameter (T or κ) at the crossing and its bootstrap error.
        public let parameter: Double, parameterError: Double
        /// The observable there and its bootstrap error.
        public let observable: Double, observableError: Double
        /// Bootstrap replicas whose curves did not cross (left out of the errors).
        public let failedReplicas: Int
    }

    /// The observable analysed.
    public let observable: Observable
    /// What the scans vary: `temperature` or `kappa`.
    public let parameter: String
    /// Bootstrap replicas drawn, and blocks each chain is cut into.
    public let replicas: Int, blocksPerChain: Int
    /// One crossing per pair of neighbouring sizes, smallest first.
    public let crossings: [Crossing]
    /// The files read, smallest lattice first.
    public let files: [String]

    /// Reads the scans, checks they differ only in size, and finds each neighbouring pair's crossing.
    public init(files paths: [String], observable: Observable = .binder, replicas: Int = 1000,
                blocksPerChain: Int = 32, seed: UInt64 = 1) throws(JobError) {
        guard paths.count >= 2 else { throw JobError(file: "analyze crossing", "give the scans of at least two lattice sizes") }
        var scans = try paths.map { (p: String) throws(JobError) in try FiniteSizeScan(p, components: observable.components, blockCount: blocksPerChain) }
        scans.sort { $0.volume < $1.volume }
        try Self.requireComparable(scans)
        self.observable = observable
        self.parameter = scans[0].parameter
        self.replicas = replicas
        self.blocksPerChain = blocksPerChain
        self.files = scans.map(\.path)
        let x = scans[0].points
        // Each file's curve: the central values and, per replica, a resampled curve.
        let central = scans.map { scan in scan.blocks.map { observable.value($0.mean) } }
        let resampled = scans.enumerated().map { (s, scan) in
            (0..<replicas).map { r in
                scan.blocks.enumerated().map { (p, blocks) -> Double in
                    var random = RandomStream(seed: seed, purpose: .crossingBootstrap, replica: r, step: s, site: p)
                    return observable.value(blocks.resampledMean(&random))
                }
            }
        }
        let errors = resampled.map { curves in x.indices.map { p in (try? Statistics.variance(curves.map { $0[p] }))?.squareRoot() ?? 0 } }
        var crossings: [Crossing] = []
        for s in 0..<(scans.count - 1) {
            let curve = { (k: Int, values: [Double]) in zip(values, errors[k]).map { (value: $0, error: $1) } }
            guard let estimate = CurveCrossing(x: x, small: curve(s, central[s]), large: curve(s + 1, central[s + 1])) else {
                throw JobError(file: scans[s + 1].path, "its \(observable.symbol) never crosses that of \(scans[s].path) on the \(parameter) grid \(x); scan a range that contains the critical point")
            }
            var xs: [Double] = [], ys: [Double] = []
            for r in 0..<replicas {
                if let c = CurveCrossing(x: x, small: curve(s, resampled[s][r]), large: curve(s + 1, resampled[s + 1][r])) {
                    xs.append(c.x)
                    ys.append(c.y)
                }
            }
            let sd = { (v: [Double]) in (try? Statistics.variance(v))?.squareRoot() ?? .nan }
            crossings.append(Crossing(smaller: scans[s].sizeLabel, larger: scans[s + 1].sizeLabel, parameter: estimate.x,
                                      parameterError: sd(xs), observable: estimate.y, observableError: sd(ys),
                                      failedReplicas: replicas - xs.count))
        }
        self.crossings = crossings
    }

    /// Refuses scans that differ in more than their size: kind, dimension, grid or fixed couplings.
    private static func requireComparable(_ scans: [FiniteSizeScan]) throws(JobError) {
        let first = scans[0]
        let close = { (a: [Double], b: [Double]) in a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($0)) } }
        for scan in scans.dropFirst() {
            guard scan.kind == first.kind else { throw JobError(file: scan.path, "is a \(scan.kind) run and \(first.path) a \(first.kind) run; compare scans of one kind") }
            guard scan.extents.count == first.extents.count else {
                throw JobError(file: scan.path, "is a \(scan.extents.count)D lattice and \(first.path) a \(first.extents.count)D one")
            }
            guard close(scan.points, first.points) else {
                throw JobError(file: scan.path, "scans \(scan.parameter) over \(scan.points), \(first.path) over \(first.points); the crossing needs one grid (vary only the size, e.g. with --set)")
            }
            for (name, values) in first.fixed where !close(scan.fixed[name] ?? [], values) {
                throw JobError(file: scan.path, "has \(name) = \(scan.fixed[name] ?? []) but \(first.path) has \(values); only the size may differ")
            }
        }
        for (a, b) in zip(scans, scans.dropFirst()) where a.volume == b.volume {
            throw JobError(file: b.path, "has the same lattice size (\(b.sizeLabel)) as \(a.path); give one scan per size")
        }
    }
}

extension CrossingAnalysis {
    /// The crossings as a table: sizes, the parameter and the observable with their errors.
    public var table: TerminalTable {
        let name = observable.rawValue
        return TerminalTable(
            columns: ["smaller", "larger", parameter, parameter + "_error", name, name + "_error", "failed_replicas"],
            rows: crossings.map { c in
                [.text(c.smaller), .text(c.larger), .real(c.parameter), .real(c.parameterError),
                 .real(c.observable), .real(c.observableError), .integer(Int64(c.failedReplicas))]
            })
    }

    /// What was done, in one line above the table.
    public var heading: String {
        "\(observable.definition): crossings of \(files.count) lattice sizes on one \(parameter) grid; errors from a block bootstrap "
            + "(\(replicas) replicas, \(blocksPerChain) blocks per chain)"
    }
}
