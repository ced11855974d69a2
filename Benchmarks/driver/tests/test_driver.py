"""Fast checks of the benchmark driver, without running the benchmarks: the case table, BENCH
selection, the common schema of bench-results.jsonl, and (when the release binary exists) that
every `ensemble bench … --json` prints lines the driver reads.

    python3 -m unittest discover -s Benchmarks/driver/tests -t Benchmarks
(run by Tests/MultiRankTests/BenchDriverTests.swift, so `make test` runs it too)."""

import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(BENCHMARKS))

from driver import cases, hmc, ising, records, runtime  # noqa: E402
from driver.steps import clean_environment  # noqa: E402

# A line as the Swift BenchmarkRecord prints it (sorted keys, full-precision doubles).
SWIFT_ISING = ('{"L":256,"benchmark":"ising_metropolis","bytes_per_site":0.15625,"implementation":"ensemble","ranks":2,'
               '"seconds":0.5,"seconds_per_sweep":0.000125,"sweeps":4000,"updates_per_ns":0.524288,'
               '"updates_per_ns_per_core":0.262144}')


def binary():
    path = os.environ.get("ENSEMBLE_BINARY") or str(BENCHMARKS.parent / ".build" / "release" / "ensemble")
    return path if os.access(path, os.X_OK) else None


class CaseTableTests(unittest.TestCase):
    def test_names(self):
        self.assertEqual(cases.NAMES, ("cluster", "store", "checkpoint", "ising", "hmc", "train", "flow", "sampling", "vacua"))

    def test_every_case_is_described(self):
        for case in cases.CASES:
            self.assertTrue(case.ensemble and case.peers and case.ratios, case.name)
            self.assertTrue(callable(case.run) and callable(case.table), case.name)
            for source in case.sources:
                self.assertTrue((BENCHMARKS / "peers" / source).is_file(), f"{case.name}: {source}")


class SelectionTests(unittest.TestCase):
    def names(self, *words):
        return [case.name for case in cases.select(list(words))]

    def test_empty_selects_all(self):
        self.assertEqual(self.names(), list(cases.NAMES))
        self.assertEqual(self.names(""), list(cases.NAMES))

    def test_ising_selects_only_ising(self):
        self.assertEqual(self.names("ising"), ["ising"])

    def test_lists_keep_the_table_order(self):
        self.assertEqual(self.names("hmc,ising"), ["ising", "hmc"])
        self.assertEqual(self.names("hmc ising"), ["ising", "hmc"])
        self.assertEqual(self.names("hmc", "ising,hmc"), ["ising", "hmc"])

    def test_unknown_name_lists_the_valid_ones(self):
        with self.assertRaises(cases.SelectionError) as raised:
            cases.select(["ising,isnig"])
        self.assertIn("'isnig'", str(raised.exception))
        self.assertIn(", ".join(cases.NAMES), str(raised.exception))

    def test_unknown_name_stops_before_anything_runs(self):
        with tempfile.TemporaryDirectory() as scratch:
            build = Path(scratch) / "build"
            done = subprocess.run([sys.executable, BENCHMARKS / "run", "/nonexistent/ensemble", sys.executable, build,
                                   "ising", "bogus"], capture_output=True, text=True)
            self.assertEqual(done.returncode, 2, done.stderr)
            self.assertIn("valid names: cluster, store, checkpoint, ising, hmc, train, flow, sampling, vacua", done.stderr)
            self.assertFalse(build.exists())
            check = subprocess.run([sys.executable, BENCHMARKS / "run", "--check", "ising,hmc"], capture_output=True)
            self.assertEqual(check.returncode, 0)


class SchemaTests(unittest.TestCase):
    def check_rows(self, rows):
        self.assertTrue(rows)
        for row in rows:
            self.assertEqual(set(row), set(records.SCHEMA))
            for key, kind in records.SCHEMA.items():
                self.assertIsInstance(row[key], kind, key)
            # What goes into the results file comes back out of it unchanged.
            self.assertEqual(json.loads(json.dumps(row)), row)

    def test_swift_record_decodes_to_the_common_schema(self):
        line = json.loads(SWIFT_ISING)
        self.assertEqual(ising.expect("ensemble", 2, {256: None})([line]), [line])
        rows = records.normalize(line, round=2, step="ising-ensemble-np2-2", cpu="test", time="2026-12-07T00:00:00Z")
        self.check_rows(rows)
        self.assertEqual({row["metric"] for row in rows}, set(records.LAYOUTS["ising_metropolis"].metrics))
        self.assertEqual({(row["side"], row["ranks"], row["case"], row["round"]) for row in rows},
                         {("ensemble", 2, "L=256", 2)})
        back = records.Results(rows).pick("ising_metropolis", side="ensemble", ranks=2, L=256)
        self.assertEqual(len(back), 1)
        self.assertEqual(back[0]["sweeps"], 4000)
        self.assertAlmostEqual(back[0]["updates_per_ns_per_core"], 0.262144)

    def test_peer_line_decodes_too(self):
        line = {"benchmark": "ising_metropolis", "implementation": "numba", "L": 256, "ranks": 1, "sweeps": 10,
                "seconds": 0.5, "updates_per_ns": 256 * 256 * 10 / 0.5 / 1e9,
                "updates_per_ns_per_core": 256 * 256 * 10 / 0.5 / 1e9}
        rows = records.normalize(line)
        self.check_rows(rows)
        self.assertEqual(rows[0]["side"], "numba")

    def test_inconsistent_or_missing_lines_are_refused(self):
        line = json.loads(SWIFT_ISING)
        with self.assertRaises(records.RecordError):
            ising.expect("ensemble", 2, {256: None, 4096: None})([line])
        with self.assertRaises(records.RecordError):
            ising.expect("ensemble", 2, {256: None})([dict(line, updates_per_ns=1.0)])
        with self.assertRaises(records.RecordError):
            records.normalize(dict(line, seconds="nan"))


class TableTests(unittest.TestCase):
    """The Ising table from made-up figures: medians over rounds, ratios, efficiency lines."""

    class Stub:
        rounds, python = 3, sys.executable

        def version(self, key, python, code):
            return key

        def cc_version(self):
            return "gcc"

    def line(self, side, ranks, size, rate, sweeps):
        seconds = size * size * sweeps / (rate * ranks) / 1e9
        line = {"benchmark": "ising_metropolis", "implementation": side, "L": size, "ranks": ranks, "sweeps": sweeps,
                "seconds": seconds, "updates_per_ns": rate * ranks, "updates_per_ns_per_core": rate}
        if side == "ensemble":
            line.update(bytes_per_site=0.13, seconds_per_sweep=seconds / sweeps)
        return line

    def test_ising_table(self):
        rows = []
        for round, scale in ((1, 1.0), (2, 1.2), (3, 0.5)):  # the median is round 1's
            for size, sweeps in ((256, 4000), (4096, 50)):
                for side, ranks, rate in (("ensemble", 1, 2.0), ("ensemble", 2, 1.8), ("numba", 1, 0.05), ("c", 1, 0.16)):
                    rows += records.normalize(self.line(side, ranks, size, rate * scale, sweeps), round=round,
                                              step=f"{side}-{ranks}-{size}-{round}")
        text = "\n".join(ising.table(self.Stub(), records.Results(rows), {"ising"}))
        self.assertIn("median of 3 rounds", text)
        self.assertRegex(text, r"Ensemble 1 rank vs numba\s+256\s+4000\s+2.00\s+0.0500\s+numba, 1 process\s+40.00x")
        self.assertRegex(text, r"Ensemble 1 rank vs C\s+4096\s+50\s+2.00\s+0.160\s+C, cc -O2 \(gcc\), 1 process\s+12.50x")
        self.assertRegex(text, r"Ensemble 2 ranks vs numba\s+4096\s+50\s+1.80\s+0.0500")
        self.assertIn("parallel efficiency, 2 ranks, L = 4096  90.0 %", text)


@unittest.skipUnless(binary(), "no release ensemble binary (set ENSEMBLE_BINARY)")
class SwiftOutputTests(unittest.TestCase):
    """Each `ensemble bench … --json`, tiny, without mpirun: its lines parse and pass the driver's checks."""

    RUNS = {
        "ising": ("ising", "--sizes", "16:4,32:2"),
        "hmc": ("hmc", "--d", 2, "--L", 8, "--trajectories", 2, "--steps", 4),
        "cluster": ("cluster", "--bytes", "8000", "--repetitions", 2),
        "store": ("store", "--megabytes", 1, "--directory", "{scratch}"),
        "checkpoint": ("checkpoint", "--megabytes", 1, "--directory", "{scratch}"),
        "train": ("train", "--L", 8, "--batch", 2, "--steps", 1, "--warmup", 0),
        "flow": ("flow", "--L", 4, "--couplings", 2, "--batch", 2, "--steps", 1, "--warmup", 0),
        "vacua": ("vacua", "--L", 3, "--solver-evaluations", 10, "--evaluations", 100, "--population", 10),
    }

    @classmethod
    def setUpClass(cls):
        # All at once: each spends seconds starting MPI and little computing, so the suite stays quick.
        cls.scratch = tempfile.TemporaryDirectory()
        cls.processes = {}
        for name, arguments in cls.RUNS.items():
            folder = Path(cls.scratch.name) / name
            folder.mkdir()
            command = [binary(), "bench", *(str(a).format(scratch=folder) for a in arguments), "--json"]
            cls.processes[name] = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                                   env=clean_environment())
        cls.outputs = {name: (process.communicate(timeout=120), process.returncode)
                       for name, process in cls.processes.items()}

    @classmethod
    def tearDownClass(cls):
        cls.scratch.cleanup()

    def lines(self, name):
        (stdout, stderr), status = self.outputs[name]
        self.assertEqual(status, 0, stderr)
        lines = records.json_lines(stdout, f"ensemble bench {name}")
        self.assertTrue(lines, stdout)
        for line in lines:
            self.assertEqual(line["implementation"], "ensemble")
            SchemaTests.check_rows(self, records.normalize(line))
        return lines

    def test_ising(self):
        ising.expect("ensemble", 1, {16: None, 32: None})(self.lines("ising"))

    def test_hmc(self):
        hmc.expect("ensemble", 1, 2, 8, 2, steps=4)(self.lines("hmc"))

    def test_runtime(self):
        runtime_sizes = {"allreduce": 8000, "collective_write": 1 << 20, "checkpoint_write": 1 << 20,
                         "content_checksum": 1 << 20}
        found = [line for name in ("cluster", "store", "checkpoint") for line in self.lines(name)]
        self.assertEqual([line["benchmark"] for line in found],
                         ["allreduce", "collective_write", "checkpoint_write", "content_checksum"])
        for line in found:
            self.assertEqual(line["bytes"], runtime_sizes[line["benchmark"]])
            self.assertTrue(records.positive_number(line[runtime.SIZES[line["benchmark"]][1]]))
        for name in ("store", "checkpoint"):
            self.assertEqual(os.listdir(Path(self.scratch.name) / name), [], "the benchmark's file is left behind")

    def test_train(self):
        lines = self.lines("train")
        self.assertEqual([(line["benchmark"], line["precision"]) for line in lines], [("train", "float32")])

    def test_flow(self):
        lines = self.lines("flow")
        self.assertEqual([(line["benchmark"], line["couplings"], line["L"]) for line in lines], [("flow", 2, 4)])

    def test_vacua(self):
        lines = self.lines("vacua")
        self.assertEqual([line["benchmark"] for line in lines], ["vacua_solver", "vacua_ga"])
        self.assertEqual(lines[1]["evaluations"], 100)


if __name__ == "__main__":
    unittest.main()
