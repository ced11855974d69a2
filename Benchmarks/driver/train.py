"""Data-parallel training: `ensemble bench train` on 1 and 2 ranks vs PyTorch DDP (gloo), and the
convolutions' GFLOP/s vs OpenBLAS's own sgemm on the same shapes (peers/gemm_blas.c)."""

from .records import RecordError, median
from .steps import note

STEPS, WARMUP, BATCH = 40, 5, 64
# conv2's three gemm shapes per sample (M N K), as TrainBenchmark times them.
GEMM_SHAPES = ("16", "1024", "144", "16", "144", "1024", "144", "1024", "16")


def one(benchmark):
    def check(lines):
        found = [line for line in lines if line.get("benchmark") == benchmark]
        if len(found) != 1:
            raise RecordError(f"expected one '{benchmark}' line, found {len(found)}")
        return found
    return check


def run(ctx):
    python = ctx.peer_venv("train", "torch-venv", "requirements-torch.txt", "import torch", "PyTorch (CPU)")
    if python is None:
        return
    gemm = ctx.build_peer("gemm_blas", ["cc", "-O2", "-o", ctx.bin / "gemm_blas", ctx.peers / "gemm_blas.c", "-lopenblas"])
    for round in range(1, ctx.rounds + 1):
        for ranks in (1, 2):
            name = f"train-ensemble-{round}-{ranks}"
            note(f"round {round}/{ctx.rounds}: ensemble bench train on {ranks} rank{'' if ranks == 1 else 's'}")
            out = ctx.step(name, ctx.mpirun(ranks, "bench", "train", "--json", "--batch", BATCH, "--steps", STEPS,
                                            "--warmup", WARMUP))
            ctx.record(name, ctx.lines(name, out, one("train")), round)
            name = f"train-torch-{round}-{ranks}"
            note(f"round {round}/{ctx.rounds}: PyTorch DDP peer on {ranks} process{'' if ranks == 1 else 'es'}")
            out = ctx.step(name, [python, ctx.peers / "train_torch.py", "--processes", ranks, "--batch", BATCH,
                                  "--steps", STEPS, "--warmup", WARMUP])
            ctx.record(name, ctx.lines(name, out, one("train")), round)
    note("OpenBLAS sgemm on the convolution's shapes")
    out = ctx.step("gemm-blas", [gemm, "--precision", "float32", "--no-square", *GEMM_SHAPES])

    def three(lines):
        found = [line for line in lines if line.get("benchmark") == "gemm"]
        if len(found) != 3:
            raise RecordError(f"expected three 'gemm' lines, found {len(found)}")
        return found
    ctx.record("gemm-blas", ctx.lines("gemm-blas", out, three), 1)


def table(ctx, results, selected):
    if "train" in ctx.unavailable:
        return [f"train benchmark not available: {ctx.unavailable['train']}"]
    torch_version = ctx.version("torch", ctx.build / "torch-venv" / "bin" / "python", "import torch; print(torch.__version__)")

    def rate(side, ranks):
        return median(results.pick("train", side=side, ranks=ranks), "samples_per_s")
    out = ["train: CNN (2 periodic 3x3 convolutions, 16 channels, pooling, dense) on 32x32, batch 64 per rank, "
           "float32, 1 thread per rank",
           f"  peer: PyTorch {torch_version} DistributedDataParallel (gloo), same network, batch and optimiser",
           f"  {'ranks':>5}  {'Ensemble samples/s':>19}  {'PyTorch samples/s':>18}  {'ratio':>6}"]
    for n in (1, 2):
        e, t = rate("ensemble", n), rate("pytorch-ddp", n)
        out.append(f"  {n:>5}  {e:>19.1f}  {t:>18.1f}  {e / t:>6.2f}")
    for side, name in (("ensemble", "Ensemble"), ("pytorch-ddp", "PyTorch")):
        out.append(f"  2-rank parallel efficiency, {name}: {rate(side, 2) / (2 * rate(side, 1)):.1%}")
    gemm = results.pick("gemm", side="openblas-c")
    flops = sum(2 * g["m"] * g["n"] * g["k"] for g in gemm)
    combined = flops / sum(2 * g["m"] * g["n"] * g["k"] / g["gflops"] for g in gemm)
    conv = median(results.pick("train", side="ensemble", ranks=1), "conv_gflops")
    out.append(f"  convolution forward+backward: {conv:.1f} GFLOP/s; OpenBLAS sgemm (C) on its three shapes: "
               f"{combined:.1f} GFLOP/s; ratio {conv / combined:.2f}")
    return out
