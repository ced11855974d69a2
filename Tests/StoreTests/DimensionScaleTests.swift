import Cluster
import Foundation
import Store
import XCTest

/// Dimension scales through the MPI-IO driver on one rank: made from an existing index or as
/// indices, attached only where their extent fits, and seen as scales when the file is reopened.
final class DimensionScaleTests: XCTestCase {
    func testScalesAttachWhereTheyFitAndSurviveReopening() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scales-\(UUID().uuidString).h5").path
        defer { unlink(path) }
        let world = try Communicator.world()
        let file = try File.create(path, communicator: world)
        let root = try file.root()
        let series = try root.createDataset("energy", of: Double.self, shape: [3, 5])
        let sweep = try root.createDataset("sweep", of: Int64.self, shape: [5])
        try sweep.writeFromRoot([10, 20, 30, 40, 50])
        XCTAssertFalse(sweep.isDimensionScale)
        let point = try root.dimensionScale("point", length: 3)
        XCTAssertEqual(try point.readAll(Int64.self), [0, 1, 2], "a missing scale is made as the indices")
        XCTAssertEqual(try root.dimensionScale("sweep", length: 5).readAll(Int64.self), [10, 20, 30, 40, 50],
                       "an existing index is made the scale, its values kept")
        try series.attach(point, toAxis: 0)
        try series.attach(try root.openDataset("sweep"), toAxis: 1)
        XCTAssertThrowsError(try series.attach(point, toAxis: 1), "a scale of extent 3 does not label an axis of 5")
        XCTAssertThrowsError(try root.dimensionScale("sweep", length: 4), "an existing dataset of another extent is refused")
        XCTAssertThrowsError(try series.makeDimensionScale(), "only a one-dimensional dataset is a scale")
        try file.close()

        let reopened = try File.open(path, communicator: nil)
        defer { try? reopened.close() }
        let again = try reopened.root()
        XCTAssertTrue(try again.openDataset("sweep").isDimensionScale)
        XCTAssertTrue(try again.openDataset("point").isDimensionScale)
        XCTAssertFalse(try again.openDataset("energy").isDimensionScale)
    }
}
