"""The table of benchmark cases: what `make bench BENCH=…` selects from.

Each case names what Ensemble runs, its peers, how the ratios are formed, what it needs on the
machine (checked before anything runs), how to run it and which table prints it."""

from dataclasses import dataclass
from typing import Callable

from . import flow, hmc, ising, runtime, sampling, train, vacua


@dataclass(frozen=True)
class Case:
    name: str            # what BENCH selects
    ensemble: str        # what Ensemble runs
    peers: tuple         # the peers it is set beside
    ratios: str          # how the ratios are formed
    tools: tuple         # commands it needs on PATH
    modules: tuple       # Python modules PYTHON must import
    sources: tuple       # peer sources under Benchmarks/peers
    run: Callable        # run(ctx): every round of Ensemble and its peers, recorded
    table: Callable      # table(ctx, results, selected) -> lines; cases sharing one print it once


CASES = (
    Case("cluster", "mpirun -np 2 ensemble bench cluster --json (allreduce, 8 MB and 80 MB)",
         ("peers/allreduce.c, mpicc -O2, 2 ranks",),
         "GB/s Ensemble / GB/s C", ("mpicc", "mpirun"), (), ("allreduce.c",),
         runtime.run_cluster, runtime.table),
    Case("store", "mpirun -np 2 ensemble bench store --json (collective write, 256 MiB)",
         ("peers/h5py_write.py, serial h5py", "dd (raw write, reference line)"),
         "MB/s Ensemble / MB/s h5py", ("mpirun", "dd", "sync"), ("h5py", "numpy"), ("h5py_write.py",),
         runtime.run_store, runtime.table),
    Case("checkpoint", "mpirun -np 2 ensemble bench checkpoint --json (checkpoint write and content checksum, 256 MiB)",
         ("peers/checkpoint_h5py.py, h5py + fsync + rename; zlib.crc32", "dd (raw write, reference line)"),
         "MB/s (GB/s) Ensemble / the peer's", ("mpirun", "dd", "sync"), ("h5py", "numpy"), ("checkpoint_h5py.py",),
         runtime.run_checkpoint, runtime.table),
    Case("ising", "mpirun -np 1 and -np 2 ensemble bench ising --json (L = 256 and 4096)",
         ("peers/ising_numba.py, numba, 1 process", "peers/ising_c.c, cc -O2, 1 process"),
         "site updates per ns per core: Ensemble 1 rank / numba, 1 rank / C, 2 ranks / numba; 2-rank efficiency",
         ("mpirun", "cc"), ("numpy", "numba"), ("ising_numba.py", "ising_c.c"),
         ising.run, ising.table),
    Case("hmc", "mpirun -np 1 and -np 2 ensemble bench hmc --json (d=2 L=64, d=2 L=512, d=3 L=32, 16 steps)",
         ("peers/hmc_numpy.py", "peers/hmc_numba.py", "peers/hmc_c.c, cc -O2"),
         "site-force evaluations per ns per core: Ensemble / numpy, numba, C; 2-rank efficiency; "
         "kernel traffic / copy bandwidth; acceptance",
         ("mpirun", "cc"), ("numpy", "numba"), ("hmc_numpy.py", "hmc_numba.py", "hmc_c.c"),
         hmc.run, hmc.table),
    Case("train", "mpirun -np 1 and -np 2 ensemble bench train --json (CNN on 32x32, batch 64 per rank)",
         ("peers/train_torch.py, PyTorch DDP (gloo), in BUILD_DIR/torch-venv", "peers/gemm_blas.c, OpenBLAS sgemm"),
         "samples/s Ensemble / PyTorch per rank count; 2-rank efficiency; convolution GFLOP/s / sgemm GFLOP/s",
         ("mpirun", "cc", "python3"), (), ("train_torch.py", "gemm_blas.c", "requirements-torch.txt"),
         train.run, train.table),
    Case("flow", "mpirun -np 1 and -np 2 ensemble bench flow --json (coupling flow, phi^4 on 8x8, batch 64 per rank)",
         ("peers/flow_torch.py, PyTorch (CPU), 1 process, in BUILD_DIR/torch-venv",),
         "fields/s per core Ensemble / PyTorch; 2-rank efficiency",
         ("mpirun", "python3"), (), ("flow_torch.py", "requirements-torch.txt"),
         flow.run, flow.table),
    Case("sampling", "mpirun -np 1 ensemble run: flow-sample with data/flow-phi4-L8.h5, and phi4 (HMC, with and without clusters), "
         "2D phi^4 L = 8 near the transition",
         ("the project's own HMC, with and without embedded-Ising cluster updates",),
         "effective samples of |M| per CPU-second (count / 2 tau_int) / HMC's; training cost reported beside",
         ("mpirun",), (), (),
         sampling.run, sampling.table),
    Case("vacua", "mpirun -np 1 and -np 2 ensemble bench vacua --json (solver, genetic search, L = 10)",
         ("peers/vacua_python.py, numpy + DEAP, in BUILD_DIR/vacua-venv",),
         "evaluations/s per core Ensemble / numpy and / DEAP; target vacua per CPU-second; 2-rank efficiency",
         ("mpirun", "python3"), (), ("vacua_python.py", "requirements-vacua.txt"),
         vacua.run, vacua.table),
)

NAMES = tuple(case.name for case in CASES)


class SelectionError(Exception):
    """BENCH named a case that does not exist."""


def select(words):
    """The cases BENCH names (comma- or space-separated, any order), in the table's order; all when
    BENCH is empty. An unknown name is an error that lists the valid ones."""
    names = [name for word in words for name in word.replace(",", " ").split()]
    unknown = [name for name in names if name not in NAMES]
    if unknown:
        raise SelectionError(f"unknown benchmark{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
                             f"in BENCH; valid names: {', '.join(NAMES)}")
    return [case for case in CASES if not names or case.name in names]
