"""The one results file: every figure of every side as a JSON line with a common schema.

Ensemble (`ensemble bench … --json`, written by the Swift `BenchmarkRecord`) and every peer
print flat JSON objects: `benchmark`, `implementation`, `ranks`, then that benchmark's
parameters and figures. `normalize` turns one such object into rows of the common schema,
one per figure:

    {"benchmark": "ising_metropolis", "case": "L=256", "side": "ensemble", "ranks": 1,
     "metric": "updates_per_ns_per_core", "value": 0.91, "unit": "updates/ns/core",
     "params": {"L": 256, "sweeps": 4000}, "round": 1, "step": "ising-ensemble-np1-1",
     "cpu": "AMD EPYC", "time": "2026-12-07T13:02:11Z"}

`Results.records` groups them back into one flat dict per measurement for the tables.
"""

import json
import math
import statistics
from dataclasses import dataclass

# The keys every row of bench-results.jsonl has, and their types.
SCHEMA = {
    "benchmark": str, "case": str, "side": str, "ranks": int, "metric": str, "value": float,
    "unit": str, "params": dict, "round": int, "step": str, "cpu": str, "time": str,
}


class RecordError(Exception):
    """A step's output lacks a line the driver expects, or a line is inconsistent."""


@dataclass(frozen=True)
class Layout:
    """What one benchmark's lines hold: the keys naming its case, and its figures with units."""
    case: tuple
    metrics: dict


LAYOUTS = {
    "allreduce": Layout(("bytes",), {"seconds": "s", "gb_per_s": "GB/s"}),
    "collective_write": Layout(("bytes",), {"seconds": "s", "mb_per_s": "MB/s"}),
    "checkpoint_write": Layout(("bytes",), {"seconds": "s", "mb_per_s": "MB/s"}),
    "content_checksum": Layout(("bytes",), {"seconds": "s", "gb_per_s": "GB/s"}),
    "raw_write": Layout(("bytes",), {"seconds": "s", "mb_per_s": "MB/s"}),
    "ising_metropolis": Layout(("L",), {
        "seconds": "s", "updates_per_ns": "updates/ns", "updates_per_ns_per_core": "updates/ns/core",
        "bytes_per_site": "B/site", "seconds_per_sweep": "s"}),
    "hmc": Layout(("d", "L"), {
        "seconds": "s", "trajectories_per_second": "1/s", "force_per_site_per_ns": "forces/site/ns",
        "force_per_site_per_ns_per_core": "forces/site/ns/core", "acceptance": "1", "mean_delta_h": "1",
        "copy_bandwidth_GBps": "GB/s", "force_bytes_per_site": "B/site"}),
    "train": Layout(("L", "batch_per_rank", "precision"), {
        "seconds": "s", "samples_per_s": "samples/s", "samples_per_s_per_rank": "samples/s/rank",
        "final_loss": "1", "conv_gflops": "GFLOP/s", "gemm_gflops_same_shapes": "GFLOP/s"}),
    "flow": Layout(("L", "couplings", "batch_per_rank", "precision"), {
        "seconds": "s", "fields_per_s": "fields/s", "fields_per_s_per_rank": "fields/s/rank",
        "final_loss": "1", "final_ess": "1"}),
    "sampling_efficiency": Layout(("L", "kappa"), {
        "seconds": "s", "samples": "1", "tau_int": "1", "acceptance": "1", "samples_per_cpu_s": "1/s",
        "effective_per_cpu_s": "1/s", "abs_magnetization": "1", "abs_magnetization_error": "1"}),
    "gemm": Layout(("precision", "m", "n", "k"), {"gflops": "GFLOP/s", "seconds_per_call": "s"}),
    "vacua_solver": Layout(("L",), {"seconds": "s", "evaluations_per_s": "evaluations/s"}),
    "vacua_ga": Layout(("L", "evaluations", "islands", "seed"), {
        "seconds": "s", "evaluations_per_s": "evaluations/s", "evaluations_per_s_per_rank": "evaluations/s/rank",
        "solver_calls_per_s_per_rank": "calls/s/rank", "target_vacua_per_cpu_s": "vacua/cpu-s"}),
}


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def positive_number(value):
    return is_number(value) and value > 0


def close(a, b, tolerance=0.01):
    """Whether a rate a side reports agrees with the one its own counts and seconds give."""
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def json_lines(text, origin):
    """The JSON objects with a 'benchmark' key among a step's output lines (mpirun chatter skipped)."""
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise RecordError(f"{origin}:{number}: not valid JSON ({error}): {line[:200]}")
        if isinstance(row, dict) and "benchmark" in row:
            lines.append(row)
    return lines


def case_of(line):
    """`L=256`, `d=2 L=64`, …: the values of the benchmark's case keys, in the layout's order."""
    layout = LAYOUTS[line["benchmark"]]
    return " ".join(f"{key}={line[key]}" for key in layout.case if key in line)


def normalize(line, side=None, round=1, step="", cpu="", time=""):
    """One flat benchmark line as rows of the common schema, one per figure it reports."""
    benchmark = line.get("benchmark")
    if benchmark not in LAYOUTS:
        raise RecordError(f"unknown benchmark {benchmark!r} in {json.dumps(line)}")
    layout = LAYOUTS[benchmark]
    side = side or line.get("implementation")
    if not isinstance(side, str) or not side:
        raise RecordError(f"no implementation (side) in {json.dumps(line)}")
    ranks = line.get("ranks", 1)
    if not isinstance(ranks, int) or isinstance(ranks, bool) or ranks < 1:
        raise RecordError(f"'ranks' is not a positive integer in {json.dumps(line)}")
    params = {key: value for key, value in line.items()
              if key not in layout.metrics and key not in ("benchmark", "implementation", "ranks")}
    rows = []
    for metric, unit in layout.metrics.items():
        if metric not in line:
            continue
        value = line[metric]
        if not is_number(value):
            raise RecordError(f"field '{metric}' is not a finite number in {json.dumps(line)}")
        rows.append({"benchmark": benchmark, "case": case_of(line), "side": side, "ranks": ranks,
                     "metric": metric, "value": float(value), "unit": unit, "params": params,
                     "round": round, "step": step, "cpu": cpu, "time": time})
    if not rows:
        raise RecordError(f"no figure in {json.dumps(line)}")
    return rows


class Results:
    """The rows of bench-results.jsonl, grouped back into one flat record per measurement."""

    def __init__(self, rows):
        groups = {}
        for row in rows:
            key = (row["step"], row["benchmark"], row["case"], row["side"], row["ranks"], row["round"])
            record = groups.setdefault(key, dict(row["params"], benchmark=row["benchmark"], side=row["side"],
                                                 ranks=row["ranks"], round=row["round"], case=row["case"]))
            record[row["metric"]] = row["value"]
        self.all = list(groups.values())

    @classmethod
    def load(cls, path):
        with open(path) as stream:
            return cls([json.loads(line) for line in stream if line.strip()])

    def records(self, benchmark, **where):
        """Every measurement of `benchmark` whose fields equal `where`'s values."""
        return [r for r in self.all if r["benchmark"] == benchmark
                and all(r.get(key) == value for key, value in where.items())]

    def pick(self, benchmark, **where):
        """Like `records`, but at least one must exist: a table without its figure is an error."""
        chosen = self.records(benchmark, **where)
        if not chosen:
            described = ", ".join(f"{key} {value}" for key, value in where.items())
            raise RecordError(f"no {benchmark} figure with {described}")
        return chosen


def median(records, key):
    return statistics.median(r[key] for r in records)
