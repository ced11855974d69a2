import Foundation
import Store
import Vacua

/// A checkpoint as a small serial HDF5 file beside a run's `.partial` file, written whole under a
/// temporary name and renamed into place, so a crash leaves the previous checkpoint or the new
/// one, never half of one. Rank 0 writes it; every rank may read it.
struct CheckpointFile {
    let path: String

    /// The checkpoint of the run whose result goes to `output`.
    init(output: String) { path = output + ".checkpoint" }

    /// Whether a checkpoint has been written.
    var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// Replaces the checkpoint with what `fill` writes into a new file's root group.
    func replace(_ fill: (Group) throws -> Void) throws {
        let temporary = path + ".tmp"
        unlink(temporary)
        let file = try File.create(temporary, communicator: nil)
        try fill(try file.root())
        try file.close()
        guard rename(temporary, path) == 0 else {
            throw JobError(file: path, "cannot write the checkpoint: \(String(cString: strerror(errno)))")
        }
    }

    /// Opens the checkpoint for reading.
    func open() throws -> File { try File.open(path, communicator: nil) }

    /// Removes the checkpoint (after the result is complete, or when starting over).
    func remove() { unlink(path); unlink(path + ".tmp") }
}

extension Discovery {
    /// Numbers per discovery in `encoded`: 8 quanta, τ, φ, evaluations, in-target flag.
    static let encodedCount = 14

    /// The discovery as numbers, for gathering over MPI and for checkpoints.
    var encoded: [Double] {
        vacuum.genome.quanta.map(Double.init)
            + [vacuum.tau.re, vacuum.tau.im, vacuum.phi.re, vacuum.phi.im, Double(evaluations), inTarget ? 1 : 0]
    }

    /// The discoveries encoded one after another in `numbers`.
    static func decode(_ numbers: ArraySlice<Double>) -> [Discovery] {
        stride(from: numbers.startIndex, to: numbers.endIndex, by: encodedCount).map { k in
            let genome = FluxGenome(numbers[k..<(k + 8)].map { Int($0) })
            let vacuum = FluxVacuum(genome: genome, tau: Complex(numbers[k + 8], numbers[k + 9]), phi: Complex(numbers[k + 10], numbers[k + 11]))
            return Discovery(vacuum: vacuum, evaluations: Int(numbers[k + 12]), inTarget: numbers[k + 13] == 1)
        }
    }
}
