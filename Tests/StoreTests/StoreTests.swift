import Cluster
import Foundation
import Store
import XCTest

/// Store on one rank through the MPI-IO driver and serially; multi-rank writes are tested by
/// MultiRankTests, which read the files back with h5py and h5dump.
final class StoreTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func testDatasetsOfEveryTypeRoundTripCollectively() throws {
        let world = try Communicator.world()
        let file = try File.create(path("types.h5"), communicator: world)
        let root = try file.root()
        let cube = try root.createDataset("cube", of: Double.self, shape: [2, 3, 4])
        let values = (0..<24).map { Double($0) / 4 }
        try cube.write(values, at: [0, 0, 0], count: [2, 3, 4])
        XCTAssertEqual(cube.lastTransfer, .contiguousCollective)
        XCTAssertEqual(try cube.read(Double.self, at: [1, 1, 0], count: [1, 2, 4]), Array(values[16..<24]))
        XCTAssertEqual(try cube.shape(), [2, 3, 4])
        XCTAssertEqual(try cube.storedType(), .float(bits: 64))

        let spins = try root.createDataset("spins", of: Int8.self, shape: [4, 8], chunk: [1, 8], deflateLevel: 6)
        try spins.write([Int8](repeating: -1, count: 32), at: [0, 0], count: [4, 8])
        XCTAssertTrue(spins.lastTransfer.isCollective)
        XCTAssertEqual(try spins.readAll(Int8.self), [Int8](repeating: -1, count: 32))
        for (name, type) in [("i32", StoredType.integer(bits: 32, signed: true)), ("i64", .integer(bits: 64, signed: true)),
                             ("f32", .float(bits: 32))] {
            let d: Dataset
            switch name {
            case "i32": d = try root.createDataset(name, of: Int32.self, shape: [3]); try d.write([Int32(1), 2, 3], at: [0], count: [3])
            case "i64": d = try root.createDataset(name, of: Int64.self, shape: [3]); try d.write([Int64(1), 2, 3], at: [0], count: [3])
            default: d = try root.createDataset(name, of: Float.self, shape: [3]); try d.write([Float(1), 2, 3], at: [0], count: [3])
            }
            XCTAssertEqual(try d.storedType(), type)
        }
        let strings = try root.createStringDataset("labels", length: 8, shape: [2])
        XCTAssertEqual(try strings.storedType(), .string)
        try strings.write(strings: ["ising", "φ⁴"], at: [0], count: [2])
        XCTAssertThrowsError(try strings.write(strings: ["far too long"], at: [0], count: [1]))
        XCTAssertThrowsError(try cube.write(strings: ["x"], at: [0, 0, 0], count: [1, 1, 1]), "not a string dataset")

        let series = try root.createDataset("series", of: Double.self, shape: [0], maximumShape: [nil], chunk: [16])
        try series.extend(to: [5])
        try series.write([1.0, 2, 3, 4, 5], at: [0], count: [5])
        try series.write([Double](), at: [0], count: [0])  // an empty selection still joins
        XCTAssertEqual(try series.readAll(Double.self), [1, 2, 3, 4, 5])
        XCTAssertThrowsError(try series.write([1.0], at: [5], count: [1]), "outside the extent")
        XCTAssertThrowsError(try root.createDataset("bad", of: Double.self, shape: [4], maximumShape: [nil]), "extendible needs chunks")
        try file.close()
    }

    func testAttributesOfEveryKind() throws {
        let file = try File.create(path("attributes.h5"), communicator: nil)
        let root = try file.root()
        try root.setAttribute("text", "φ⁴ on 32²")
        try root.setAttribute("flag", true)
        try root.setAttribute("count", Int64(-4))
        try root.setAttribute("seed", UInt64(1) << 63)
        try root.setAttribute("coupling", 0.25)
        try root.setAttribute("extents", [Int64(32), 32])
        try root.setAttribute("betas", [0.1, 0.2])
        try root.setAttribute("flag", false)  // replacing is allowed
        XCTAssertEqual(try root.attribute("text"), .text("φ⁴ on 32²"))
        XCTAssertEqual(try root.attribute("flag"), .boolean(false))
        XCTAssertEqual(try root.attribute("count"), .integer(-4))
        XCTAssertEqual(try root.attribute("coupling"), .real(0.25))
        XCTAssertEqual(try root.attribute("extents"), .integers([32, 32]))
        XCTAssertEqual(try root.attribute("betas"), .reals([0.1, 0.2]))
        XCTAssertEqual(try root.attributeNames(), ["betas", "count", "coupling", "extents", "flag", "seed", "text"])
        try file.close()
    }

    func testTablesAppendAndReopen() throws {
        let world = try Communicator.world()
        let file = try File.create(path("table.h5"), communicator: world)
        let root = try file.root()
        let columns = [Column("point", .integer), Column("value", .real), Column("label", .text(maximumBytes: 12))]
        let table = try Table.create("summary", in: root, columns: columns, chunkRows: 4)
        try table.append([[.integer(0), .real(1.5), .text("first")]])
        try table.append([])
        try table.append((1...6).map { [.integer(Int64($0)), .real(Double($0)), .text("row \($0)")] })
        XCTAssertEqual(try table.count(), 7)
        XCTAssertThrowsError(try table.append([[.integer(1)]]), "a short row")
        XCTAssertThrowsError(try table.append([[.integer(1), .real(0), .text("far longer than twelve bytes")]]))
        let reopened = try Table.open("summary", in: root)
        XCTAssertEqual(reopened.columns, columns)
        let rows = try reopened.rows()
        XCTAssertEqual(rows.first, [.integer(0), .real(1.5), .text("first")])
        XCTAssertEqual(rows.last, [.integer(6), .real(6), .text("row 6")])
        try file.close()
    }

    func testRunFilesCommitAtomicallyAndNeverReplaceAResult() throws {
        let world = try Communicator.world()
        let final = path("run.h5")
        let file = try File.createRun(at: final, communicator: world, replacing: false)
        XCTAssertTrue(FileManager.default.fileExists(atPath: final + ".partial"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: final), "no result before commit")
        try file.root().setAttribute("completed", true)
        try file.commit()
        XCTAssertTrue(FileManager.default.fileExists(atPath: final))
        XCTAssertFalse(FileManager.default.fileExists(atPath: final + ".partial"))

        XCTAssertThrowsError(try File.createRun(at: final, communicator: world, replacing: false)) { error in
            XCTAssertTrue("\(error)".contains("--force"), "\(error)")
        }
        let replacement = try File.createRun(at: final, communicator: world, replacing: true)
        try replacement.close()
        let reopened = try File.open(final, communicator: nil)
        XCTAssertEqual(try reopened.root().attribute("completed"), .boolean(true), "the old result stands until a commit")
        try reopened.close()
    }

    func testHDF5ErrorsBecomeSwiftErrorsWithTheErrorStack() throws {
        XCTAssertThrowsError(try File.open(path("absent.h5"), communicator: nil)) { error in
            guard case .missing = error as? StoreError else { return XCTFail("\(error)") }
        }
        FileManager.default.createFile(atPath: path("text.h5"), contents: Data("not hdf5".utf8))
        XCTAssertThrowsError(try File.open(path("text.h5"), communicator: nil)) { error in
            guard case .notHDF5 = error as? StoreError else { return XCTFail("\(error)") }
        }
        let file = try File.create(path("errors.h5"), communicator: nil)
        XCTAssertThrowsError(try file.root().openDataset("nothing")) { error in
            guard case let .hdf5(call, stack) = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(call, "H5Dopen2(nothing)")
            XCTAssertFalse(stack.isEmpty, "HDF5's error stack is carried, not printed")
        }
        XCTAssertThrowsError(try File.create(path("errors.h5"), communicator: nil), "create never truncates")
        try file.close()
        XCTAssertFalse(HDF5Library.version.isEmpty)
        XCTAssertTrue(HDF5Library.hasDeflate)
    }
}
