"""φ⁴ HMC: `ensemble bench hmc` on 1 and 2 ranks vs the numpy, numba and C peers, same d, L and steps."""

from . import records
from .records import RecordError, close, median
from .steps import median_label, note
from .tables import figure, render, spread

STEPS = 16  # keeps the acceptance at or above about 0.7 at every size
# (d, L, trajectories for Ensemble, numba and C, trajectories for numpy): the peers' own defaults
# (about 5e8 and 1e8 site-force evaluations), 2-10 s per peer run on the 2-core VM; numpy is 5-8x
# slower per site.
CASES = ((2, 64, 7200, 1400), (2, 512, 110, 22), (3, 32, 900, 180))
PEERS = ("numpy", "numba", "c")
FIELDS = ("seconds", "trajectories_per_second", "force_per_site_per_ns", "force_per_site_per_ns_per_core")
ENSEMBLE_FIELDS = FIELDS + ("copy_bandwidth_GBps", "force_bytes_per_site")


def expect(implementation, ranks, d, size, trajectories, steps=STEPS):
    """A check for one step's lines: exactly one 'hmc' line for d, L, with the trajectories and steps
    asked for and consistent rates."""
    def check(lines):
        found = []
        for line in (l for l in lines if l.get("benchmark") == "hmc"):
            for field, wanted in (("d", d), ("L", size), ("ranks", ranks), ("trajectories", trajectories), ("steps", steps)):
                value = line.get(field)
                if not isinstance(value, int) or isinstance(value, bool) or value != wanted:
                    raise RecordError(f"expected {field} {wanted}, got {value!r} in {line}")
            if line.get("implementation") != implementation:
                raise RecordError(f"expected implementation '{implementation}', got {line.get('implementation')!r} in {line}")
            for field in ENSEMBLE_FIELDS if implementation == "ensemble" else FIELDS:
                if not records.positive_number(line.get(field)):
                    raise RecordError(f"field '{field}' is missing or not a positive number in {line}")
            acceptance, delta_h = line.get("acceptance"), line.get("mean_delta_h")
            if not records.is_number(acceptance) or not 0 <= acceptance <= 1:
                raise RecordError(f"field 'acceptance' is missing or not a number in [0, 1] in {line}")
            if not records.is_number(delta_h):
                raise RecordError(f"field 'mean_delta_h' is missing or not a finite number in {line}")
            seconds = line["seconds"]
            if not close(line["trajectories_per_second"], trajectories / seconds):
                raise RecordError(f"trajectories_per_second {line['trajectories_per_second']} is not "
                                  f"trajectories/seconds = {trajectories / seconds:.6g} in {line}")
            rate = (steps + 1) * size**d * trajectories / seconds / 1e9
            if not close(line["force_per_site_per_ns"], rate):
                raise RecordError(f"force_per_site_per_ns {line['force_per_site_per_ns']} is not "
                                  f"(steps+1)*L^d*trajectories/seconds/1e9 = {rate:.6g} in {line}")
            if not close(line["force_per_site_per_ns_per_core"], line["force_per_site_per_ns"] / ranks):
                raise RecordError(f"force_per_site_per_ns_per_core {line['force_per_site_per_ns_per_core']} "
                                  f"is not force_per_site_per_ns/ranks in {line}")
            found.append(line)
        if len(found) != 1:
            raise RecordError(f"expected one 'hmc' line for d = {d}, L = {size}, found {len(found)}")
        return found
    return check


def run(ctx):
    hmc_c = ctx.build_peer("hmc_c", ["cc", "-O2", "-o", ctx.bin / "hmc_c", ctx.peers / "hmc_c.c", "-lm"])

    def ensemble(round, ranks):
        for d, size, trajectories, _ in CASES:
            name = f"hmc-ensemble-np{ranks}-d{d}-L{size}-{round}"
            note(f"round {round}/{ctx.rounds}: ensemble bench hmc on {ranks} rank{'' if ranks == 1 else 's'}, "
                 f"d = {d}, L = {size}, {trajectories} trajectories")
            out = ctx.step(name, ctx.mpirun(ranks, "bench", "hmc", "--d", d, "--L", size, "--trajectories", trajectories,
                                            "--steps", STEPS, "--json"))
            ctx.record(name, ctx.lines(name, out, expect("ensemble", ranks, d, size, trajectories)), round)

    def peers(round):
        programs = {"numpy": [ctx.python, ctx.peers / "hmc_numpy.py"],
                    "numba": [ctx.python, ctx.peers / "hmc_numba.py"], "c": [hmc_c]}
        for implementation in PEERS:
            for d, size, trajectories, numpy_trajectories in CASES:
                count = numpy_trajectories if implementation == "numpy" else trajectories
                name = f"hmc-{implementation}-d{d}-L{size}-{round}"
                note(f"round {round}/{ctx.rounds}: {implementation} peer HMC, d = {d}, L = {size}, {count} trajectories")
                out = ctx.step(name, programs[implementation] + ["--d", d, "--L", size, "--trajectories", count,
                                                                 "--steps", STEPS, "--json"])
                ctx.record(name, ctx.lines(name, out, expect(implementation, 1, d, size, count)), round)

    for round in range(1, ctx.rounds + 1):
        order = ((lambda: ensemble(round, 1)), (lambda: ensemble(round, 2)), (lambda: peers(round)))
        for action in (order if round % 2 == 1 else order[2:] + order[:2]):
            action()


def table(ctx, results, selected):
    """Per size and rank count, Ensemble's median per-core rate beside the peers', the ratios, the
    2-rank efficiency; then memory traffic and acceptance."""
    def pick(side, ranks, d, size):
        return results.pick("hmc", side=side, ranks=ranks, d=d, L=size)

    python = ctx.python
    numpy_name = ctx.version("numpy", python, 'import numpy, platform; '
                             'print(f"numpy {numpy.__version__}, Python {platform.python_version()}")') + ", 1 process"
    numba_name = ctx.version("numba", python, 'import numba, platform; '
                             'print(f"numba {numba.__version__}, Python {platform.python_version()}")') + ", 1 process"
    c_name = f"C, cc -O2 ({ctx.cc_version()}), 1 process"
    key = "force_per_site_per_ns_per_core"
    sizes = [(d, size) for d, size, _, _ in CASES]
    steps = sorted({int(r["steps"]) for r in results.records("hmc")})
    out = [f"phi^4 HMC, {'/'.join(map(str, steps))} leapfrog steps per trajectory ({median_label(ctx.rounds)}; "
           "site-force evaluations per ns per core, higher is better;",
           "ratio > 1 means Ensemble is faster; 2-rank eff. = per-core rate on 2 ranks / on 1 rank)"]
    lines = [("size", "ranks", "trajectories", "Ensemble", "numpy", "numba", "C",
              "Ens/numpy", "Ens/numba", "Ens/C", "2-rank eff.")]
    for d, size in sizes:
        theirs = {side: median(pick(side, 1, d, size), key) for side in PEERS}
        one = median(pick("ensemble", 1, d, size), key)
        for ranks in (1, 2):
            chosen = pick("ensemble", ranks, d, size)
            ours = median(chosen, key)
            lines.append((f"d={d} L={size}", str(ranks), spread(r["trajectories"] for r in chosen), figure(ours),
                          *(figure(theirs[side]) for side in PEERS),
                          *(f"{ours / theirs[side]:.2f}x" for side in PEERS),
                          "-" if ranks == 1 else f"{100 * ours / one:.1f} %"))
    out += render(lines, set(range(1, 11)))
    counts = "; ".join(f"d={d} L={size}: numpy {spread(r['trajectories'] for r in pick('numpy', 1, d, size))}, "
                       f"numba {spread(r['trajectories'] for r in pick('numba', 1, d, size))}, "
                       f"C {spread(r['trajectories'] for r in pick('c', 1, d, size))}" for d, size in sizes)
    out += [f"peer trajectories: {counts}", f"peers: {numpy_name}; {numba_name}; {c_name}", "",
            "Ensemble force kernel traffic: force_per_site_per_ns x force_bytes_per_site (GB/s, averaged over whole",
            "trajectories, so a lower bound for the kernel itself) beside the copy bandwidth Ensemble measured"]
    lines = [("size", "ranks", "bytes/site", "traffic GB/s", "copy GB/s", "traffic/copy")]
    for d, size in sizes:
        for ranks in (1, 2):
            chosen = pick("ensemble", ranks, d, size)
            traffic = median(chosen, "force_per_site_per_ns") * median(chosen, "force_bytes_per_site")
            copy = median(chosen, "copy_bandwidth_GBps")
            lines.append((f"d={d} L={size}", str(ranks), figure(median(chosen, "force_bytes_per_site")),
                          figure(traffic), figure(copy), f"{traffic / copy:.2f}"))
    out += render(lines, set(range(1, 6)))
    out += ["", "acceptance (mean dH), medians: a sound HMC at these step sizes accepts well over half"]
    lines = [("size", "Ensemble 1 rank", "Ensemble 2 ranks", "numpy", "numba", "C")]
    warnings = []
    for d, size in sizes:
        cells = [f"d={d} L={size}"]
        for side, ranks, title in (("ensemble", 1, "Ensemble on 1 rank"), ("ensemble", 2, "Ensemble on 2 ranks"),
                                   ("numpy", 1, "numpy"), ("numba", 1, "numba"), ("c", 1, "C")):
            chosen = pick(side, ranks, d, size)
            acceptance, delta_h = median(chosen, "acceptance"), median(chosen, "mean_delta_h")
            cells.append(f"{acceptance:.2f} ({delta_h:+.3f})")
            if acceptance < 0.5:
                warnings.append(f"warning: {title} accepts only {acceptance:.2f} of its trajectories at d = {d}, "
                                f"L = {size} (mean dH {delta_h:+.3g}): too few leapfrog steps, or a wrong force")
        lines.append(tuple(cells))
    return out + render(lines, set(range(1, 6))) + warnings
