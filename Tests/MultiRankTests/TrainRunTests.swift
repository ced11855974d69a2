import Foundation
import Launching
import XCTest

/// Training through the real binary: the same steps on 1, 2 and 4 ranks (to rounding with the
/// bucketed allreduce, bit for bit in deterministic mode), resume, the model file, predict, the
/// phase classifier's T_c, and bad input.
final class TrainRunTests: XCTestCase {
    /// A small 2D Ising scan as training data: `count` temperatures, `samples` configurations each.
    static func scan(extents: String = "[8, 8]", from: Double = 1.6, to: Double = 3.2, count: Int = 6,
                     sweeps: Int = 2000, saveEvery: Int = 20, output: String = "scan.h5") -> String {
        """
        kind = "ising"
        output = "\(output)"
        seed = 5
        [ising]
        extents = \(extents)
        temperature_range = { from = \(from), to = \(to), count = \(count) }
        algorithms = ["wolff", "metropolis"]
        thermalization = 200
        sweeps = \(sweeps)
        save_every = \(saveEvery)
        """
    }

    static func train(precision: String = "float64", batch: Int = 16, epochs: Int = 2, shards: Int = 0,
                      bucketBytes: Int = 256, extra: String = "", data: String = "scan.h5",
                      models: String = TrainRunTests.smallModels) -> String {
        """
        kind = "train"
        output = "model.h5"
        seed = 21
        [data]
        files = ["\(data)"]
        label = "phase"
        boundary = 2.269185314213022
        train_ranges = [[0.0, 2.0], [2.6, 10.0]]
        validation_fraction = 0.1
        translations = true
        reflections = true
        global_flip = true
        [training]
        precision = "\(precision)"
        epochs = \(epochs)
        batch = \(batch)
        learning_rate = 0.01
        warmup_steps = 3
        bucket_bytes = \(bucketBytes)
        deterministic_shards = \(shards)
        verify_every = 1
        checkpoint_every = 5
        \(extra)
        \(models)
        """
    }

    static let smallModels = """
        [models.cnn]
        layers = ["conv2d channels=4 kernel=3", "tanh", "conv2d channels=4 kernel=3", "relu", "global_average_pool", "dense units=2 init=glorot"]
        [models.mlp]
        layers = ["flatten", "dense units=16", "gelu", "dropout rate=0.2", "dense units=2 init=glorot"]
        """

    func makeScan(_ launcher: Launcher, _ text: String = TrainRunTests.scan(), name: String = "scan.h5") throws {
        try launcher.write("\(name).toml", text)
        let outcome = try launcher.ensemble(ranks: 2, ["run", "\(name).toml", "--output", name])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
    }

    /// Every model's parameters, as hex of their float64 values.
    func parameters(_ launcher: Launcher, _ file: String) throws -> [String: [Double]] {
        let text = try launcher.python("""
        import h5py, json
        f = h5py.File('\(file)', 'r')
        assert f.attrs['completed']
        print(json.dumps({k: [float(x) for x in f['models'][k]['parameters'][...]] for k in f['models']}))
        """)
        return try JSONDecoder().decode([String: [Double]].self, from: Data(text.utf8))
    }

    func relativeDifference(_ a: [Double], _ b: [Double]) -> Double {
        let scale = a.map(abs).max() ?? 1
        return zip(a, b).map { abs($0 - $1) }.max()! / scale
    }

    func testSameStepsOnAnyRanks() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try makeScan(launcher)
        // Bucketed allreduce (small buckets, so several overlap backward): equal to rounding; on 4
        // ranks in micro-batches of 3 (3 + 1 samples per rank), gradients accumulated.
        let bucketed = try [1, 2, 4].map { n -> [String: [Double]] in
            try launcher.write("b.toml", Self.train(extra: n == 4 ? "micro_batch = 3" : ""))
            let outcome = try launcher.ensemble(ranks: n, ["run", "b.toml", "--output", "b-\(n).h5"])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains("parameters bit-identical on all \(n) ranks"), outcome.stderr)
            return try parameters(launcher, "b-\(n).h5")
        }
        for name in ["cnn", "mlp"] {
            XCTAssertEqual(bucketed[0][name]!.count, bucketed[1][name]!.count)
            for n in 1...2 {
                let d = relativeDifference(bucketed[0][name]!, bucketed[n][name]!)
                XCTAssertLessThan(d, 1e-12, "\(name): 1 rank vs \(1 << n) ranks differ by \(d)")
            }
            XCTAssertNotEqual(bucketed[0][name]!, bucketed[0][name == "cnn" ? "mlp" : "cnn"]!)
        }
        // Float32: to 1e-5.
        let single = try [1, 2].map { n -> [String: [Double]] in
            try launcher.write("s.toml", Self.train(precision: "float32"))
            let outcome = try launcher.ensemble(ranks: n, ["run", "s.toml", "--output", "s-\(n).h5"])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            return try parameters(launcher, "s-\(n).h5")
        }
        for name in ["cnn", "mlp"] {
            let d = relativeDifference(single[0][name]!, single[1][name]!)
            XCTAssertLessThan(d, 1e-5, "float32 \(name): 1 vs 2 ranks differ by \(d)")
        }
        // Deterministic mode: bit for bit, in float64 and float32.
        for precision in ["float64", "float32"] {
            let fixed = try [1, 2, 4].map { n -> [String: [Double]] in
                try launcher.write("d.toml", Self.train(precision: precision, shards: 4))
                let outcome = try launcher.ensemble(ranks: n, ["run", "d.toml", "--output", "d-\(precision)-\(n).h5"])
                XCTAssertEqual(outcome.status, 0, outcome.stderr)
                return try parameters(launcher, "d-\(precision)-\(n).h5")
            }
            XCTAssertEqual(fixed[0], fixed[1], "\(precision): deterministic mode, 1 vs 2 ranks")
            XCTAssertEqual(fixed[0], fixed[2], "\(precision): deterministic mode, 1 vs 4 ranks")
        }
    }

    func testResumeIsBitForBitAndTheModelFileIsComplete() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try makeScan(launcher)
        try launcher.write("t.toml", Self.train(epochs: 3))
        let whole = try launcher.ensemble(ranks: 2, ["run", "t.toml", "--output", "whole.h5"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        // Stop in the first model, then in the second, then finish.
        let first = try launcher.ensemble(ranks: 2, ["run", "t.toml", "--output", "split.h5", "--stop-after-checkpoints", "2"])
        XCTAssertEqual(first.status, 75, first.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("split.h5")))
        XCTAssertTrue(FileManager.default.fileExists(atPath: launcher.path("split.h5.checkpoint")))
        let second = try launcher.ensemble(ranks: 2, ["run", "t.toml", "--output", "split.h5", "--resume", "--stop-after-checkpoints", "13"])
        XCTAssertEqual(second.status, 75, second.stderr)
        XCTAssertTrue(second.stderr.contains("model cnn: resuming at step 10"), second.stderr)
        let last = try launcher.ensemble(ranks: 2, ["run", "t.toml", "--output", "split.h5", "--resume"])
        XCTAssertEqual(last.status, 0, last.stderr)
        XCTAssertTrue(last.stderr.contains("model mlp: resuming at step 10"), last.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("split.h5.checkpoint")))
        XCTAssertEqual(try parameters(launcher, "whole.h5"), try parameters(launcher, "split.h5"))

        // The model file as h5py sees it: architecture, shapes, checksum of the data, metrics, predictions.
        let report = try launcher.python("""
        import h5py, hashlib
        f = h5py.File('whole.h5', 'r')
        m = f['models/cnn']
        assert m.attrs['architecture'].split('\\n')[0] == 'conv2d channels=4 kernel=3', m.attrs['architecture']
        assert list(m.attrs['input_shape']) == [1, 8, 8]
        assert m.attrs['trained_on_sha256'] == hashlib.sha256(open('scan.h5', 'rb').read()).hexdigest()
        assert m['layers/00_conv2d/weight'].shape == (4, 1, 3, 3) and m['layers/05_dense/weight'].shape == (2, 4)
        assert m['metrics'].shape == (3,), m['metrics'].shape
        assert m['metrics'].dtype.names == ('epoch', 'steps', 'learning_rate', 'train_loss', 'train_accuracy',
                                            'validation_loss', 'validation_accuracy', 'seconds'), m['metrics'].dtype
        assert list(m['metrics']['epoch']) == [1, 2, 3], m['metrics']['epoch']
        assert m['predictions'].shape == (6 * 100,) and m['prediction_mean'].shape == (6,)
        assert f['data/training_ids'].shape[0] + f['data/validation_ids'].shape[0] == 4 * 100
        print(m.attrs['estimate'], f['summary'].shape[0])
        """)
        XCTAssertEqual(report, "temperature_c 2")

        // predict applies the model to a run file and refuses a mismatched one.
        let predicted = try launcher.ensemble(ranks: 2, ["predict", "whole.h5", "scan.h5", "--output", "p.h5"])
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        XCTAssertTrue(predicted.stdout.contains("cnn: temperature_c = "), predicted.stdout)
        XCTAssertEqual(try launcher.python("""
        import h5py, numpy as np
        p = h5py.File('p.h5', 'r'); w = h5py.File('whole.h5', 'r')
        print(np.array_equal(p['cnn/predictions'][...], w['models/cnn/predictions'][...]))
        """), "True")
    }

    func testBadInputIsRejectedBeforeTrainingAndANaNLossStopsWithACheckpoint() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try makeScan(launcher)
        try makeScan(launcher, Self.scan(extents: "[6, 6]", count: 4, sweeps: 400, output: "six.h5"), name: "six.h5")
        try makeScan(launcher, Self.scan(count: 2, sweeps: 400, saveEvery: 0, output: "bare.h5"), name: "bare.h5")
        try launcher.write("cut.toml", Self.scan(count: 2, sweeps: 400) + "\ncheckpoint_every = 100")
        let cut = try launcher.ensemble(ranks: 1, ["run", "cut.toml", "--output", "cut.h5", "--stop-after-checkpoints", "1"])
        XCTAssertEqual(cut.status, 75, cut.stderr)

        let cases: [(String, String, String)] = [
            ("missing", Self.train(data: "missing.h5"), "does not exist"),
            ("unfinished", Self.train(data: "cut.h5"), "unfinished cut.h5.partial"),
            ("partial", Self.train(data: "cut.h5.partial"), "is not a completed run"),
            ("bare", Self.train(data: "bare.h5"), "has no /configurations"),
            ("mixed", Self.train().replacingOccurrences(of: "files = [\"scan.h5\"]", with: "files = [\"scan.h5\", \"six.h5\"]"),
             "mixing lattice sizes"),
            ("label", Self.train().replacingOccurrences(of: "label = \"phase\"", with: "parameter = \"kappa\"\nlabel = \"phase\""),
             "no /parameters/kappa"),
            ("width", Self.train(models: "[models.m]\nlayers = [\"flatten\", \"dense units=3\"]"), "needs 2"),
            ("one-phase", Self.train().replacingOccurrences(of: "[[0.0, 2.0], [2.6, 10.0]]", with: "[[0.0, 2.0]]"), "one side of the boundary"),
            ("batch", Self.train(batch: 4096), "larger than the"),
            ("kernel", Self.train(models: "[models.m]\nlayers = [\"conv2d channels=4 kernel=2\"]"), "kernel must be odd"),
            ("shards", Self.train(shards: 3), "does not divide the batch"),
        ]
        for (name, text, message) in cases {
            try launcher.write("\(name).toml", text)
            // On 2 ranks for the first case; the checks do not depend on the rank count.
            let outcome = try launcher.refused(ranks: name == cases[0].0 ? 2 : 1, ["run", "\(name).toml", "--output", "out-\(name).h5"])
            XCTAssertEqual(outcome.status, 2, "\(name): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(message), "\(name): expected '\(message)' in \(outcome.stderr)")
            for suffix in ["", ".partial", ".checkpoint"] {
                XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("out-\(name).h5\(suffix)")), "\(name) left \(suffix)")
            }
        }

        // A model trained on 8×8 lattices refuses 6×6 configurations.
        try launcher.write("small.toml", Self.train(epochs: 1, models: "[models.m]\nlayers = [\"flatten\", \"dense units=2\"]"))
        XCTAssertEqual(try launcher.ensemble(ranks: 1, ["run", "small.toml", "--output", "small.h5"]).status, 0)
        let mismatch = try launcher.ensemble(ranks: 1, ["predict", "small.h5", "six.h5"])
        XCTAssertEqual(mismatch.status, 2, mismatch.stderr)
        XCTAssertTrue(mismatch.stderr.contains("takes inputs shaped [1, 8, 8]"), mismatch.stderr)
        XCTAssertEqual(try launcher.ensemble(ranks: 1, ["predict", "scan.h5", "six.h5"]).status, 2, "a run file is not a model file")

        // An absurd learning rate: the loss turns non-finite, training stops naming the step, no
        // result appears, and the last checkpoint (finite parameters) stays for inspection.
        try launcher.write("wild.toml", Self.train(extra: "optimizer = \"sgd\"").replacingOccurrences(of: "learning_rate = 0.01", with: "learning_rate = 1e30")
            .replacingOccurrences(of: "checkpoint_every = 5", with: "checkpoint_every = 1"))
        let wild = try launcher.ensemble(ranks: 2, ["run", "wild.toml", "--output", "wild.h5"])
        XCTAssertEqual(wild.status, 1, wild.stderr)
        XCTAssertTrue(wild.stderr.contains("became non-finite at step"), wild.stderr)
        XCTAssertFalse(wild.stderr.contains("MPI_FINALIZE"), wild.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: launcher.path("wild.h5")))
        XCTAssertEqual(try launcher.python("""
        import h5py, numpy as np
        f = h5py.File('wild.h5.checkpoint', 'r')['state']
        print(all(np.isfinite(f[m][...]).all() for m in f if m.endswith('.parameters')))
        """), "True")
    }

    /// The job users run (jobs/train-ising-phase.toml: a CNN and a dense network trained away from
    /// T_c) on a small L = 16 scan, fewer epochs: each model's crossing lies within 2% of the
    /// exact T_c = 2.269185 (the full L = 32 job is reported in Benchmarks/README.md).
    func testPhaseClassifierFindsTheCriticalTemperature() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try makeScan(launcher, Self.scan(extents: "[16, 16]", from: 1.8, to: 3.0, count: 16, sweeps: 4000))
        let job = try String(contentsOf: Launcher.jobs.appendingPathComponent("train-ising-phase.toml"), encoding: .utf8)
            .replacingOccurrences(of: "epochs = 6", with: "epochs = 4")
        try launcher.write("phase.toml", job)
        let run = try launcher.ensemble(ranks: 2, ["run", "phase.toml", "--data", "scan.h5", "--output", "phase.h5"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let estimates = try launcher.python("""
        import h5py
        f = h5py.File('phase.h5', 'r')
        for m in ('cnn', 'dense'):
            g = f['models'][m]
            print(m, g.attrs['estimate_value'], g.attrs['estimate_error'])
        """).split(separator: "\n").map { $0.split(separator: " ") }
        XCTAssertEqual(estimates.count, 2)
        let exact = 2.269185314213022
        for e in estimates {
            let value = Double(e[1])!, error = Double(e[2])!
            XCTAssertLessThan(abs(value - exact), 0.02 * exact, "\(e[0]): T_c = \(value) ± \(error)")
            XCTAssertTrue(error > 0 && error < 0.05, "\(e[0]): bootstrap error \(error)")
        }
    }

    /// φ⁴ fields (float64 configurations) as data, labelled by κ, with per-sample RMS normalisation
    /// and a binary cross-entropy head: the model file records the normalisation, and `predict`
    /// applies it, reproducing the run's own predictions (to float32 rounding: the batches differ).
    func testFieldConfigurationsWithPerSampleNormalization() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("phi4.toml", Phi4RunTests.job(points: "kappa = [0.2, 0.3]\nlambda = [0.022]")
            .replacingOccurrences(of: "save_every = 20", with: "save_every = 5"))
        XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", "phi4.toml", "--output", "fields.h5"]).status, 0)
        try launcher.write("f.toml", """
            kind = "train"
            output = "f.h5"
            seed = 2
            [data]
            files = ["fields.h5"]
            label = "phase"
            boundary = 0.25
            ordered = "above"
            normalization = "per_sample"
            [training]
            epochs = 2
            batch = 8
            learning_rate = 0.01
            [models.logistic]
            layers = ["conv2d channels=2 kernel=3", "global_average_pool", "dense units=1"]
            loss = "binary_cross_entropy"
            """)
        let run = try launcher.ensemble(ranks: 2, ["run", "f.toml"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try launcher.ensemble(ranks: 1, ["predict", "f.h5", "fields.h5", "--output", "again.h5"]).status, 0)
        XCTAssertEqual(try launcher.python("""
        import h5py, numpy as np
        m = h5py.File('f.h5', 'r')['models/logistic']
        p = h5py.File('again.h5', 'r')['logistic/predictions'][...]
        print(m.attrs['parameter'], bool(m.attrs['input_per_sample_rms']), m['predictions'].shape[0],
              bool(np.abs(p - m["predictions"][...]).max() < 1e-5), bool(((p >= 0) & (p <= 1)).all()))
        """), "kappa True 48 True True")
    }
}
