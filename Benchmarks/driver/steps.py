"""Running one step: a command with a timeout, its output kept in BUILD_DIR/bench-logs, its JSON
lines checked and appended to the one results file."""

import datetime
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from . import records

PROGRAM = "Benchmarks/run"


def note(message):
    print(f"{PROGRAM}: {message}", file=sys.stderr, flush=True)


class Failure(Exception):
    """The run stops: the message names the step and says what went wrong."""


def clean_environment():
    """The environment every step runs in.

    A parent that initialised MPI as a singleton leaves OMPI_*/PMIX_* variables behind, and a
    child mpirun that inherits them fails silently: drop them all except the two that allow
    running as root. One BLAS thread per rank, since ranks already fill the cores; C number
    formats for dd."""
    keep = {"OMPI_ALLOW_RUN_AS_ROOT", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"}
    environment = {key: value for key, value in os.environ.items()
                   if key in keep or not (key.startswith("OMPI_") or key.startswith("PMIX_"))}
    if os.getuid() == 0:
        environment.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    environment.update(OPENBLAS_NUM_THREADS="1", LC_ALL="C")
    return environment


def cpu_model():
    try:
        with open("/proc/cpuinfo") as stream:
            for line in stream:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


class Context:
    """Where a run's files go and how its steps are run; shared by every case."""

    def __init__(self, ensemble, python, build, rounds, timeout):
        self.ensemble, self.python, self.build = ensemble, python, build
        self.rounds, self.timeout = rounds, timeout
        self.peers = Path(__file__).resolve().parent.parent / "peers"
        self.bin = build / "bench-peers"
        self.logs = build / "bench-logs"
        self.io = build / "bench-io"
        self.results = build / "bench-results.jsonl"
        self.environment = clean_environment()
        self.cpu = cpu_model()
        self.nproc = os.cpu_count() or 1
        self.done = set()      # one-off steps already run (the dd reference, peer builds)
        self.unavailable = {}  # case name -> why its peer could not be set up
        self._versions = {}

    def prepare(self):
        for folder in (self.bin, self.logs, self.io):
            folder.mkdir(parents=True, exist_ok=True)
        for path in list(self.logs.glob("*.out")) + list(self.logs.glob("*.err")):
            path.unlink()
        for name in ("dd.bin", "prime.bin"):
            (self.io / name).unlink(missing_ok=True)
        self.results.unlink(missing_ok=True)
        self.results.touch()

    def mpirun(self, ranks, *arguments):
        """`mpirun -np RANKS ensemble ARGUMENTS`, oversubscribed only where the cores are fewer."""
        command = ["mpirun", "-np", str(ranks)]
        if self.nproc < ranks:
            command.append("--oversubscribe")
        return command + [self.ensemble, *map(str, arguments)]

    def try_step(self, name, command):
        """Runs COMMAND with stdout and stderr in bench-logs/NAME.{out,err}; its exit status (124 on timeout)."""
        out, err = self.logs / f"{name}.out", self.logs / f"{name}.err"
        with open(out, "w") as stdout, open(err, "w") as stderr:
            # A session of its own, so a timeout ends mpirun's ranks too, not only mpirun.
            process = subprocess.Popen([str(part) for part in command], stdout=stdout, stderr=stderr,
                                       stdin=subprocess.DEVNULL, env=self.environment, start_new_session=True)
            try:
                return process.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return 124

    def step(self, name, command):
        """Like try_step, but a failure stops the run, naming the step; returns its stdout."""
        status = self.try_step(name, command)
        if status != 0:
            self.failed(name, status, command)
        return (self.logs / f"{name}.out").read_text()

    def failed(self, name, status, command):
        def tail(path, count):
            lines = path.read_text(errors="replace").splitlines()[-count:] if path.exists() else []
            return "\n".join(f"  {line}" for line in lines)
        how = (f"timed out after {self.timeout}s" if status == 124
               else f"failed with exit status {status}")
        err, out = self.logs / f"{name}.err", self.logs / f"{name}.out"
        raise Failure(f"step '{name}' {how}\n  command: {' '.join(map(str, command))}\n"
                      f"  --- last lines of {err} ---\n{tail(err, 20)}\n"
                      f"  --- last lines of {out} ---\n{tail(out, 10)}")

    def record(self, name, lines, round, side=None):
        """Appends LINES (flat benchmark objects from step NAME) to the results file, one row per figure."""
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        with open(self.results, "a") as stream:
            for line in lines:
                try:
                    rows = records.normalize(line, side=side, round=round, step=name, cpu=self.cpu, time=now)
                except records.RecordError as error:
                    raise Failure(f"step '{name}': {error} (logs in {self.logs})")
                for row in rows:
                    stream.write(json.dumps(row, separators=(",", ":")) + "\n")

    def lines(self, name, text, check):
        """The benchmark lines of step NAME's output, as CHECK (which raises RecordError) accepts them."""
        try:
            return check(records.json_lines(text, self.logs / f"{name}.out"))
        except records.RecordError as error:
            raise Failure(f"step '{name}' did not print the expected JSON lines: {error}; "
                          f"see {self.logs / (name + '.err')}")

    def version(self, key, python, code):
        """A peer's version string, asked of its interpreter once."""
        if key not in self._versions:
            done = subprocess.run([python, "-c", code], capture_output=True, text=True, env=self.environment)
            self._versions[key] = done.stdout.strip() if done.returncode == 0 else "?"
        return self._versions[key]

    def cc_version(self):
        if "cc" not in self._versions:
            number = subprocess.run(["cc", "-dumpfullversion"], capture_output=True, text=True)
            if number.returncode != 0 or not number.stdout.strip():
                number = subprocess.run(["cc", "-dumpversion"], capture_output=True, text=True)
            banner = subprocess.run(["cc", "--version"], capture_output=True, text=True).stdout
            compiler = "clang" if "clang" in banner.lower() else "gcc"
            self._versions["cc"] = f"{compiler} {number.stdout.strip() or '?'}"
        return self._versions["cc"]

    def build_peer(self, name, command):
        """Builds a C peer once per run."""
        if name not in self.done:
            self.step(f"build-{name}", command)
            self.done.add(name)
        return self.bin / name

    def peer_venv(self, case, folder, requirements, probe, what):
        """The interpreter of a peer's own venv (BUILD_DIR/FOLDER with REQUIREMENTS from peers/),
        installed the first time; None, with the reason noted for CASE's table, where WHAT cannot
        be installed. PROBE is the import that shows the venv is complete."""
        venv = self.build / folder
        python = venv / "bin" / "python"
        if python.exists() and subprocess.run([python, "-c", probe], capture_output=True).returncode == 0:
            return python
        note(f"installing {what} into {venv} for the {case} peer")
        if (self.try_step(f"{case}-venv", ["python3", "-m", "venv", venv]) != 0
                or self.try_step(f"{case}-install", [venv / "bin" / "pip", "install", "-q", "--disable-pip-version-check",
                                                     "-r", self.peers / requirements]) != 0):
            self.unavailable[case] = f"{what} could not be installed (see {self.logs / (case + '-install.err')})"
            return None
        return python

    def per_rounds(self, first, second):
        """Runs FIRST then SECOND in odd rounds and the other way round in even ones: neither side
        always gets the warm (or the cold) machine."""
        for round in range(1, self.rounds + 1):
            for action in ((first, second) if round % 2 == 1 else (second, first)):
                action(round)


def ranks_text(ranks):
    return f"{ranks} rank" if ranks == 1 else f"{ranks} ranks"


def median_label(rounds):
    return "median of 1 round" if rounds == 1 else f"median of {rounds} rounds"
