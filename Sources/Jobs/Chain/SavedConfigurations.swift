import Cluster
import Store

/// The configurations a chain kind saves: `configurations` shaped [point, sample, x₀, x₁, …] with
/// sample = chain · samples per chain + k (chunked by sample), and `configuration_<unit>` saying
/// after which step sample k was saved.
struct SavedConfigurations {
    let points: Int
    let chains: Int
    let samplesPerChain: Int
    let extents: [Int]
    let schedule: ChainSchedule
    /// The name of the point axis, e.g. `temperature`.
    let pointAxis: String
    private var configurations: TrackedDataset?
    private var index: TrackedDataset?

    init(points: Int, chains: Int, extents: [Int], schedule: ChainSchedule, pointAxis: String) {
        self.points = points
        self.chains = chains
        self.extents = extents
        self.schedule = schedule
        self.pointAxis = pointAxis
        samplesPerChain = schedule.saveEvery > 0 ? schedule.steps / schedule.saveEvery : 0
    }

    /// The two datasets (none when nothing is saved), holding `element`s, with `attributes` added.
    func declarations(of element: any StorableScalar.Type, attributes: [(String, String)] = []) -> [DatasetDeclaration] {
        guard samplesPerChain > 0 else { return [] }
        let index = "configuration_" + schedule.unit
        let order = "chain-major: sample = chain · samples_per_chain + k, saved after \(schedule.unit) \(index)[k]"
        return [DatasetDeclaration(path: "configurations", element: element, shape: [points, chains * samplesPerChain] + extents,
                                   chunk: [1, 1] + extents, dimensions: [pointAxis, "sample"] + extents.indices.map { "x\($0)" },
                                   attributes: attributes + [("sample_order", order)], axis: 1, period: samplesPerChain),
                DatasetDeclaration(path: index, element: Int64.self, shape: [samplesPerChain], dimensions: [index],
                                   attributes: Meaning(units: "1", longName: "the \(schedule.unit) after which sample k of each chain was saved").attributes)]
    }

    /// Takes the opened datasets of the run.
    mutating func attach(_ datasets: RunDatasets) {
        guard samplesPerChain > 0 else { return }
        configurations = datasets["configurations"]
        index = datasets["configuration_" + schedule.unit]
    }

    /// Writes each held replica's slab as sample `sample` of its chain at point `point(replica)`. Collective.
    func write<Element: StorableScalar>(_ slabs: [Slab<Element>], sample: Int, communicator: Communicator,
                                        point: (Int) -> Int) throws {
        guard let configurations, let index else { return }
        try ReplicaSlabs(communicator: communicator, extents: extents).write(slabs, into: configurations) { replica in
            [point(replica), (replica % chains) * samplesPerChain + sample]
        }
        let isRoot = communicator.isRoot
        try index.write(isRoot ? [Int64(schedule.thermalization + (sample + 1) * schedule.saveEvery)] : [],
                        at: [sample], count: [isRoot ? 1 : 0])
    }
}
