"""The runtime cases: allreduce (cluster), collective write (store), checkpoint and checksum, and
the dd reference line; one table for all of them."""

import re
import subprocess

from . import records
from .steps import Failure, median_label, note
from .tables import rate_text, render, size_text

MEGABYTES = 256
SIZES = {  # benchmark -> (sizes in bytes, throughput key)
    "allreduce": ((8_000_000, 80_000_000), "gb_per_s"),
    "collective_write": ((MEGABYTES << 20,), "mb_per_s"),
    "checkpoint_write": ((MEGABYTES << 20,), "mb_per_s"),
    "content_checksum": ((MEGABYTES << 20,), "gb_per_s"),
}
# Which case each benchmark of the table belongs to.
CASE_OF = {"allreduce": "cluster", "collective_write": "store", "checkpoint_write": "checkpoint",
           "content_checksum": "checkpoint"}


def expect(benchmark, ranks):
    """A check for one step's lines: exactly one line per size, with positive figures and RANKS ranks."""
    sizes, key = SIZES[benchmark]

    def check(lines):
        found = {}
        for line in (l for l in lines if l.get("benchmark") == benchmark):
            for field in ("bytes", "seconds", key):
                if not records.positive_number(line.get(field)):
                    raise records.RecordError(f"field '{field}' is missing or not a positive number in {line}")
            if line.get("ranks") != ranks:
                raise records.RecordError(f"expected ranks {ranks}, got {line.get('ranks')!r} in {line}")
            if line["bytes"] in found:
                raise records.RecordError(f"two '{benchmark}' lines for {line['bytes']} bytes")
            found[line["bytes"]] = line
        missing = [size for size in sizes if size not in found]
        if missing:
            raise records.RecordError(f"no '{benchmark}' line for {', '.join(map(str, missing))} bytes "
                                      f"(found {sorted(found) or 'none'})")
        return [found[size] for size in sizes]
    return check


def prime_memory(ctx):
    """Puts both writers in the same memory state before a timed write.

    On a VM whose host reclaims idle guest memory, the first touch of pages that have been free for
    a few seconds is several times slower than reuse of pages freed just before, and a 256 MiB write
    into the page cache is dominated by that: without this, whichever writer runs second in a round
    wins. Writing and deleting 1 GiB through the page cache (untimed), then syncing, gives each timed
    write recently freed pages and no dirty data in flight."""
    prime = ctx.io / "prime.bin"
    done = subprocess.run(["dd", "if=/dev/zero", f"of={prime}", "bs=1M", "count=1024", "status=none"],
                          env=ctx.environment)
    if done.returncode != 0:
        raise Failure(f"could not write the priming file {prime}")
    prime.unlink(missing_ok=True)
    subprocess.run(["sync"])


def run_cluster(ctx):
    allreduce = ctx.build_peer("allreduce", ["mpicc", "-O2", "-o", ctx.bin / "allreduce", ctx.peers / "allreduce.c"])

    def ensemble(round):
        note(f"round {round}/{ctx.rounds}: ensemble bench cluster")
        name = f"cluster-ensemble-{round}"
        out = ctx.step(name, ctx.mpirun(2, "bench", "cluster", "--json"))
        ctx.record(name, ctx.lines(name, out, expect("allreduce", 2)), round)

    def peer(round):
        note(f"round {round}/{ctx.rounds}: C peer allreduce")
        name = f"cluster-c-{round}"
        command = ["mpirun", "-np", "2"] + (["--oversubscribe"] if ctx.nproc < 2 else []) + [allreduce]
        out = ctx.step(name, command)
        ctx.record(name, ctx.lines(name, out, expect("allreduce", 2)), round)
    ctx.per_rounds(ensemble, peer)


def io_pair(ctx, case, peer_script, peer_label, check):
    """`ensemble bench CASE` on 2 ranks beside PEER_SCRIPT, each writing MEGABYTES into the scratch
    folder after the page cache is primed, alternating which goes first; CHECK(lines, ranks)
    validates each side's records. Then the raw-disk reference line."""
    def ensemble(round):
        note(f"round {round}/{ctx.rounds}: ensemble bench {case}")
        prime_memory(ctx)
        name = f"{case}-ensemble-{round}"
        out = ctx.step(name, ctx.mpirun(2, "bench", case, "--json", "--megabytes", MEGABYTES, "--directory", ctx.io))
        ctx.record(name, ctx.lines(name, out, lambda lines: check(lines, 2)), round)

    def peer(round):
        note(f"round {round}/{ctx.rounds}: {peer_label}")
        prime_memory(ctx)
        name = f"{case}-h5py-{round}"
        out = ctx.step(name, [ctx.python, ctx.peers / peer_script, "--json", "--megabytes", MEGABYTES, "--directory", ctx.io])
        ctx.record(name, ctx.lines(name, out, lambda lines: check(lines, 1)), round)
    ctx.per_rounds(ensemble, peer)
    run_dd(ctx)


def run_store(ctx):
    io_pair(ctx, "store", "h5py_write.py", "h5py peer write", lambda lines, ranks: expect("collective_write", ranks)(lines))


def run_checkpoint(ctx):
    io_pair(ctx, "checkpoint", "checkpoint_h5py.py", "h5py checkpoint and zlib.crc32",
            lambda lines, ranks: expect("checkpoint_write", ranks)(lines) + expect("content_checksum", 1)(lines))


def run_dd(ctx):
    """The machine's raw write bandwidth, once per run, as a reference line for the write figures."""
    if "dd" in ctx.done:
        return
    ctx.done.add("dd")
    note("raw write bandwidth with dd")
    subprocess.run(["sync"])
    target = ctx.io / "dd.bin"
    mode = "oflag=direct"
    command = ["dd", "if=/dev/zero", f"of={target}", "bs=1M", f"count={MEGABYTES}", mode]
    if ctx.try_step("dd", command) != 0:
        refused = (ctx.logs / "dd.err").read_text().strip().splitlines()[-1:]
        note(f"dd refused oflag=direct ({' '.join(refused)}); retrying with conv=fdatasync")
        mode = "conv=fdatasync"
        ctx.step("dd", command[:-1] + [mode])
    target.unlink(missing_ok=True)
    text = (ctx.logs / "dd.err").read_text()
    match = re.search(r"^(\d+) bytes\b.*?copied, ([0-9.eE+-]+) s", text, re.M)
    if not match or float(match.group(2)) <= 0:
        raise Failure(f"could not read dd's output (no 'N bytes … copied, T s' line in {ctx.logs / 'dd.err'})")
    nbytes, seconds = int(match.group(1)), float(match.group(2))
    ctx.record("dd", [{"benchmark": "raw_write", "implementation": f"dd {mode}", "bytes": nbytes, "ranks": 1,
                       "seconds": seconds, "mb_per_s": nbytes / seconds / 1e6}], 1)


def table(ctx, results, selected):
    """Ensemble vs peers for the selected runtime cases, then the dd reference line."""
    c_name = "C + MPI (mpicc -O2), 2 ranks"
    h5py_name = ctx.version("h5py", ctx.python,
                            'import h5py; print(f"h5py {h5py.__version__}, HDF5 {h5py.version.hdf5_version}")') + ", 1 process"
    peer_names = {"allreduce": ("c", c_name), "collective_write": ("h5py", h5py_name),
                  "checkpoint_write": ("h5py", "h5py + fsync + rename, 1 process"),
                  "content_checksum": ("zlib.crc32", "zlib.crc32, 1 core")}
    lines = [("benchmark", "size", "Ensemble", "peer", "peer name", "Ensemble/peer")]
    for benchmark, (sizes, key) in SIZES.items():
        if CASE_OF[benchmark] not in selected:
            continue
        side, name = peer_names[benchmark]
        for nbytes in sizes:
            ours = records.median(results.pick(benchmark, side="ensemble", bytes=nbytes), key)
            theirs = records.median(results.pick(benchmark, side=side, bytes=nbytes), key)
            lines.append((benchmark, size_text(nbytes), rate_text(ours, key), rate_text(theirs, key), name,
                          f"{ours / theirs:.2f}x"))
    footer = []
    dd = results.records("raw_write")
    if dd:
        if len(dd) != 1:
            raise Failure(f"expected one dd reference line, found {len(dd)}")
        dd = dd[0]
        footer.append(("raw write (reference)", size_text(dd["bytes"]), "-", rate_text(dd["mb_per_s"], "mb_per_s"),
                       dd["side"], "-"))
    return [f"Ensemble vs peers ({median_label(ctx.rounds)}; throughput, higher is better; "
            "ratio > 1 means Ensemble is faster)", *render(lines, {2, 3, 5}, footer)]
