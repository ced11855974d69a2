import Foundation
import Jobs
import XCTest

/// Job files: strict decoding and the wording of every error.
final class JobFileTests: XCTestCase {
    static let valid = """
    kind = "demo"
    output = "demo.h5"
    seed = 1
    [demo]
    autocorrelations = [0, 0.5]   # integers are numbers too
    chains = 2
    measurements = 100
    checkpoint_every = 50
    """

    func message(_ text: String) -> String {
        do {
            _ = try JobFile.parse(text, path: "job.toml")
            return "accepted"
        } catch {
            return error.description
        }
    }

    func testValidFileDecodes() throws {
        let file = try JobFile.parse(Self.valid, path: "job.toml")
        let demo = try XCTUnwrap(file.job as? DemoJob)
        XCTAssertEqual(demo.demo.autocorrelations, [0, 0.5])
        XCTAssertEqual(demo.demo.checkpointEvery, 50)
        XCTAssertEqual(file.text, Self.valid)
        XCTAssertEqual(demo.plan(ranks: 4).count, 4)
    }

    /// --seed rewrites the top-level seed line and nothing else.
    func testReplacingTheSeedRewritesOnlyTheTopLevelSeed() throws {
        let file = try JobFile.parse(Self.valid, path: "job.toml")
        let seeded = try file.replacingSeed(42)
        XCTAssertEqual(seeded.job.seed, 42)
        XCTAssertEqual(seeded.text, Self.valid.replacingOccurrences(of: "seed = 1\n", with: "seed = 42   # set by --seed 42\n"))
        XCTAssertEqual(try file.replacingSeed(nil).text, Self.valid)
    }

    /// The valid keys listed are all of the section's, not only those the file set; a misspelt
    /// required key is reported as the typo rather than as missing.
    func testUnknownKeysListEveryValidKeyOfTheirSection() {
        let vacua = "kind = \"vacua\"\noutput = \"x.h5\"\nseed = 1\n[vacua]\nflux_limit = 10\nmethod = \"genetic\"\nevaluations = 1000\n"
        XCTAssertEqual(message(vacua + "[vacua.genetic]\nmigrate_evry = 5\n"),
                       "job.toml: vacua.genetic.migrate_evry: unknown key; valid keys here are: crossover, elite, initial_box, islands, "
                       + "migrants, migrate_every, mutation, population, selection, tournament_size, width_end, width_start")
        XCTAssertEqual(message(vacua + "[vacua.genetic]\npopulation = 20\n"), "accepted")
        let phi4 = message("kind = \"phi4\"\noutput = \"x.h5\"\nseed = 1\n[phi4]\nkapa = 0.2\n")
        XCTAssertTrue(phi4.hasPrefix("job.toml: phi4.kapa: unknown key; valid keys here are: ") && phi4.contains(" kappa,")
                      && phi4.contains(" extents,"), phi4)
    }

    func testErrorsNameFileKeyValueAndWhatIsValid() {
        XCTAssertEqual(message(Self.valid + "\nstpes = 1"),
                       "job.toml: demo.stpes: unknown key; valid keys here are: autocorrelations, chains, checkpoint_every, measurements")
        XCTAssertEqual(message(Self.valid.replacingOccurrences(of: "seed = 1\n", with: "seed = 1\nsede = 2\n")),
                       "job.toml: sede: unknown key; valid keys here are: demo, kind, output, seed")
        XCTAssertEqual(message(Self.valid.replacingOccurrences(of: "chains = 2", with: "chains = 0")),
                       "job.toml: demo.chains: 0 is out of range: must be between 1 and 1000000")
        XCTAssertEqual(message(Self.valid.replacingOccurrences(of: "chains = 2", with: "chains = 2.5")),
                       "job.toml: demo.chains: 2.5 is not valid: expected a whole number")
        XCTAssertEqual(message(Self.valid.replacingOccurrences(of: "seed = 1\n", with: "seed = -1\n")),
                       "job.toml: seed: -1 is not valid: expected a whole number ≥ 0")
        XCTAssertEqual(message(Self.valid.replacingOccurrences(of: "[0, 0.5]", with: "[0, \"x\"]")),
                       "job.toml: demo.autocorrelations[1]: \"x\" is not valid: expected a number")
        XCTAssertEqual(message(Self.valid.replacingOccurrences(of: "[0, 0.5]", with: "[]")),
                       "job.toml: demo.autocorrelations: the list is empty; give at least one ρ")
        XCTAssertEqual(message(Self.valid.replacingOccurrences(of: "checkpoint_every = 50", with: "checkpoint_every = 500")),
                       "job.toml: demo.checkpoint_every: 500 is out of range: must be between 1 and 100")
        XCTAssertEqual(message(Self.valid.replacingOccurrences(of: "\"demo.h5\"", with: "\"demo.txt\"")),
                       "job.toml: output: \"demo.txt\" must end in .h5")
        XCTAssertEqual(message(Self.valid.replacingOccurrences(of: "measurements = 100\n", with: "")),
                       "job.toml: demo.measurements: missing; this key is required")
        // Keys of two words are spelt with an underscore in the file, in every message too.
        XCTAssertEqual(message(Self.valid.replacingOccurrences(of: "\ncheckpoint_every = 50", with: "")),
                       "job.toml: demo.checkpoint_every: missing; this key is required")
        XCTAssertEqual(message(Self.valid.replacingOccurrences(of: "checkpoint_every = 50", with: "checkpoint_every = \"often\"")),
                       "job.toml: demo.checkpoint_every: \"often\" is not valid: expected a whole number")
        XCTAssertEqual(message(Self.valid.replacingOccurrences(of: "checkpoint_every", with: "checkpointEvery")),
                       "job.toml: demo.checkpointEvery: unknown key; valid keys here are: autocorrelations, chains, checkpoint_every, measurements")
        // The top-level keys are read into the definition's header, which the file does not name.
        XCTAssertEqual(message(Self.valid + "\n[header]\nseed = 2"),
                       "job.toml: header: unknown key; valid keys here are: demo, kind, output, seed")
        XCTAssertEqual(message(Self.valid.replacingOccurrences(of: "output = \"demo.h5\"\n", with: "")),
                       "job.toml: output: missing; this key is required")
        XCTAssertEqual(message(Self.valid.replacingOccurrences(of: "output = \"demo.h5\"", with: "output = 5")),
                       "job.toml: output: 5 is not valid: expected a string")
        XCTAssertEqual(message("kind = \"lattice_qcd\""), "job.toml: kind: \"lattice_qcd\" is not a known job kind; must be one of \"demo\", \"ising\", \"phi4\", \"train\", \"flow\", \"flow-sample\", \"rbm\", \"vacua\"")
        XCTAssertEqual(message("output = \"x.h5\""), "job.toml: kind: missing; must be one of \"demo\", \"ising\", \"phi4\", \"train\", \"flow\", \"flow-sample\", \"rbm\", \"vacua\"")
        XCTAssertTrue(message("kind = \"demo\"\n[demo\n").hasPrefix("job.toml: malformed TOML at line 2, column"), message("[demo"))
        XCTAssertTrue(message(Self.valid.replacingOccurrences(of: "[0, 0.5]", with: "[0, nan]")).contains("non-finite"))
    }

    /// A key whose value is one of a few words is read as a Swift enum: another word is refused
    /// while the file is read, with the key, the word and every valid word.
    func testChoicesNameEveryValidWord() throws {
        let ising = """
            kind = "ising"
            output = "i.h5"
            seed = 1
            [ising]
            extents = [8, 8]
            temperatures = [2.0]
            algorithms = ["metropolis", "wolf"]
            thermalization = 1
            sweeps = 10
            """
        XCTAssertEqual(message(ising), "job.toml: ising.algorithms[1]: \"wolf\" is not valid: must be one of \"metropolis\", \"heat_bath\", \"wolff\", \"swendsen_wang\"")
        XCTAssertEqual(message(ising.replacingOccurrences(of: "\"wolf\"", with: "\"wolff\"") + "\ndecomposition = \"diagonal\""),
                       "job.toml: ising.decomposition: \"diagonal\" is not valid: must be one of \"replicas\", \"domain\"")
        let vacua = """
            kind = "vacua"
            output = "v.h5"
            seed = 1
            [vacua]
            flux_limit = 10
            method = "annealing"
            evaluations = 10
            """
        XCTAssertEqual(message(vacua), "job.toml: vacua.method: \"annealing\" is not valid: must be one of \"genetic\", \"policy\", \"random\", \"enumerate\"")
        XCTAssertEqual(message(vacua.replacingOccurrences(of: "annealing", with: "genetic") + "\nmodel = \"K3\""),
                       "job.toml: vacua.model: \"K3\" is not valid: must be one of \"symmetric\", \"three-modulus\"")
    }

    func testMissingAndUnreadableFiles() {
        XCTAssertThrowsError(try JobFile.load("/nonexistent/job.toml")) { error in
            XCTAssertEqual("\(error)", "/nonexistent/job.toml: no such job file")
        }
    }

    func testOutputChecksTouchNothing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jobs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let job = try JobFile.parse(Self.valid, path: "job.toml")
        let target = folder.appendingPathComponent("out.h5").path
        XCTAssertEqual(try RunOptions(output: target).checkOutput(for: job, ranks: 1), target)
        XCTAssertThrowsError(try RunOptions(output: target, resume: true).checkOutput(for: job, ranks: 1)) {
            XCTAssertTrue("\($0)".contains("no interrupted run"), "\($0)")
        }
        // A run killed before its first checkpoint left only a .partial: resuming starts it over.
        _ = FileManager.default.createFile(atPath: target + ".partial", contents: Data("not hdf5".utf8))
        XCTAssertEqual(try RunOptions(output: target, resume: true).checkOutput(for: job, ranks: 1), target)
        XCTAssertThrowsError(try RunOptions(output: target).checkOutput(for: job, ranks: 1)) { XCTAssertTrue("\($0)".contains("--resume"), "\($0)") }
        _ = FileManager.default.createFile(atPath: target + ".checkpoint", contents: Data("not hdf5".utf8))
        XCTAssertThrowsError(try RunOptions(output: target, resume: true).checkOutput(for: job, ranks: 1)) {
            XCTAssertTrue("\($0)".contains("out.h5.checkpoint: is damaged"), "\($0)")
        }
        try FileManager.default.removeItem(atPath: target + ".partial")
        try FileManager.default.removeItem(atPath: target + ".checkpoint")
        _ = FileManager.default.createFile(atPath: target, contents: Data("result".utf8))
        XCTAssertThrowsError(try RunOptions(output: target).checkOutput(for: job, ranks: 1)) { XCTAssertTrue("\($0)".contains("exists")) }
        XCTAssertEqual(try RunOptions(output: target, force: true).checkOutput(for: job, ranks: 1), target)
        XCTAssertThrowsError(try RunOptions(output: target, resume: true).checkOutput(for: job, ranks: 1)) {
            XCTAssertTrue("\($0)".contains("the run is complete"), "\($0)")
        }
        XCTAssertThrowsError(try RunOptions(output: folder.path + "/missing/out.h5").checkOutput(for: job, ranks: 1)) {
            XCTAssertTrue("\($0)".contains("does not exist"))
        }
        try FileManager.default.createDirectory(atPath: folder.path + "/dir.h5", withIntermediateDirectories: false)
        XCTAssertThrowsError(try RunOptions(output: folder.path + "/dir.h5").checkOutput(for: job, ranks: 1)) {
            XCTAssertTrue("\($0)".contains("is a folder"), "\($0)")
        }
        let long = folder.path + "/" + String(repeating: "x", count: 245) + ".h5"
        XCTAssertThrowsError(try RunOptions(output: long).checkOutput(for: job, ranks: 1)) {
            XCTAssertTrue("\($0)".contains("is too long"), "\($0)")
        }
        XCTAssertEqual(String(data: FileManager.default.contents(atPath: target)!, encoding: .utf8), "result")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["dir.h5", "out.h5"], "nothing created")
    }

    func testIsingJobsTakeTemperaturesARangeOrBetas() throws {
        let base = """
        kind = "ising"
        output = "i.h5"
        seed = 3
        [ising]
        extents = [8, 8]
        algorithms = ["metropolis"]
        thermalization = 10
        sweeps = 100
        """
        let range = try XCTUnwrap(try JobFile.parse(base + "\ntemperature_range = { from = 2.0, to = 3.0, count = 3 }", path: "j").job as? IsingJob)
        XCTAssertEqual(range.temperatures, [2.0, 2.5, 3.0])
        let betas = try XCTUnwrap(try JobFile.parse(base + "\nbetas = [0.25, 0.5]", path: "j").job as? IsingJob)
        XCTAssertEqual(betas.betas, [0.25, 0.5])
        XCTAssertEqual(betas.temperatures, [4.0, 2.0])
        XCTAssertTrue(message(base + "\nbetas = [0.5]\ntemperatures = [2.0]").contains("exactly one of"))
        XCTAssertTrue(message(base).contains("exactly one of"))
        XCTAssertTrue(message(base + "\nbetas = [0.0]").contains("ising.betas[0]: 0.0 is not valid"))
        XCTAssertTrue(message(base.replacingOccurrences(of: "[8, 8]", with: "[8]") + "\nbetas = [0.5]").contains("give 2 (a 2D lattice) or 3"))
        XCTAssertEqual(try JobFile.parse(base + "\nbetas = [0.5]", path: "j").job.plan(ranks: 2).count, 4)
    }

    /// Every shipped job file parses and passes its checks; the train jobs' static checks name the
    /// key of each bad value (their data files are checked when they run).
    func testShippedJobFilesAndTrainJobChecks() throws {
        let jobs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("jobs")
        let names = try FileManager.default.contentsOfDirectory(atPath: jobs.path).filter { $0.hasSuffix(".toml") }
        XCTAssertTrue(names.contains("train-ising-phase.toml") && names.contains("train-phi4-phase.toml")
                      && names.contains("train-ising-temperature.toml"))
        for name in names { XCTAssertNoThrow(try JobFile.load(jobs.appendingPathComponent(name).path), name) }
        let base = try String(contentsOf: jobs.appendingPathComponent("train-ising-phase.toml"), encoding: .utf8)
        let job = try XCTUnwrap(try JobFile.parse(base, path: "t").job as? TrainJob)
        XCTAssertEqual(job.modelNames, ["cnn", "dense"])
        XCTAssertEqual(job.phaseClass(of: 2.0), 1)
        XCTAssertEqual(job.phaseClass(of: 2.5), 0)
        for (from, to, expected) in [
            ("label = \"phase\"", "label = \"colour\"", "data.label"),
            ("boundary = 2.269185314213022", "", "data.boundary: missing"),
            ("optimizer = \"adam\"", "optimizer = \"lbfgs\"", "training.optimizer"),
            ("learning_rate = 0.003", "learning_rate = -1.0", "training.learning_rate"),
            ("epochs = 6", "epochs = 0", "training.epochs"),
            ("\"relu\", \"conv2d", "\"swish\", \"conv2d", "models.cnn.layers[1]"),
            ("loss = \"softmax_cross_entropy\"\n\n[models.dense]", "loss = \"mean_squared_error\"\n\n[models.dense]", "models.cnn.loss"),
            ("[[0.0, 2.0], [2.6, 100.0]]", "[[2.0, 0.0]]", "data.train_ranges[0]"),
        ] {
            XCTAssertTrue(base.contains(from), from)
            XCTAssertTrue(message(base.replacingOccurrences(of: from, with: to)).contains(expected), "\(to): \(message(base.replacingOccurrences(of: from, with: to)))")
        }
    }
}
