"""Ising: `ensemble bench ising` on 1 and 2 ranks vs the numba and C peers at the same L and sweeps."""

from . import records
from .records import RecordError, close, median
from .steps import median_label, note, ranks_text
from .tables import duration, figure, render, spread

SIZES = (256, 4096)  # the L values `ensemble bench ising` reports; the peers run each
FIELDS = ("sweeps", "seconds", "updates_per_ns", "updates_per_ns_per_core")
ENSEMBLE_FIELDS = FIELDS + ("bytes_per_site", "seconds_per_sweep")


def expect(implementation, ranks, wanted):
    """A check for one step's lines: one line per L in WANTED ({L: sweeps, or None for Ensemble's own
    choice}), with consistent rates."""
    fields = ENSEMBLE_FIELDS if implementation == "ensemble" else FIELDS

    def check(lines):
        found = {}
        for line in lines:
            if line.get("benchmark") != "ising_metropolis":
                continue
            size = line.get("L")
            if not isinstance(size, int) or isinstance(size, bool) or size not in wanted:
                continue  # an L this driver does not compare
            for field in fields:
                if not records.positive_number(line.get(field)):
                    raise RecordError(f"field '{field}' is missing or not a positive number in {line}")
            if not isinstance(line["sweeps"], int):
                raise RecordError(f"'sweeps' is not an integer in {line}")
            if line.get("ranks") != ranks:
                raise RecordError(f"expected ranks {ranks}, got {line.get('ranks')!r} in {line}")
            if line.get("implementation") != implementation:
                raise RecordError(f"expected implementation '{implementation}', got {line.get('implementation')!r} in {line}")
            if wanted[size] is not None and line["sweeps"] != wanted[size]:
                raise RecordError(f"asked for {wanted[size]} sweeps at L = {size}, the output says {line['sweeps']}: {line}")
            rate = size * size * line["sweeps"] / line["seconds"] / 1e9
            if not close(line["updates_per_ns"], rate):
                raise RecordError(f"updates_per_ns {line['updates_per_ns']} is not L*L*sweeps/seconds/1e9 = {rate:.6g} in {line}")
            if not close(line["updates_per_ns_per_core"], line["updates_per_ns"] / ranks):
                raise RecordError(f"updates_per_ns_per_core {line['updates_per_ns_per_core']} is not updates_per_ns/ranks in {line}")
            if size in found:
                raise RecordError(f"two 'ising_metropolis' lines for L = {size}")
            found[size] = line
        missing = [size for size in wanted if size not in found]
        if missing:
            raise RecordError(f"no 'ising_metropolis' line for L = {', '.join(map(str, missing))} "
                              f"(found {sorted(found) or 'none'})")
        return [found[size] for size in sorted(wanted)]
    return check


def run(ctx):
    """Round 1 starts with Ensemble on 1 rank: its lines give the sweep counts the peers then run at
    the same L. Later rounds alternate who goes first."""
    ising_c = ctx.build_peer("ising_c", ["cc", "-O2", "-o", ctx.bin / "ising_c", ctx.peers / "ising_c.c", "-lm"])
    sweeps = {}

    def ensemble(round, ranks):
        note(f"round {round}/{ctx.rounds}: ensemble bench ising on {ranks_text(ranks)}")
        name = f"ising-ensemble-np{ranks}-{round}"
        out = ctx.step(name, ctx.mpirun(ranks, "bench", "ising", "--json"))
        lines = ctx.lines(name, out, expect("ensemble", ranks, dict.fromkeys(SIZES)))
        ctx.record(name, lines, round)
        return lines

    def peers(round):
        for implementation in ("numba", "c"):
            for size in SIZES:
                name = f"ising-{implementation}-L{size}-{round}"
                note(f"round {round}/{ctx.rounds}: {implementation} peer Ising, L = {size}, {sweeps[size]} sweeps")
                program = [ctx.python, ctx.peers / "ising_numba.py"] if implementation == "numba" else [ising_c]
                out = ctx.step(name, program + ["--L", size, "--sweeps", sweeps[size], "--json"])
                ctx.record(name, ctx.lines(name, out, expect(implementation, 1, {size: sweeps[size]})), round)

    for line in ensemble(1, 1):
        sweeps[line["L"]] = line["sweeps"]
    for round in range(1, ctx.rounds + 1):
        if round % 2 == 1:
            if round > 1:
                ensemble(round, 1)
            ensemble(round, 2)
            peers(round)
        else:
            peers(round)
            ensemble(round, 1)
            ensemble(round, 2)


def table(ctx, results, selected):
    numba_name = ctx.version("numba", ctx.python, 'import numba, platform; '
                             'print(f"numba {numba.__version__}, Python {platform.python_version()}")') + ", 1 process"
    c_name = f"C, cc -O2 ({ctx.cc_version()}), 1 process"

    def pick(side, ranks, size):
        return results.pick("ising_metropolis", side=side, ranks=ranks, L=size)

    key = "updates_per_ns_per_core"
    lines = [("comparison", "L", "sweeps", "Ensemble", "peer", "peer name", "Ensemble/peer")]
    notes = []
    for size in SIZES:
        one, two = pick("ensemble", 1, size), pick("ensemble", 2, size)
        numba, c = pick("numba", 1, size), pick("c", 1, size)
        for label, ours, theirs, name in (("Ensemble 1 rank vs numba", one, numba, numba_name),
                                          ("Ensemble 1 rank vs C", one, c, c_name),
                                          ("Ensemble 2 ranks vs numba", two, numba, numba_name)):
            a, b = median(ours, key), median(theirs, key)
            lines.append((label, str(size), spread(r["sweeps"] for r in ours), figure(a), figure(b), name,
                          f"{a / b:.2f}x"))
        if len({r["sweeps"] for r in one + two}) > 1:
            notes.append(f"note: at L = {size} Ensemble's sweep counts differ between runs "
                         f"({spread(r['sweeps'] for r in one + two)}); the peers ran {numba[0]['sweeps']} sweeps, "
                         "the per-core rates are comparable")
    out = [f"Ising 2D checkerboard Metropolis at beta_c ({median_label(ctx.rounds)}; site updates per ns per core, "
           "higher is better;",
           "ratio > 1 means Ensemble is faster; goal: Ensemble 1 rank >= 30x numba)",
           *render(lines, {1, 2, 3, 4, 6})]

    big = SIZES[-1]
    summary = []
    for size in SIZES:
        one = median(pick("ensemble", 1, size), "updates_per_ns")
        two = median(pick("ensemble", 2, size), "updates_per_ns")
        goal = " (goal >= 90 %)" if size == big else ""
        summary.append((f"parallel efficiency, 2 ranks, L = {size}",
                        f"{100 * two / (2 * one):.1f} %   rate(2 ranks) / (2 x rate(1 rank)){goal}"))
    per_rank = [(ranks, pick("ensemble", ranks, big)) for ranks in (1, 2)]
    summary.append((f"bytes per site, L = {big}",
                    ", ".join(f"{ranks_text(ranks)} {figure(median(chosen, 'bytes_per_site'))}" for ranks, chosen in per_rank)
                    + "   (the numba and C peers: 1 byte per spin)"))
    peer_sweep = {side: duration(big * big / (median(pick(side, 1, big), "updates_per_ns") * 1e9)) for side in ("numba", "c")}
    summary.append((f"time per sweep, L = {big}",
                    ", ".join(f"{ranks_text(ranks)} {duration(median(chosen, 'seconds_per_sweep'))}" for ranks, chosen in per_rank)
                    + f"   (numba {peer_sweep['numba']}, C {peer_sweep['c']})"))
    width = max(len(label) for label, _ in summary)
    out += [f"{label.ljust(width)}  {value}" for label, value in summary]
    return out + notes


