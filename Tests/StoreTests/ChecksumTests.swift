import Cluster
import Foundation
import Store
import XCTest

/// The content checksum: the same value from any cut of an array into blocks (so from any number
/// of ranks and any decomposition), sensitive to a changed, moved or swapped value, and equal to
/// what a dataset's checksum reads back from the file, whole or by region.
final class ChecksumTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("checksum-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func sum<T>(_ values: [T], shape: [Int], offset: [Int], count: [Int], key: UInt64 = 7) -> ContentChecksum {
        values.withUnsafeBytes { ContentChecksum.block($0, elementSize: MemoryLayout<T>.stride, shape: shape, offset: offset, count: count, key: key) }
    }

    /// A [4, 6, 5] array cut in planes, in rows, and into uneven blocks all give the whole's checksum.
    func testAnyCutIntoBlocksGivesTheSameChecksum() {
        let shape = [4, 6, 5]
        let values = (0..<120).map { Double($0) * 0.37 - 11 }
        let whole = sum(values, shape: shape, offset: [0, 0, 0], count: shape)
        func block(_ offset: [Int], _ count: [Int]) -> ContentChecksum {
            var part: [Double] = []
            for i in offset[0]..<(offset[0] + count[0]) {
                for j in offset[1]..<(offset[1] + count[1]) {
                    for k in offset[2]..<(offset[2] + count[2]) { part.append(values[(i * 6 + j) * 5 + k]) }
                }
            }
            return sum(part, shape: shape, offset: offset, count: count)
        }
        let planes = (0..<4).map { block([$0, 0, 0], [1, 6, 5]) }.reduce(.zero, +)
        let slabs = block([0, 0, 0], [1, 6, 5]) + block([1, 0, 0], [3, 6, 5])
        let uneven = block([0, 0, 0], [4, 2, 5]) + block([0, 2, 0], [4, 4, 3]) + block([0, 2, 3], [4, 4, 2])
        XCTAssertEqual(planes, whole)
        XCTAssertEqual(slabs, whole)
        XCTAssertEqual(uneven, whole)
        XCTAssertNotEqual(block([0, 0, 0], [1, 6, 5]), whole, "a part is not the whole")
    }

    /// A value changed by one bit, two values swapped, a value duplicated or another key: each changes it.
    func testChangedSwappedOrDuplicatedValuesChangeIt() {
        let values: [Int8] = (0..<2000).map { Int8(truncatingIfNeeded: $0 * 7) }
        let shape = [2000], whole = sum(values, shape: shape, offset: [0], count: shape)
        var flipped = values
        flipped[1234] ^= 1
        // SciDAC's rotations repeat every 29·31 = 899 sites: the swap that fools it.
        var swapped = values
        swapped.swapAt(3, 3 + 899)
        var duplicated = values
        duplicated[10] = duplicated[11]
        XCTAssertNotEqual(values[3], values[3 + 899])
        for changed in [flipped, swapped, duplicated] {
            XCTAssertNotEqual(sum(changed, shape: shape, offset: [0], count: shape), whole)
        }
        XCTAssertNotEqual(sum(values, shape: shape, offset: [0], count: shape, key: 8), whole)
        XCTAssertNotEqual(ContentChecksum.key("state/spins"), ContentChecksum.key("state/field"))
        XCTAssertEqual(ContentChecksum(parsing: whole.description), whole)
        XCTAssertNil(ContentChecksum(parsing: "sum64:xyz"))
    }

    /// What a dataset's checksum reads back equals the sum of the blocks written, whole and for a
    /// region (the first `count` of every `period` along an axis), however small the slabs it reads.
    func testTheFileReadsBackTheChecksumOfWhatWasWritten() throws {
        let world = try Communicator.world()
        let file = try File.create(folder.appendingPathComponent("c.h5").path, communicator: world)
        let root = try file.root()
        let shape = [3, 8, 4], key = ContentChecksum.key("samples")
        let values = (0..<96).map { Float($0) / 3 }
        let dataset = try root.createDataset("samples", of: Float.self, shape: shape, chunk: [1, 1, 4])
        try dataset.write(values, at: [0, 0, 0], count: shape)
        XCTAssertEqual(try dataset.checksum(key: key), sum(values, shape: shape, offset: [0, 0, 0], count: shape, key: key))
        // Two chains of four samples each along axis 1, the first two of each written so far.
        var region = ContentChecksum.zero
        for chain in 0..<2 {
            let part = (0..<3).flatMap { i in (0..<2).flatMap { k in (0..<4).map { x in values[(i * 8 + chain * 4 + k) * 4 + x] } } }
            region += sum(part, shape: shape, offset: [0, chain * 4, 0], count: [3, 2, 4], key: key)
        }
        for budget in [64 << 20, 64, 8] {  // whole, a row of the region at a time, an element's row at a time
            XCTAssertEqual(try dataset.checksum(of: StoredRegion(axis: 1, period: 4, count: 2), key: key, budgetBytes: budget), region)
            XCTAssertEqual(try dataset.checksum(key: key, budgetBytes: budget), sum(values, shape: shape, offset: [0, 0, 0], count: shape, key: key))
        }
        let first = sum(Array(values[0..<64]), shape: shape, offset: [0, 0, 0], count: [2, 8, 4], key: key)
        XCTAssertEqual(try dataset.checksum(of: StoredRegion(axis: 0, period: 3, count: 2), key: key, budgetBytes: 40), first)
        XCTAssertEqual(try dataset.checksum(of: StoredRegion(axis: 1, period: 4, count: 0), key: key), .zero)
        try file.close()
    }
}
