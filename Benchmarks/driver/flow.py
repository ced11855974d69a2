"""Normalizing-flow training: `ensemble bench flow` on 1 and 2 ranks vs the PyTorch implementation
of Albergo et al.'s tutorial (peers/flow_torch.py), one process, same flow, target and batch."""

from .records import median
from .steps import median_label, note
from .train import one

STEPS, WARMUP, BATCH = 20, 3, 64


def run(ctx):
    python = ctx.peer_venv("flow", "torch-venv", "requirements-torch.txt", "import torch", "PyTorch (CPU)")
    if python is None:
        return

    def ensemble(round):
        for ranks in (1, 2):
            name = f"flow-ensemble-{round}-{ranks}"
            note(f"round {round}/{ctx.rounds}: ensemble bench flow on {ranks} rank{'' if ranks == 1 else 's'}")
            out = ctx.step(name, ctx.mpirun(ranks, "bench", "flow", "--json", "--batch", BATCH, "--steps", STEPS,
                                            "--warmup", WARMUP))
            ctx.record(name, ctx.lines(name, out, one("flow")), round)

    def peer(round):
        name = f"flow-torch-{round}"
        note(f"round {round}/{ctx.rounds}: PyTorch flow peer")
        out = ctx.step(name, [python, ctx.peers / "flow_torch.py", "--batch", BATCH, "--steps", STEPS, "--warmup", WARMUP])
        ctx.record(name, ctx.lines(name, out, one("flow")), round)
    ctx.per_rounds(ensemble, peer)


def table(ctx, results, selected):
    if "flow" in ctx.unavailable:
        return [f"flow benchmark not available: {ctx.unavailable['flow']}"]

    def rate(side, ranks):
        return median(results.pick("flow", side=side, ranks=ranks), "fields_per_s")
    e1, e2, t = rate("ensemble", 1), rate("ensemble", 2), rate("pytorch", 1)
    return [f"flow: reverse-KL training of a coupling flow toward 2D phi^4 (L = 8, 16 couplings, 8+8-channel 3x3 "
            f"convolutions, batch {BATCH} per rank, float32, 1 thread per rank), {median_label(ctx.rounds)}",
            "  peer: peers/flow_torch.py, PyTorch on the CPU as in arXiv 2101.08176, 1 process",
            f"  {'ranks':>5}  {'Ensemble fields/s':>18}  {'PyTorch fields/s (1 process)':>29}  {'ratio per core':>14}",
            f"  {1:>5}  {e1:>18.1f}  {t:>29.1f}  {e1 / t:>14.2f}",
            f"  {2:>5}  {e2:>18.1f}  {'':>29}  {e2 / (2 * t):>14.2f}",
            f"  2-rank parallel efficiency, Ensemble: {e2 / (2 * e1):.1%}"]
