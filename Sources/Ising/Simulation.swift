import Cluster
import Foundation
import Lattice
import Numerics

/// What an Ising simulation runs: the model, the temperatures, the chains and the updates.
public struct IsingParameters: Sendable {
    public var model: IsingModel
    /// Inverse temperatures, one per point.
    public var betas: [Double]
    /// Independent chains per temperature.
    public var chains: Int
    /// One sweep is one step of each, in order.
    public var algorithms: [UpdateAlgorithm]
    public var decomposition: Decomposition
    /// Sweeps between replica-exchange rounds; nil for none.
    public var exchangeEvery: Int?

    public init(model: IsingModel, betas: [Double], chains: Int, algorithms: [UpdateAlgorithm],
                decomposition: Decomposition, exchangeEvery: Int?) {
        self.model = model
        self.betas = betas
        self.chains = chains
        self.algorithms = algorithms
        self.decomposition = decomposition
        self.exchangeEvery = exchangeEvery
    }

    /// All replicas: replica r starts at temperature r / chains as chain r % chains.
    public var replicaCount: Int { betas.count * chains }
}

/// The replicas this rank holds and the updates that move them. Replica r's random numbers are
/// keyed by r, and exchanges swap temperatures rather than configurations, so every replica's
/// history is the same on any number of ranks in either decomposition.
///
/// Each replica has two copies of its spins: packed bits, which the local updates work on, and
/// bytes, which cluster updates, measurements, saved configurations and checkpoints use. A copy is
/// converted only when the other one is newer and the next step needs it, so a run of local
/// updates alone converts only to measure or save.
public final class IsingSimulation {
    public let parameters: IsingParameters
    public let seed: UInt64
    public let communicator: Communicator
    /// The replicas this rank holds (all of them in domain mode, each as a slab).
    public let replicas: Range<Int>
    /// The temperature index of every replica (the same on all ranks).
    public private(set) var temperatureOf: [Int]
    /// Accepted and attempted exchanges of each neighbouring temperature pair.
    public private(set) var exchangeAccepted: [Int]
    public private(set) var exchangeAttempted: [Int]
    /// Each held replica's spins as bytes, in `replicas` order; current only where `newer` says so.
    private let bytes: [HaloField<Int8>]
    /// The packed copies (empty without local updates).
    private let packed: [PackedSpinField]
    private var newer: [SpinCopy]
    private let local: PackedCheckerboard?
    private let cluster: ClusterUpdate?
    /// Per temperature, the decision table of each local algorithm in use.
    private let decisions: [[UpdateAlgorithm: DecisionTable]]

    /// Which copy of a replica's spins holds its current state.
    private enum SpinCopy { case bytes, packed, both }

    /// Sets up the replicas with random (infinite-temperature) starts. Collective.
    public init(parameters: IsingParameters, seed: UInt64, communicator: Communicator) {
        self.parameters = parameters
        self.seed = seed
        self.communicator = communicator
        let geometry = parameters.model.geometry
        let total = parameters.replicaCount
        let layout = parameters.decomposition.layout(replicaCount: total, geometry: geometry, communicator: communicator)
        let (decomposition, part) = (layout.slabs, layout.part)
        replicas = layout.replicas
        bytes = replicas.map { _ in HaloField(decomposition: decomposition, part: part, initial: 1) }
        newer = replicas.map { _ in .bytes }
        temperatureOf = (0..<total).map { $0 / parameters.chains }
        exchangeAccepted = [Int](repeating: 0, count: max(0, parameters.betas.count - 1))
        exchangeAttempted = exchangeAccepted
        let localAlgorithms = Set(parameters.algorithms.filter(\.isLocal))
        decisions = parameters.betas.map { beta in
            let thresholds = Thresholds(model: parameters.model, beta: beta)
            return Dictionary(uniqueKeysWithValues: localAlgorithms.map {
                ($0, DecisionTable(thresholds, algorithm: $0, dimension: geometry.dimension))
            })
        }
        local = localAlgorithms.isEmpty ? nil : PackedCheckerboard(model: parameters.model, seed: seed)
        packed = localAlgorithms.isEmpty ? [] : replicas.map { _ in PackedSpinField(decomposition: decomposition, part: part) }
        cluster = parameters.algorithms.contains(where: { !$0.isLocal }) ? ClusterUpdate(model: parameters.model, seed: seed) : nil
        for (field, replica) in zip(bytes, replicas) {
            let owned = field.owned, first = field.planes.lowerBound * field.planeVolume
            for i in 0..<owned.count {
                let block = RandomStream(seed: seed, purpose: .isingStart, replica: replica, step: 0, site: (first + i) / 4).block(0)
                owned[i] = block[(first + i) % 4] & 1 == 0 ? 1 : -1
            }
        }
    }

    /// Sweep `sweep` of every replica: one step of each algorithm, then an exchange round when due. Collective.
    public func sweep(_ sweep: Int) throws(MPIError) {
        for (slot, replica) in replicas.enumerated() {
            let beta = parameters.betas[temperatureOf[replica]]
            for algorithm in parameters.algorithms {
                switch algorithm {
                case .metropolis, .heatBath:
                    if newer[slot] == .bytes { packed[slot].pack(from: bytes[slot]) }
                    try local!.sweep(packed[slot], table: decisions[temperatureOf[replica]][algorithm]!, replica: replica,
                                     sweep: sweep, communicator: communicator)
                    newer[slot] = .packed
                case .wolff:
                    cluster!.wolff(currentBytes(slot).owned, beta: beta, replica: replica, sweep: sweep)
                    newer[slot] = .bytes
                case .swendsenWang:
                    cluster!.swendsenWang(currentBytes(slot).owned, beta: beta, replica: replica, sweep: sweep)
                    newer[slot] = .bytes
                }
            }
        }
        if let every = parameters.exchangeEvery, parameters.betas.count > 1, (sweep + 1) % every == 0 {
            try exchange(round: (sweep + 1) / every)
        }
    }

    /// Replica `slot`'s bytes, unpacked first if the packed copy is newer.
    private func currentBytes(_ slot: Int) -> HaloField<Int8> {
        if newer[slot] == .packed {
            packed[slot].unpack(into: bytes[slot])
            newer[slot] = .both
        }
        return bytes[slot]
    }

    /// Each held replica's spins as bytes (owned planes current, halos not), in `replicas` order,
    /// for reading only: unpacks the replicas whose packed copy is newer.
    public func currentFields() -> [HaloField<Int8>] {
        bytes.indices.map(currentBytes)
    }

    /// The byte fields, for overwriting (restoring a checkpoint): afterwards they are the current
    /// copy, and the next local update packs them.
    public func fieldsForOverwrite() -> [HaloField<Int8>] {
        for slot in bytes.indices { newer[slot] = .bytes }
        return bytes
    }

    /// Measures every held replica. Collective. Returns (replica, temperature index, measurement).
    public func measure() throws(MPIError) -> [(replica: Int, temperature: Int, measurement: IsingMeasurement)] {
        var result: [(Int, Int, IsingMeasurement)] = []
        for (slot, replica) in replicas.enumerated() {
            let field = currentBytes(slot)
            try field.exchangeHalos(communicator)
            result.append((replica, temperatureOf[replica], try IsingMeasurement.measure(field, model: parameters.model, communicator: communicator)))
        }
        return result
    }

    /// Energies of all replicas on every rank, in replica order. Collective.
    func allEnergies() throws(MPIError) -> [Double] {
        let mine = try measure()
        if parameters.decomposition == .domain { return mine.map(\.measurement.energy) }
        var energies = [Double](repeating: 0, count: parameters.replicaCount)
        for m in mine { energies[m.replica] = m.measurement.energy }
        try communicator.allreduce(&energies, .sum)
        return energies
    }

    /// One round of exchanges between neighbouring temperatures (even pairs on even rounds, odd on
    /// odd), decided identically on every rank from the exchange stream. Collective.
    func exchange(round: Int) throws(MPIError) {
        let energies = try allEnergies(), volume = Double(parameters.model.geometry.volume)
        let temperatures = parameters.betas.count, chains = parameters.chains
        for chain in 0..<chains {
            var at = [Int](repeating: 0, count: temperatures)  // replica at each temperature
            for r in 0..<parameters.replicaCount where r % chains == chain { at[temperatureOf[r]] = r }
            var t = round % 2
            while t + 1 < temperatures {
                let a = at[t], b = at[t + 1]
                let delta = (parameters.betas[t + 1] - parameters.betas[t]) * (energies[b] - energies[a]) * volume
                var stream = RandomStream(seed: seed, purpose: .isingExchange, replica: chain, step: round, site: t)
                exchangeAttempted[t] += 1
                if delta >= 0 || stream.uniform() < exp(delta) {
                    exchangeAccepted[t] += 1
                    temperatureOf[a] = t + 1
                    temperatureOf[b] = t
                }
                t += 2
            }
        }
    }

    /// Restores the temperature assignment and exchange counts from a checkpoint.
    public func restore(temperatureOf: [Int], accepted: [Int], attempted: [Int]) {
        precondition(temperatureOf.count == parameters.replicaCount)
        self.temperatureOf = temperatureOf
        self.exchangeAccepted = accepted
        self.exchangeAttempted = attempted
    }
}
