"""Physics efficiency of exact φ⁴ sampling near the transition: effective samples of |M| per
CPU-second (count / 2τ_int(|M|)) for independence Metropolis with the trained flow of data/ and
for the project's HMC, with and without the embedded-Ising cluster updates; all `ensemble run` on
1 rank. The flow's one-off training cost is reported beside, from the model file's provenance."""

import datetime
import json
import time
from pathlib import Path

from .records import median
from .steps import median_label, note

L, KAPPA, LAMBDA = 8, 0.35, 0.5
MODEL = Path(__file__).resolve().parent.parent.parent / "data" / f"flow-phi4-L{L}.h5"
TRAJECTORIES, PROPOSALS = 100_000, 40_000

SAMPLERS = {
    "hmc": f"""kind = "phi4"
output = "hmc.h5"
seed = 1
[phi4]
extents = [{L}, {L}]
kappa = [{KAPPA}]
lambda = [{LAMBDA}]
steps = 4
thermalization = 1000
trajectories = {TRAJECTORIES}
start = "cold"
checkpoint_every = {TRAJECTORIES}
""",
    "flow": f"""kind = "flow-sample"
output = "flow.h5"
seed = 1
[sampling]
model = "{MODEL}"
proposals = {PROPOSALS}
batch = 512
checkpoint_every = {PROPOSALS}
""",
}
SAMPLERS["hmc-cluster"] = SAMPLERS["hmc"].replace('output = "hmc.h5"', 'output = "hmc-cluster.h5"') + "cluster_every = 1\n"


def summary(ctx, name, path):
    """The run file's one summary row and its provenance, through `ensemble inspect --json`."""
    out = json.loads(ctx.step(name, [ctx.ensemble, "inspect", path, "--json"]))
    row = dict(zip(out["summary"]["columns"], out["summary"]["rows"][0]))
    return row, out


def run(ctx):
    folder = ctx.io / "sampling"
    folder.mkdir(parents=True, exist_ok=True)

    def sample(kind, round):
        name = f"sampling-{kind}-{round}"
        job = folder / f"{kind}.toml"
        job.write_text(SAMPLERS[kind])
        output = folder / f"{kind}.h5"
        note(f"round {round}/{ctx.rounds}: ensemble run, {kind} at L = {L}, kappa = {KAPPA}, 1 rank")
        start = time.perf_counter()
        ctx.step(name, ctx.mpirun(1, "run", job, "--output", output, "--force"))
        seconds = time.perf_counter() - start
        row, _ = summary(ctx, name + "-inspect", output)
        count = PROPOSALS if kind == "flow" else TRAJECTORIES
        tau = row["abs_magnetization_tau_int"]
        ctx.record(name, [{"benchmark": "sampling_efficiency", "implementation": kind, "ranks": 1, "L": L, "kappa": KAPPA,
                           "seconds": seconds, "samples": count, "tau_int": tau, "acceptance": row["acceptance"],
                           "samples_per_cpu_s": count / seconds, "effective_per_cpu_s": count / (2 * tau) / seconds,
                           "abs_magnetization": row["abs_magnetization"], "abs_magnetization_error": row["abs_magnetization_error"]}],
                   round)

    for round in range(1, ctx.rounds + 1):
        for kind in (("hmc", "hmc-cluster", "flow") if round % 2 else ("flow", "hmc-cluster", "hmc")):
            sample(kind, round)


def training_cost(ctx):
    """CPU-seconds the stored flow took to train (wall time × ranks, from its provenance)."""
    _, out = summary(ctx, "sampling-model-inspect", MODEL)
    attributes = dict(out["attributes"]) if isinstance(out["attributes"], list) else out["attributes"]
    begin, end = (datetime.datetime.fromisoformat(str(attributes[k]).replace("Z", "+00:00")) for k in ("created", "completed_at"))
    return (end - begin).total_seconds() * int(attributes["ranks"]), int(attributes["ranks"])


def table(ctx, results, selected):
    def pick(side, key):
        return median(results.pick("sampling_efficiency", side=side), key)
    cost, ranks = training_cost(ctx)
    hmc = pick("hmc", "effective_per_cpu_s")
    lines = [f"sampling: effective samples of |M| per CPU-second near the transition (2D phi^4, L = {L}, kappa = {KAPPA}, "
             f"lambda = {LAMBDA}; 1 rank), {median_label(ctx.rounds)}",
             f"  {'sampler':<34} {'acceptance':>10} {'tau_int(|M|)':>12} {'samples/CPU-s':>14} {'effective/CPU-s':>16} {'/ HMC':>7}"]
    for side, what in (("hmc", "HMC (Omelyan, tau = 1)"), ("hmc-cluster", "HMC + embedded-Ising clusters"),
                       ("flow", "flow: independence Metropolis")):
        rate = pick(side, "effective_per_cpu_s")
        lines.append(f"  {what:<34} {pick(side, 'acceptance'):>10.3f} {pick(side, 'tau_int'):>12.1f} "
                     f"{pick(side, 'samples_per_cpu_s'):>14.0f} {rate:>16.1f} {rate / hmc:>7.3f}")
    lines.append(f"  the flow's one-off training: {cost:.0f} CPU-s ({ranks} ranks; {MODEL.name}, data/train-flows), "
                 f"worth {cost * hmc:.0f} effective HMC samples")
    return lines
