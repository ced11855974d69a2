import Cluster
import XCTest

/// Cluster in one process (MPI's singleton mode, no mpirun); the multi-rank behaviour is tested by
/// MultiRankTests through `ensemble check` under mpirun.
final class CommunicatorTests: XCTestCase {
    func testSingleProcessWorldAndTypedCollectives() throws {
        let world = try Communicator.world()
        XCTAssertEqual(world.size, 1)
        XCTAssertEqual(world.rank, .root)
        XCTAssertTrue(MPIEnvironment.isInitialized)
        XCTAssertEqual(try world.allreduce(2.5, .sum), 2.5)
        XCTAssertEqual(try world.allreduce(Int32(7), .max), 7)
        XCTAssertEqual(try world.allreduce(Int64(-3), .min), -3)
        XCTAssertEqual(try world.allreduce(Float(1.5), .sum), 1.5)
        XCTAssertEqual(try world.allreduce(UInt64.max, .max), UInt64.max)
        var values: [Double] = [1, 2, 3]
        try world.allreduce(&values, .sum)
        XCTAssertEqual(values, [1, 2, 3])
        XCTAssertEqual(try world.exclusivePrefixSum(Int64(42)), 0, "rank 0's offset is 0, not MPI's undefined value")
        XCTAssertEqual(try world.gather(Int64(9)), [9])
        XCTAssertEqual(try world.gatherVariable([1.0, 2.0]), [[1.0, 2.0]])
        XCTAssertEqual(try world.allgather("host"), ["host"])
        XCTAssertEqual(try world.broadcast("φ⁴"), "φ⁴")
        XCTAssertEqual(try world.broadcast([Int32(4), 5]), [4, 5])
        XCTAssertTrue(try world.any(true))
        XCTAssertFalse(try world.all(false))
        try world.barrier()
    }

    func testDuplicateAndSplitMakeIndependentCommunicators() throws {
        let world = try Communicator.world()
        let copy = try world.duplicate()
        XCTAssertEqual(copy.size, 1)
        XCTAssertNotEqual(copy.handle, world.handle)
        try copy.free()
        let part = try XCTUnwrap(try world.split(color: 3))
        XCTAssertEqual(part.size, 1)
        try part.free()
        XCTAssertNil(try world.split(color: nil), "MPI_UNDEFINED gives no communicator")
    }

    func testNonBlockingAllreduceAndSelfSendReceive() throws {
        let world = try Communicator.world()
        var buffer: [Double] = [1, 2]
        try buffer.withUnsafeMutableBufferPointer { b in try world.startAllreduce(b, .sum).wait() }
        XCTAssertEqual(buffer, [1, 2])
        let send: [Int32] = [5, 6, 7]
        var receive = [Int32](repeating: 0, count: 3)
        try send.withUnsafeBufferPointer { s in
            try receive.withUnsafeMutableBufferPointer { r in try world.sendReceive(s, to: .root, r, from: .root) }
        }
        XCTAssertEqual(receive, send)
    }

    func testMPIErrorsAreThrownWithTheLibrarysMessage() throws {
        let world = try Communicator.world()
        let values: [Double] = [1]
        XCTAssertThrowsError(try values.withUnsafeBufferPointer { try world.send($0, to: Rank(5)) }) { error in
            let mpi = error as? MPIError
            XCTAssertEqual(mpi?.call, "MPI_Send")
            XCTAssertTrue(mpi?.message.lowercased().contains("rank") ?? false, "\(error)")
        }
    }

    func testRankAndStopVote() throws {
        XCTAssertLessThan(Rank(1), Rank(2))
        XCTAssertEqual(Rank.root.index, 0)
        let world = try Communicator.world()
        XCTAssertFalse(try world.agreeToStop())
        StopSignal.raise()
        XCTAssertTrue(try world.agreeToStop())
        XCTAssertNotNil(StopSignal.received)
    }
}
