import Cluster
import Store

/// An observable measured on every chain at every measurement: one number, or `width` numbers
/// along an axis of its own (the correlator G(t)).
struct Observable {
    let name: String
    var width = 1
    /// The name of its own axis when `width` > 1, e.g. `t`.
    var axis: String? = nil
    /// Its units and long name (and definition where the name leaves it open).
    var meaning: Meaning? = nil
    /// Further attributes, set after the meaning's.
    var attributes: [(String, String)] = []

    /// The dataset's extent past [point, chain, measurement]: none, or [width].
    var ownShape: [Int] { width > 1 ? [width] : [] }
    /// Zeros for those axes, for offsets and empty counts.
    var ownZeros: [Int] { width > 1 ? [0] : [] }
}

/// Where each chain's measurements are made.
enum SeriesPlacement {
    /// Every rank measures every chain alike (one lattice split over the ranks).
    case everyRank
    /// Each chain lives on one rank (whole lattices spread over the ranks).
    case oneRankEach
}

/// The measurement series of a chain kind: `observables/<name>` shaped [point, chain, measurement]
/// (plus the observable's own axis), and `observables/<index>` saying after which step each
/// measurement was made. Measurements collect between checkpoints, are gathered to rank 0, which
/// writes them and keeps every series for the summary. A "cell" is point · chains + chain.
final class SeriesRecorder {
    let observables: [Observable]
    let points: Int
    let chains: Int
    let measurements: Int
    let placement: SeriesPlacement
    /// The name of the point axis, e.g. `temperature`.
    let pointAxis: String
    /// The name of the measurement-index dataset, e.g. `sweep`.
    let indexName: String
    /// The value stored in the index for measurement m.
    let label: (Int) -> Int64
    /// Numbers per cell and measurement: the observables' widths added up.
    let components: Int
    /// The first component of each observable.
    let offsets: [Int]
    var cells: Int { points * chains }
    /// The measurements written so far.
    private(set) var recorded = 0
    /// Rank 0's copy of every series: values[component][cell · measurements + m].
    private var values: [[Double]]
    /// Measurements not yet written: pending[(k · components + component) · cells + cell] for measurement recorded + k.
    private var pending: [Double] = []
    private var datasets: [TrackedDataset] = []
    private var index: TrackedDataset?
    private let keeps: Bool

    init(observables: [Observable], points: Int, chains: Int, measurements: Int, placement: SeriesPlacement, pointAxis: String,
         indexName: String, isRoot: Bool, label: @escaping (Int) -> Int64) {
        self.observables = observables
        self.points = points
        self.chains = chains
        self.measurements = measurements
        self.placement = placement
        self.pointAxis = pointAxis
        self.indexName = indexName
        self.label = label
        var offsets: [Int] = [], running = 0
        for o in observables {
            offsets.append(running)
            running += o.width
        }
        self.offsets = offsets
        components = running
        keeps = isRoot
        values = [[Double]](repeating: isRoot ? [Double](repeating: 0, count: points * chains * measurements) : [], count: components)
    }

    /// The datasets, for the kind's schema.
    var declarations: [DatasetDeclaration] {
        // The measurement axis is named after its index (`sweep`), whose values label it.
        observables.map { o in
            DatasetDeclaration(path: "observables/" + o.name, element: Double.self, shape: [points, chains, measurements] + o.ownShape,
                               dimensions: [pointAxis, "chain", indexName] + (o.axis.map { [$0] } ?? []),
                               attributes: (o.meaning?.attributes ?? []) + o.attributes, axis: 2)
        } + [DatasetDeclaration(path: "observables/" + indexName, element: Int64.self, shape: [measurements], dimensions: [indexName],
                                attributes: Meaning(units: "1", longName: "the \(indexName) after which each measurement was made").attributes)]
    }

    /// Takes the opened datasets of the run.
    func attach(_ opened: RunDatasets) {
        datasets = observables.map { opened["observables/" + $0.name] }
        index = opened["observables/" + indexName]
    }

    /// Notes the values of observable `observable` of cell `cell` at measurement `measurement`
    /// (not yet written; a number for each component).
    func add(measurement: Int, cell: Int, observable: Int, _ numbers: some Collection<Double>) {
        let k = measurement - recorded
        precondition(k >= 0 && numbers.count == observables[observable].width, "measurement \(measurement) of \(observables[observable].name) does not fit")
        holdPending(k + 1)
        for (j, x) in numbers.enumerated() { pending[(k * components + offsets[observable] + j) * cells + cell] = x }
    }

    /// Notes the value of the single-number observable `observable`; see the general form.
    func add(measurement: Int, cell: Int, observable: Int, _ number: Double) {
        add(measurement: measurement, cell: cell, observable: observable, CollectionOfOne(number))
    }

    /// Writes the measurements up to `measured` (gathered to rank 0 when the chains are spread
    /// over the ranks) and rank 0 keeps them. Collective.
    func record(upTo measured: Int, communicator: Communicator) throws {
        let count = measured - recorded
        guard count > 0 else { return }
        holdPending(count)
        // Each chain lives on one rank, so the sum over ranks assembles the block exactly.
        if placement == .oneRankEach { try communicator.allreduce(&pending, .sum) }
        let first = recorded, isRoot = communicator.isRoot
        for (o, observable) in observables.enumerated() {
            let w = observable.width
            var block = [Double](repeating: 0, count: isRoot ? cells * count * w : 0)
            if isRoot {
                for cell in 0..<cells {
                    for k in 0..<count {
                        for j in 0..<w {
                            let x = pending[(k * components + offsets[o] + j) * cells + cell]
                            block[(cell * count + k) * w + j] = x
                            values[offsets[o] + j][cell * measurements + first + k] = x
                        }
                    }
                }
            }
            try datasets[o].write(block, at: [0, 0, first] + observable.ownZeros,
                                  count: isRoot ? [points, chains, count] + observable.ownShape : [0, 0, 0] + observable.ownZeros)
        }
        try index?.write(isRoot ? (first..<measured).map(label) : [], at: [first], count: [isRoot ? count : 0])
        pending.removeAll(keepingCapacity: true)
        recorded = measured
    }

    /// Makes room in `pending` for `measurements` measurements, zero-filled.
    private func holdPending(_ measurements: Int) {
        let needed = measurements * components * cells
        if pending.count < needed { pending.append(contentsOf: repeatElement(0, count: needed - pending.count)) }
    }

    /// Reads the first `measured` measurements back from the run file of a resumed run. Collective.
    func restore(measured: Int) throws {
        recorded = measured
        guard measured > 0 else { return }
        for (o, observable) in observables.enumerated() {
            let w = observable.width
            let stored = try datasets[o].dataset.read(Double.self, at: [0, 0, 0] + observable.ownZeros,
                                                      count: keeps ? [points, chains, measured] + observable.ownShape
                                                                   : [0, 0, 0] + observable.ownZeros)
            guard keeps else { continue }
            for cell in 0..<cells {
                for k in 0..<measured {
                    for j in 0..<w { values[offsets[o] + j][cell * measurements + k] = stored[(cell * measured + k) * w + j] }
                }
            }
        }
    }

    /// Component `component` of cell `cell`'s series (rank 0 only).
    func series(_ component: Int, cell: Int) -> ArraySlice<Double> {
        values[component][(cell * measurements)..<((cell + 1) * measurements)]
    }

    /// The first component of the observable named `name`.
    func component(_ name: String) -> Int {
        guard let o = observables.firstIndex(where: { $0.name == name }) else { preconditionFailure("no observable \(name)") }
        return offsets[o]
    }
}
