import Foundation
import Launching
import XCTest

/// `kill -9` of one rank, at crash points inside the checkpoint and commit protocol (fixed, as
/// SQLite's crash tests fix theirs) and at seeded random times, for every job kind; each followed
/// by resumes until the run ends. Every verdict must be "identical" or a clear refusal.
final class KillTests: XCTestCase {
    /// Crash points per kind: (point, occurrence, rank). Each is reached in the run.
    static let crashPoints: [String: [(String, Int, Int)]] = [
        "demo": [("partial.created", 1, 1), ("checkpoint.state-written", 3, 0), ("result.sealed", 1, 0)],
        "ising": [("chain.saved", 7, 1), ("checkpoint.published", 9, 0), ("result.committed", 1, 1)],
        "phi4": [("checkpoint.written", 3, 1), ("partial.flushed", 6, 0), ("checkpoint.verified", 8, 0)],
        "train": [("partial.created", 1, 0), ("checkpoint.created", 2, 1), ("result.sealed", 1, 1)],
        "vacua": [("checkpoint.published", 2, 1), ("partial.flushed", 5, 0), ("result.committed", 1, 0)],
        "flow": [("checkpoint.written", 4, 1), ("partial.flushed", 3, 0), ("result.sealed", 1, 0)],
        "flow-sample": [("chain.saved", 5, 1), ("checkpoint.published", 3, 0), ("result.committed", 1, 1)],
        "rbm": [("checkpoint.state-written", 4, 0), ("checkpoint.verified", 6, 1), ("partial.created", 1, 1)],
    ]

    /// Random kills per kind, at seeded times spread over the run.
    static let randomKills = 1

    func testKillingARankAtAnyMomentNeverYieldsADifferentResult() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let harness = FaultHarness(launcher: launcher)
        for input in FaultJobs.inputs {
            try launcher.write(input.file, input.text)
            XCTAssertEqual(try launcher.ensemble(ranks: 2, ["run", input.file, "--output", input.output]).status, 0, input.file)
        }
        var generator = SplitMix(seed: 20261207)
        var tally = FaultTally()
        for (kind, text) in FaultJobs.all {
            let seconds = try harness.reference(kind, text)
            var cases: [(what: String, output: String)] = []
            for (index, (point, occurrence, rank)) in Self.crashPoints[kind, default: []].enumerated() {
                let output = "\(kind)-crash-\(index).h5"
                let crashed = try harness.run(kind, output: output, environment: ["ENSEMBLE_FAULT": "crash:\(point):\(occurrence):\(rank)"])
                XCTAssertNotEqual(crashed.status, 0, "\(kind): \(point)#\(occurrence) was never reached")
                cases.append(("\(kind) crashed at \(point)#\(occurrence) on rank \(rank)", output))
            }
            for index in 0..<Self.randomKills {
                let output = "\(kind)-kill-\(index).h5"
                let delay = (0.15 + 0.8 * generator.unit()) * seconds, rank = Int(generator.next() % 2)
                try harness.killRank(kind, output: output, after: delay, rank: rank)
                cases.append(("\(kind) killed on rank \(rank) after \(String(format: "%.2f", delay)) s", output))
            }
            // Every case brought to an end, then all results compared with the reference at once.
            var verdicts: [FaultVerdict?] = []
            for (_, output) in cases { verdicts.append(try harness.finish(kind, output: output)) }
            let finished = cases.indices.filter { verdicts[$0] == nil }
            let digests = try harness.digests(["\(kind)-reference.h5"] + finished.map { cases[$0].output })
            for (k, index) in finished.enumerated() {
                verdicts[index] = digests.count == finished.count + 1 && digests[k + 1] == digests[0] ? .identical : .silent
            }
            for (index, verdict) in verdicts.enumerated() {
                tally.add(verdict!)
                check(verdict!, cases[index].what)
            }
        }
        print("kill points: \(tally)")
        XCTAssertGreaterThanOrEqual(tally.tried, 20)
        XCTAssertEqual(tally.silent, 0, "\(tally)")
        XCTAssertEqual(tally.failed, 0, "\(tally)")
    }

    private func check(_ verdict: FaultVerdict, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        switch verdict {
        case .identical: break
        case let .refused(message):
            // A refusal is acceptable only when it says what is wrong and with which file.
            XCTAssertTrue(message.contains(".h5"), "\(what): refused without naming a file: \(message)", file: file, line: line)
        case .silent: XCTFail("\(what): resumed with exit 0 to a DIFFERENT result", file: file, line: line)
        case let .failed(message): XCTFail("\(what): \(message)", file: file, line: line)
        }
    }
}

/// SplitMix64: reproducible kill times from a fixed seed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
