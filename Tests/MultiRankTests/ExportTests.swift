import Foundation
import Launching
import XCTest

/// `ensemble export`: networks trained by the real binary, exported as ONNX, run by onnxruntime on
/// the configurations they were trained on, reproduce the predictions the training run stored;
/// trained flows, exported both ways, reproduce the flow file's worked examples; bad input is
/// refused before any file is written.
final class ExportTests: XCTestCase {
    /// In float32: a periodic CNN (Pad wrap + Conv) and a dense network with GELU and dropout, on
    /// standardised inputs, both with a softmax head.
    static let float32Models = """
        [models.cnn]
        layers = ["conv2d channels=4 kernel=3", "tanh", "conv2d channels=4 kernel=3", "relu", "global_average_pool", "dense units=2 init=glorot"]
        [models.mlp]
        layers = ["flatten", "dense units=16", "gelu", "dropout rate=0.2", "dense units=2 init=glorot"]
        """

    /// In float64: a CNN (the Slice + MatMul form, since onnxruntime has no float64 Conv) with a
    /// sigmoid head, and a dense network with GELU (its erf in float32) reading the lattice unflattened,
    /// on per-sample RMS inputs.
    static let float64Models = """
        [models.cnn]
        layers = ["conv2d channels=3 kernel=3", "sigmoid", "conv2d channels=2 kernel=5", "global_average_pool", "dense units=1"]
        loss = "binary_cross_entropy"
        [models.mlp]
        layers = ["dense units=8", "gelu", "dense units=8", "tanh", "dense units=2"]
        """

    /// Trains both precisions' models on one small 8×8 Ising scan, exports each model and runs it
    /// in onnxruntime on every stored configuration; prints the worst difference per model.
    func testOnnxRuntimeReproducesTheStoredPredictions() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("scan.toml", TrainRunTests.scan(count: 4))
        let scan = try launcher.ensemble(ranks: 2, ["run", "scan.toml", "--output", "scan.h5"])
        XCTAssertEqual(scan.status, 0, scan.stderr)
        let jobs = [("float32", "standardize", Self.float32Models), ("float64", "per_sample", Self.float64Models)]
        for (precision, normalization, models) in jobs {
            let text = TrainRunTests.train(precision: precision, models: models)
                .replacingOccurrences(of: "[training]", with: "normalization = \"\(normalization)\"\n[training]")
            try launcher.write("\(precision).toml", text)
            let run = try launcher.ensemble(ranks: 2, ["run", "\(precision).toml", "--output", "\(precision).h5"])
            XCTAssertEqual(run.status, 0, run.stderr)
            for model in ["cnn", "mlp"] {
                let export = try launcher.ensemble(["export", "\(precision).h5", "--model-name", model, "--onnx", "\(precision)-\(model).onnx"])
                XCTAssertEqual(export.status, 0, export.stderr)
                XCTAssertTrue(export.stdout.contains("wrote \(precision)-\(model).onnx"), export.stdout)
            }
        }
        let report = try launcher.python("""
        import h5py, json, numpy as np, onnx, onnxruntime as ort
        configurations = h5py.File('scan.h5', 'r')['configurations'][...]
        samples = configurations.reshape((-1,) + configurations.shape[2:])
        result = {}
        for precision, dtype in (('float32', np.float32), ('float64', np.float64)):
            for model in ('cnn', 'mlp'):
                path = f'{precision}-{model}.onnx'
                proto = onnx.load(path)
                onnx.checker.check_model(proto, full_check=True)
                graph = proto.graph
                batch = graph.input[0].type.tensor_type.shape.dim[0].dim_param
                stored = h5py.File(f'{precision}.h5', 'r')['models'][model]['predictions'][...]
                session = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
                predicted = session.run(['prediction'], {'configurations': samples.astype(dtype)})[0]
                alone = session.run(['prediction'], {'configurations': samples[5:6].astype(dtype)})[0]
                result[f'{precision}-{model}'] = {
                    'difference': float(np.abs(predicted.astype(np.float64) - stored).max()),
                    'alone': float(abs(alone[0] - predicted[5])), 'count': int(predicted.shape[0]),
                    'stored': int(stored.shape[0]), 'spread': float(stored.max() - stored.min()),
                    'dtype': str(predicted.dtype), 'batch': batch, 'producer': proto.producer_name,
                    'opset': int(proto.opset_import[0].version), 'ops': sorted({n.op_type for n in graph.node})}
        print(json.dumps(result))
        """)
        let results = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: [String: Any]], report)
        for precision in ["float32", "float64"] {
            for model in ["cnn", "mlp"] {
                let r = try XCTUnwrap(results["\(precision)-\(model)"])
                let difference = try XCTUnwrap(r["difference"] as? Double)
                print("onnxruntime vs stored predictions, \(precision) \(model): max |difference| = \(difference), ops \(r["ops"]!)")
                XCTAssertLessThan(difference, 1e-5, "\(precision) \(model)")
                XCTAssertLessThan(try XCTUnwrap(r["alone"] as? Double), 1e-5, "\(precision) \(model): a batch of one differs")
                XCTAssertEqual(r["count"] as? Int, r["stored"] as? Int)
                XCTAssertEqual(r["count"] as? Int, 4 * 100)
                // Predictions that vary over the scan, so agreement is not that of two constants.
                XCTAssertGreaterThan(try XCTUnwrap(r["spread"] as? Double), 0.01, "\(precision) \(model)")
                XCTAssertEqual(r["dtype"] as? String, precision)
                XCTAssertEqual(r["batch"] as? String, "batch")
                XCTAssertEqual(r["producer"] as? String, "ensemble")
                XCTAssertEqual(r["opset"] as? Int, 20)
            }
        }
        XCTAssertTrue((results["float32-cnn"]?["ops"] as? [String])?.contains("Conv") ?? false, "a float32 CNN uses Conv")
        XCTAssertTrue((results["float64-cnn"]?["ops"] as? [String])?.contains("MatMul") ?? false, "a float64 CNN uses MatMul")
        XCTAssertTrue((results["float64-mlp"]?["ops"] as? [String])?.contains("Where") ?? false, "per-sample RMS is in the graph")
    }

    /// Flows trained by the real binary in both precisions, exported as a sampler and as a density:
    /// onnxruntime maps the run file's worked examples (/flow/examples: prior draws z, fields
    /// φ = f(z), log q(φ), computed by the Swift sampler) to the same fields and log q, and the
    /// fields back to the same z and log q. Flags that do not fit a flow are refused.
    func testOnnxRuntimeRunsATrainedFlowBothWays() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        for precision in ["float32", "float64"] {
            try launcher.write("\(precision).toml", FlowRunTests.job(steps: 40, precision: precision))
            let run = try launcher.ensemble(ranks: 2, ["run", "\(precision).toml", "--output", "\(precision).h5"])
            XCTAssertEqual(run.status, 0, run.stderr)
            for direction in ["sample", "density"] {
                let export = try launcher.ensemble(["export", "\(precision).h5", "--direction", direction, "--onnx", "\(precision)-\(direction).onnx"])
                XCTAssertEqual(export.status, 0, export.stderr)
                XCTAssertTrue(export.stdout.contains("the flow, direction \(direction)"), export.stdout)
            }
        }
        let report = try launcher.python("""
        import h5py, json, numpy as np, onnx, onnxruntime as ort
        result = {}
        for precision, dtype in (('float32', np.float32), ('float64', np.float64)):
            with h5py.File(f'{precision}.h5', 'r') as f:
                e = f['flow/examples']
                z, phi, logq = e['prior'][...], e['fields'][...], e['log_density'][...]
            sessions = {}
            for direction in ('sample', 'density'):
                path = f'{precision}-{direction}.onnx'
                proto = onnx.load(path)
                onnx.checker.check_model(proto, full_check=True)
                sessions[direction] = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
                meta = {p.key: p.value for p in proto.metadata_props}
            fields, logq_sample = sessions['sample'].run(['fields', 'log_density'], {'prior': z.astype(dtype)})
            prior, logq_density = sessions['density'].run(['prior', 'log_density'], {'fields': phi.astype(dtype)})
            one = sessions['sample'].run(['fields'], {'prior': z[3:4].astype(dtype)})[0]
            log_r = -0.5 * (z.astype(np.float64) ** 2).sum(axis=(1, 2)) - 0.5 * z[0].size * np.log(2 * np.pi)
            result[precision] = {
                'fields': float(np.abs(fields - phi).max()), 'log_q': float(np.abs(logq_sample - logq).max()),
                'prior': float(np.abs(prior - z).max()), 'log_q_density': float(np.abs(logq_density - logq).max()),
                'alone': float(np.abs(one[0] - fields[3]).max()),
                'moved': float(np.abs(phi - z).max()), 'log_det': float(np.abs(log_r - logq).max()),
                'shape': list(z.shape), 'dtypes': [str(fields.dtype), str(logq_sample.dtype)],
                'kappa': meta['kappa'], 'direction': meta['direction']}
        print(json.dumps(result))
        """)
        let results = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: [String: Any]], report)
        for precision in ["float32", "float64"] {
            let r = try XCTUnwrap(results[precision])
            func value(_ key: String) throws -> Double { try XCTUnwrap(r[key] as? Double, "\(precision) \(key)") }
            print("onnxruntime vs the flow's examples, \(precision): max |difference| fields \(try value("fields")), "
                  + "log q \(try value("log_q")); density direction: z \(try value("prior")), log q \(try value("log_q_density"))")
            for key in ["fields", "log_q", "prior", "log_q_density", "alone"] {
                XCTAssertLessThan(try value(key), 1e-5, "\(precision) \(key)")
            }
            // A trained flow, not the identity: the fields moved and log q is not the prior's.
            XCTAssertGreaterThan(try value("moved"), 0.05, precision)
            XCTAssertGreaterThan(try value("log_det"), 0.05, precision)
            XCTAssertEqual(r["shape"] as? [Int], [8, 4, 6])
            XCTAssertEqual(r["dtypes"] as? [String], [precision, "float64"])
            XCTAssertEqual(r["kappa"] as? String, "0.25")
        }
        // Flags that belong to the other kind of file are refused, and nothing is written.
        let before = try launcher.listing()
        for (arguments, message) in [
            (["export", "float32.h5", "--model-name", "cnn", "--onnx", "x.onnx"], "a flow run holds one flow"),
            (["export", "float32.h5", "--direction", "backwards", "--onnx", "x.onnx"], "backwards"),
        ] {
            let outcome = try launcher.ensemble(arguments)
            XCTAssertNotEqual(outcome.status, 0, "\(arguments)")
            XCTAssertTrue(outcome.stderr.contains(message), "\(arguments): expected '\(message)' in \(outcome.stderr)")
            XCTAssertEqual(try launcher.listing(), before, "\(arguments) changed the folder")
        }
    }

    /// A missing or non-model input, a model file with several models and no --model-name, an output
    /// that is not .onnx or already exists: exit 2 with a message, and the folder is left as it was.
    func testBadInputIsRefusedAndNothingIsWritten() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        try launcher.write("scan.toml", TrainRunTests.scan(count: 4, sweeps: 200))
        XCTAssertEqual(try launcher.ensemble(ranks: 1, ["run", "scan.toml", "--output", "scan.h5"]).status, 0)
        try launcher.write("t.toml", TrainRunTests.train(precision: "float32", epochs: 1))
        let run = try launcher.ensemble(ranks: 1, ["run", "t.toml", "--output", "model.h5"])
        XCTAssertEqual(run.status, 0, run.stderr)
        try launcher.write("taken.onnx", "not to be overwritten")
        let before = try launcher.listing()
        let cases: [([String], String)] = [
            (["export", "missing.h5", "--onnx", "out.onnx"], "missing.h5: no such file"),
            (["export", "scan.h5", "--onnx", "out.onnx"], "is not a model file"),
            (["export", "model.h5", "--onnx", "out.onnx"], "holds 2 models (cnn, mlp); choose one with --model-name NAME"),
            (["export", "model.h5", "--model-name", "nope", "--onnx", "out.onnx"], "\"nope\" is not in the file"),
            (["export", "model.h5", "--model-name", "cnn", "--onnx", "out.h5"], "must end in .onnx"),
            (["export", "model.h5", "--model-name", "cnn", "--onnx", "nowhere/out.onnx"], "does not exist"),
            (["export", "model.h5", "--model-name", "cnn", "--onnx", "taken.onnx"], "\"taken.onnx\" exists; pass --force"),
            (["export", "model.h5", "--model-name", "cnn", "--direction", "sample", "--onnx", "out.onnx"], "applies to a trained flow"),
        ]
        for (arguments, message) in cases {
            let outcome = try launcher.ensemble(arguments)
            XCTAssertEqual(outcome.status, 2, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(message), "\(arguments): expected '\(message)' in \(outcome.stderr)")
            XCTAssertEqual(try launcher.listing(), before, "\(arguments) changed the folder")
        }
        // With --force the file is replaced by a model, and no temporary file is left.
        let forced = try launcher.ensemble(["export", "model.h5", "--model-name", "cnn", "--onnx", "taken.onnx", "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(Set(try launcher.listing().keys), Set(before.keys))
        XCTAssertEqual(try launcher.python("""
        import onnx
        m = onnx.load('taken.onnx'); onnx.checker.check_model(m)
        print(m.producer_name, m.graph.input[0].name, m.graph.output[0].name)
        """), "ensemble configurations prediction")
    }
}
