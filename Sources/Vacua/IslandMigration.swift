// One ring exchange of the island model, started at a migration and completed at the next one:
// the neighbour's migrants arrive one interval late, so an island waits only when its neighbour
// is more than a whole interval behind, instead of every island stopping at every migration
// until the slowest arrives. What arrives is fixed by the generation it was sent at, so the
// search stays reproducible.

import Cluster

/// A genome sent to another island, with the fitness its own island gave it.
public typealias Migrant = (genome: FluxGenome, fitness: Double)

/// An exchange of migrants in flight: this island's best sent to the next rank, the previous
/// rank's best being received. Its buffers live on the heap until it is finished.
struct IslandMigration: ~Copyable {
    private let buffers: Buffers
    private var requests = RequestList()

    /// Manually allocated, because MPI reads and writes them after the call that started the exchange returns.
    private final class Buffers {
        let outgoing: UnsafeMutableBufferPointer<Int>, incoming: UnsafeMutableBufferPointer<Int>

        init(count: Int) {
            outgoing = .allocate(capacity: count)
            incoming = .allocate(capacity: count)
            incoming.initialize(repeating: 0)
        }

        deinit {
            outgoing.deallocate()
            incoming.deallocate()
        }
    }

    /// Starts sending `migrants` with their fitness to the next rank in the ring and receiving as
    /// many from the previous one.
    init(sending migrants: [Migrant], on communicator: Communicator) throws(MPIError) {
        buffers = Buffers(count: 9 * migrants.count)
        for (k, migrant) in migrants.enumerated() {
            for (i, q) in migrant.genome.quanta.enumerated() { buffers.outgoing[9 * k + i] = q }
            buffers.outgoing[9 * k + 8] = Int(bitPattern: UInt(migrant.fitness.bitPattern))
        }
        let size = communicator.size, rank = communicator.rank.index
        requests.append(try communicator.startReceive(buffers.incoming, from: Rank((rank + size - 1) % size)))
        requests.append(try communicator.startSend(UnsafeBufferPointer(buffers.outgoing), to: Rank((rank + 1) % size)))
    }

    /// Waits for both transfers; the migrants received, with the fitness their island gave them.
    consuming func finish() throws(MPIError) -> [Migrant] {
        try requests.waitAll()
        let incoming = buffers.incoming
        return stride(from: 0, to: incoming.count, by: 9).map {
            (FluxGenome(Array(incoming[$0..<($0 + 8)])), Double(bitPattern: UInt64(UInt(bitPattern: incoming[$0 + 8]))))
        }
    }
}
