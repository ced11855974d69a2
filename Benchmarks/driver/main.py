"""Benchmarks/run ENSEMBLE_BINARY PYTHON BUILD_DIR [NAME…] — the driver behind `make bench`.

Runs each selected case of the table in cases.py (all when no NAME is given; NAMEs may be
comma- or space-separated, as `make bench BENCH=ising,hmc` passes them): `ensemble bench …`
beside the peers a user would otherwise pick, BENCH_ROUNDS rounds alternating which side goes
first, then prints the tables with the medians and the ratios Ensemble/peer (throughputs:
higher is better).

  Benchmarks/run --list          the cases: name, what Ensemble runs, peers, ratios
  Benchmarks/run --check [NAME…] only check the names (make bench does, before it builds)

ENSEMBLE_BINARY  the release `ensemble` executable
PYTHON           an interpreter with h5py, numpy and numba (Benchmarks/peers/requirements.txt)
BUILD_DIR        where the C peers are built (bench-peers/), each step's output is kept
                 (bench-logs/), scratch files go (bench-io/) and every figure is saved as
                 one JSON line (bench-results.jsonl)

Environment: BENCH_ROUNDS rounds per case, the tables show the median (default 3);
BENCH_TIMEOUT seconds allowed for each step (default 900).

Tools, interpreters and peer sources are checked before anything runs; any failure stops
the run with a non-zero exit status naming the step.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from . import cases, records
from .steps import PROGRAM, Context, Failure, note


def error(message, status=1):
    print(f"{PROGRAM}: error: {message}", file=sys.stderr)
    return status


def positive(name, default):
    text = os.environ.get(name, "") or default
    if not text.isdigit() or int(text) < 1:
        raise Failure(f"{name} must be a positive integer, got '{text}'")
    return int(text)


def listing():
    lines = []
    for case in cases.CASES:
        lines += [f"{case.name}", f"  Ensemble: {case.ensemble}", f"  peers:    {'; '.join(case.peers)}",
                  f"  ratios:   {case.ratios}"]
    return "\n".join(lines)


def check_machine(selected, ensemble, python, peers):
    """Everything the selected cases need, before anything runs."""
    for tool in sorted({tool for case in selected for tool in case.tools}):
        if shutil.which(tool) is None:
            raise Failure(f"'{tool}' not found on PATH")
    path = Path(ensemble)
    if "/" not in ensemble and shutil.which(ensemble):
        path = Path(shutil.which(ensemble))
    if not path.exists():
        raise Failure(f"Ensemble binary '{ensemble}' does not exist (build it first: swift build -c release)")
    if not path.is_file() or not os.access(path, os.X_OK):
        raise Failure(f"Ensemble binary '{ensemble}' is not an executable file")
    interpreter = shutil.which(python) or (python if Path(python).is_file() else None)
    if interpreter is None:
        raise Failure(f"Python interpreter '{python}' not found")
    for module in sorted({module for case in selected for module in case.modules}):
        if subprocess.run([interpreter, "-c", f"import {module}"], capture_output=True).returncode != 0:
            raise Failure(f"'{python}' cannot import {module}; install it with:\n"
                          f"    {python} -m pip install -r {peers / 'requirements.txt'}")
    for case in selected:
        for source in case.sources:
            if not (peers / source).is_file():
                raise Failure(f"peer source {peers / source} is missing")
    return str(path.resolve()), str(Path(interpreter).absolute())


def main(arguments):
    if arguments[:1] in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    if arguments[:1] == ["--list"]:
        print(listing())
        return 0
    try:
        if arguments[:1] == ["--check"]:
            cases.select(arguments[1:])
            return 0
        if len(arguments) < 3:
            print(__doc__, file=sys.stderr)
            return error(f"expected 3 arguments (ENSEMBLE_BINARY PYTHON BUILD_DIR) and optional names, got {len(arguments)}", 2)
        selected = cases.select(arguments[3:])
    except cases.SelectionError as problem:
        return error(str(problem), 2)
    try:
        rounds, timeout = positive("BENCH_ROUNDS", "3"), positive("BENCH_TIMEOUT", "900")
        peers = Path(__file__).resolve().parent.parent / "peers"
        ensemble, python = check_machine(selected, arguments[0], arguments[1], peers)
        build = Path(arguments[2])
        try:
            build.mkdir(parents=True, exist_ok=True)
        except OSError as problem:
            raise Failure(f"cannot create BUILD_DIR '{build}': {problem}")
        ctx = Context(ensemble, python, build.resolve(), rounds, timeout)
        ctx.prepare()
        note(f"running {', '.join(case.name for case in selected)} ({rounds} round{'s' if rounds > 1 else ''})")
        for case in selected:
            case.run(ctx)
        try:
            ctx.io.rmdir()
        except OSError:
            pass
        results = records.Results.load(ctx.results)
        names = {case.name for case in selected}
        printed = []
        for case in selected:
            if case.table in printed:
                continue
            printed.append(case.table)
            try:
                lines = case.table(ctx, results, names)
            except (records.RecordError, KeyError, ZeroDivisionError) as problem:
                raise Failure(f"could not print the {case.name} table ({problem}; raw results in {ctx.results})")
            print()
            print("\n".join(lines), flush=True)
        print()
        print(f"raw figures: {ctx.results}   logs: {ctx.logs}")
        return 0
    except Failure as problem:
        return error(str(problem))
    except KeyboardInterrupt:
        return error("interrupted", 130)
