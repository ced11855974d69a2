import Foundation
import Learning
import Numerics
import Store

/// The configurations of finished run files as one numbered set of samples: sample id
/// = file offset + point · samples + sample. Each rank opens the files read-only on its own and
/// reads only the samples it needs, by hyperslab.
final class TrainingData {
    /// One run file's configurations.
    struct Source {
        let path: String
        let kind: String
        /// The labelling parameter of each point.
        let parameters: [Double]
        let samplesPerPoint: Int
        /// The lattice extents.
        let extents: [Int]
        /// The first sample id of this file.
        let offset: Int
    }

    let sources: [Source]
    /// The `/parameters` dataset that labels points.
    let parameterName: String
    /// Lattice extents shared by every file.
    let extents: [Int]
    private var files: [File?]

    /// Checks every file before any rank works: it exists, is a completed run with
    /// `/configurations` and `/parameters/NAME`, has samples, and all files have one lattice size.
    /// Serial and read-only; `job` names the job file in messages.
    init(paths: [String], parameter: String?, job: String) throws(JobError) {
        guard !paths.isEmpty else { throw JobError(file: job, key: "data.files", "is empty; give at least one run file") }
        var sources: [Source] = [], offset = 0, name = parameter
        for path in paths {
            let source = try Self.inspect(path, parameter: &name, offset: offset, job: job)
            if let first = sources.first, first.extents != source.extents {
                throw JobError(file: job, key: "data.files",
                               "\"\(path)\" holds \(source.extents.map(String.init).joined(separator: "×")) lattices but \"\(first.path)\" "
                               + "\(first.extents.map(String.init).joined(separator: "×")); mixing lattice sizes in one training set is not supported")
            }
            sources.append(source)
            offset += source.parameters.count * source.samplesPerPoint
        }
        self.sources = sources
        self.parameterName = name ?? "temperature"
        self.extents = sources[0].extents
        self.files = Array(repeating: nil, count: sources.count)
    }

    deinit { for file in files { try? file?.close() } }

    private static func inspect(_ path: String, parameter: inout String?, offset: Int, job: String) throws(JobError) -> Source {
        let key = "data.files"
        guard FileManager.default.fileExists(atPath: path) else {
            let partial = FileManager.default.fileExists(atPath: RunPaths(output: path).partial)
            throw JobError(file: job, key: key, "\"\(path)\" does not exist" + (partial ? " (only its unfinished \(path).partial does: finish that run first)" : ""))
        }
        do {
            let file = try File.open(path, communicator: nil)
            defer { try? file.close() }
            let root = try file.root()
            guard root.hasAttribute("completed"), case .boolean(true) = try root.attribute("completed") else {
                throw JobError(file: job, key: key, "\"\(path)\" is not a completed run (its 'completed' attribute is not true)")
            }
            var kind = "?"
            if root.hasAttribute("kind"), case let .text(k) = try root.attribute("kind") { kind = k }
            guard root.contains("configurations") else {
                throw JobError(file: job, key: key, "\"\(path)\" (\(kind)) has no /configurations: run it with save_every > 0")
            }
            let configurations = try root.openDataset("configurations")
            let shape = try configurations.shape()
            guard shape.count >= 3, shape[0] > 0, shape[1] > 0 else {
                throw JobError(file: job, key: key, "\"\(path)\": /configurations has shape \(shape); it holds no samples")
            }
            let name = parameter ?? (kind == "phi4" ? "kappa" : "temperature")
            parameter = name
            guard root.contains("parameters"), try root.openGroup("parameters").contains(name) else {
                throw JobError(file: job, key: "data.parameter",
                               "\"\(path)\" has no /parameters/\(name) to label its points; set data.parameter to one of its parameters")
            }
            let values = try root.openGroup("parameters").openDataset(name).readAll(Double.self)
            guard values.count == shape[0], values.allSatisfy(\.isFinite) else {
                throw JobError(file: job, key: "data.parameter", "\"\(path)\": /parameters/\(name) has \(values.count) values for \(shape[0]) points")
            }
            return Source(path: path, kind: kind, parameters: values, samplesPerPoint: shape[1],
                          extents: Array(shape.dropFirst(2)), offset: offset)
        } catch let error as JobError {
            throw error
        } catch let error as StoreError {
            throw JobError(file: job, key: key, "\"\(path)\" is damaged and cannot be read as a run file (\(error.briefDescription))")
        } catch {
            throw JobError(file: job, key: key, "\"\(path)\" cannot be read as a run file: \(error)")
        }
    }

    /// Samples in all files.
    var sampleCount: Int { sources.reduce(0) { $0 + $1.parameters.count * $1.samplesPerPoint } }
    /// Sites of one configuration.
    var sites: Int { extents.reduce(1, *) }

    /// Every (file, point) in file order, with its parameter value.
    var points: [(source: Int, point: Int, parameter: Double)] {
        sources.enumerated().flatMap { s, source in source.parameters.enumerated().map { (s, $0, $1) } }
    }

    /// The sample ids of point `point` of file `source`.
    func sampleIDs(source: Int, point: Int) -> Range<Int> {
        let s = sources[source], start = s.offset + point * s.samplesPerPoint
        return start..<(start + s.samplesPerPoint)
    }

    /// The labelling parameter of sample `id`.
    func parameter(of id: Int) -> Double {
        let (s, point, _) = locate(id)
        return sources[s].parameters[point]
    }

    private func locate(_ id: Int) -> (Int, Int, Int) {
        let s = sources.lastIndex { $0.offset <= id }!
        let local = id - sources[s].offset
        return (s, local / sources[s].samplesPerPoint, local % sources[s].samplesPerPoint)
    }

    /// Reads samples `ids` (any order) into `inputs` (`ids.count × sites`), converted to `Scalar`,
    /// then normalised. Runs of consecutive samples of one point are one hyperslab read.
    func read<Scalar: NetworkScalar & StorableScalar>(_ ids: [Int], into inputs: inout [Scalar],
                                                      normalization: InputNormalization = .identity) throws {
        let sites = self.sites
        inputs = [Scalar](repeating: 0, count: ids.count * sites)
        let order = ids.indices.sorted { ids[$0] < ids[$1] }
        var buffer = [Scalar]()
        var i = 0
        while i < order.count {
            let (s, point, sample) = locate(ids[order[i]])
            var n = 1
            while i + n < order.count, ids[order[i + n]] == ids[order[i]] + n, sample + n < sources[s].samplesPerPoint { n += 1 }
            buffer = [Scalar](repeating: 0, count: n * sites)
            let dataset = try open(s).root().openDataset("configurations")
            try buffer.withUnsafeMutableBufferPointer { b in
                try dataset.read(into: b, at: [point, sample] + extents.map { _ in 0 }, count: [1, n] + extents)
            }
            try dataset.close()
            for k in 0..<n {
                let row = order[i + k] * sites
                for x in 0..<sites { inputs[row + x] = buffer[k * sites + x] }
            }
            i += n
        }
        normalization.apply(to: &inputs, sites: sites)
    }

    private func open(_ source: Int) throws -> File {
        if let file = files[source] { return file }
        let file = try File.open(sources[source].path, communicator: nil)
        files[source] = file
        return file
    }
}

/// How inputs are scaled before the network sees them, stored with the model so `predict` does the
/// same: x → (x − shift)·scale, and then, with `perSampleRMS`, each configuration divided by its
/// own root mean square. The last removes the local field amplitude (which grows with κ in φ⁴ and
/// would let a classifier read κ off it) while keeping the sign structure that marks order.
struct InputNormalization: Sendable, Equatable {
    var shift: Double
    var scale: Double
    var perSampleRMS: Bool

    static let identity = InputNormalization(shift: 0, scale: 1, perSampleRMS: false)

    /// The attribute text that says what was done.
    var description: String {
        "x → (x − input_shift) · input_scale" + (perSampleRMS ? ", then each configuration divided by its root mean square" : "")
    }

    func apply<Scalar: NetworkScalar>(to inputs: inout [Scalar], sites: Int) {
        if shift != 0 || scale != 1 {
            let a = Scalar(shift), b = Scalar(scale)
            for x in inputs.indices { inputs[x] = (inputs[x] - a) * b }
        }
        guard perSampleRMS else { return }
        for start in stride(from: 0, to: inputs.count, by: sites) {
            var squares = 0.0
            for x in start..<(start + sites) { squares += Double(inputs[x]) * Double(inputs[x]) }
            guard squares > 0 else { continue }
            let factor = Scalar(1 / (squares / Double(sites)).squareRoot())
            for x in start..<(start + sites) { inputs[x] *= factor }
        }
    }
}
