#!/usr/bin/env python3
"""The PyTorch peer of `ensemble bench train`.

Data-parallel training of a small CNN on L x L Ising configurations, written the way an
ML physicist writes it: PyTorch on the CPU, DistributedDataParallel over the gloo
backend, one process per rank, started with torch.multiprocessing.

The network (the same as Ensemble's, layer for layer):

    conv2d 1 -> 16, 3x3, stride 1, circular (periodic) padding 1, bias; ReLU
    conv2d 16 -> 16, 3x3, stride 1, circular padding 1, bias; ReLU
    global average over the L x L sites -> [batch, 16]
    dense 16 -> 2, bias
    softmax cross-entropy (nn.CrossEntropyLoss on the logits, mean over the batch)
    SGD, lr 0.01, momentum 0.9

Inputs are spins +-1, shape [batch, 1, L, L], in the chosen precision (float32 by
default, or float64); labels are 0 or 1. Each process makes its own fixed synthetic data
set of SAMPLES configurations and labels (default 1024, seeded, different per rank)
before anything is timed, and cycles through it in slices of BATCH: there is no data
loading in the timed loop. The global batch is BATCH x PROCESSES.

One step is: zero the gradients, forward, loss, backward (DDP all-reduces the
gradients, averaged over ranks, during the backward pass), optimizer step. WARMUP steps
run untimed; then a barrier, STEPS timed steps, a barrier. Each rank measures that span
(perf_counter), the ranks all-reduce the maximum, and that slowest rank's time is
`seconds`. With --processes 1 the same DDP structure runs with world size 1.

Every process uses THREADS intra-op threads (torch.set_num_threads, default 1) and one
inter-op thread, and OMP_NUM_THREADS/MKL_NUM_THREADS are set to THREADS before the
processes start: the counterpart of OPENBLAS_NUM_THREADS=1 per MPI rank. The processes
meet on 127.0.0.1 (MASTER_ADDR) at a free port (MASTER_PORT); gloo uses the loopback
interface (GLOO_SOCKET_IFNAME=lo unless set).

Prints one JSON line on stdout, from the parent after every process finished:
  {"benchmark":"train","implementation":"pytorch-ddp","ranks":N,"batch_per_rank":B,
   "global_batch":B*N,"L":32,"precision":"float32","steps":S,"seconds":t,
   "samples_per_s":B*N*S/t,"samples_per_s_per_rank":B*S/t,"final_loss":<mean over ranks
   of the last step's loss>,"torch_version":"...","threads_per_rank":1}
Everything else goes to stderr (the worker processes' stdout is sent there too). Any
failure ends the run with a message and a non-zero exit status.

Install: python3 -m pip install -r Benchmarks/peers/requirements-torch.txt (see there).

Usage: train_torch.py [--processes 1] [--batch 64] [--steps 40] [--warmup 5]
                      [--precision float32|float64] [--L 32] [--samples 1024]
                      [--threads 1] [--seed 1] [--timeout 300] [--json]
"""

import argparse
import json
import math
import os
import socket
import sys
import time

PROGRAM = "train_torch.py"
LEARNING_RATE = 0.01
MOMENTUM = 0.9
CHANNELS = 16
CLASSES = 2


def fail(message):
    sys.exit(f"{PROGRAM}: error: {message}")


def import_torch():
    try:
        import torch  # noqa: F401
        import torch.distributed  # noqa: F401
    except Exception as error:  # ImportError, or a wheel whose shared libraries are missing
        fail(f"cannot import torch ({type(error).__name__}: {error}); install the peer's "
             f"requirements with '{sys.executable} -m pip install -r "
             f"Benchmarks/peers/requirements-torch.txt'")
    return torch


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_model(torch):
    nn = torch.nn

    class IsingCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, CHANNELS, 3, stride=1, padding=1, padding_mode="circular", bias=True)
            self.conv2 = nn.Conv2d(CHANNELS, CHANNELS, 3, stride=1, padding=1, padding_mode="circular", bias=True)
            self.dense = nn.Linear(CHANNELS, CLASSES, bias=True)

        def forward(self, x):
            x = torch.relu(self.conv1(x))
            x = torch.relu(self.conv2(x))
            x = x.mean(dim=(2, 3))  # global average pooling over the sites
            return self.dense(x)    # logits; CrossEntropyLoss applies the softmax

    return IsingCNN()


def worker(rank, world, options, queue):
    """One rank: train, time, and (rank 0) put the result on the queue."""
    # Only the parent writes stdout: send anything a worker or a library prints to stderr.
    sys.stdout.flush()
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    import datetime

    import torch
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel

    torch.set_num_threads(options["threads"])
    torch.set_num_interop_threads(1)
    dtype = {"float32": torch.float32, "float64": torch.float64}[options["precision"]]
    batch, L, samples = options["batch"], options["L"], options["samples"]

    dist.init_process_group("gloo", rank=rank, world_size=world,
                            timeout=datetime.timedelta(seconds=options["timeout"]))
    try:
        torch.manual_seed(options["seed"])  # the same initial weights everywhere (DDP broadcasts rank 0's anyway)
        model = make_model(torch).to(dtype)
        ddp = DistributedDataParallel(model)
        optimizer = torch.optim.SGD(ddp.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)
        loss_function = torch.nn.CrossEntropyLoss()

        generator = torch.Generator().manual_seed(options["seed"] * 1000003 + rank + 1)
        spins = (torch.randint(0, 2, (samples, 1, L, L), generator=generator) * 2 - 1).to(dtype).contiguous()
        labels = torch.randint(0, CLASSES, (samples,), generator=generator)
        batches = samples // batch

        def step(index):
            start = (index % batches) * batch
            x = spins[start:start + batch]
            y = labels[start:start + batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_function(ddp(x), y)
            loss.backward()
            optimizer.step()
            return loss.detach()

        loss = None
        for index in range(options["warmup"]):
            loss = step(index)

        dist.barrier()
        start_time = time.perf_counter()
        for index in range(options["warmup"], options["warmup"] + options["steps"]):
            loss = step(index)
        dist.barrier()
        elapsed = time.perf_counter() - start_time

        summary = torch.tensor([elapsed], dtype=torch.float64)
        dist.all_reduce(summary, op=dist.ReduceOp.MAX)
        final_loss = loss.to(torch.float64).reshape(1)
        dist.all_reduce(final_loss, op=dist.ReduceOp.SUM)
        if rank == 0:
            queue.put({"seconds": summary.item(), "final_loss": final_loss.item() / world})
    finally:
        dist.destroy_process_group()
    # Leave without the interpreter's teardown: about one run in three of two processes died
    # there with SIGABRT ("terminate called without an active exception", no Python frame on the
    # stack: a C++ thread of torch still joinable when static destructors ran), after the result
    # was already on the queue. Everything this process had to do is done.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=1, help="DDP processes (ranks) (default 1)")
    parser.add_argument("--batch", type=int, default=64, help="batch per process (default 64)")
    parser.add_argument("--steps", type=int, default=40, help="timed training steps (default 40)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed steps before the clock starts (default 5)")
    parser.add_argument("--precision", choices=("float32", "float64"), default="float32",
                        help="dtype of the inputs, weights and arithmetic (default float32)")
    parser.add_argument("--L", type=int, default=32, help="lattice extent, L x L sites (default 32)")
    parser.add_argument("--samples", type=int, default=None,
                        help="synthetic configurations per process, cycled through (default max(1024, batch))")
    parser.add_argument("--threads", type=int, default=1, help="threads per process (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the weights and the data (default 1)")
    parser.add_argument("--timeout", type=int, default=300,
                        help="seconds a rank waits in a collective before giving up (default 300)")
    parser.add_argument("--json", action="store_true", help="accepted for symmetry; JSON is the only output")
    args = parser.parse_args(argv)

    if args.processes < 1 or args.processes > 64:
        fail(f"--processes must be between 1 and 64, got {args.processes}")
    if args.batch < 1:
        fail(f"--batch must be at least 1, got {args.batch}")
    if args.steps < 1:
        fail(f"--steps must be at least 1, got {args.steps}")
    if args.warmup < 0:
        fail(f"--warmup must be at least 0, got {args.warmup}")
    if args.L < 2 or args.L > 4096:
        fail(f"--L must be between 2 and 4096, got {args.L}")
    if args.threads < 1:
        fail(f"--threads must be at least 1, got {args.threads}")
    if args.timeout < 1:
        fail(f"--timeout must be at least 1, got {args.timeout}")
    samples = max(1024, args.batch) if args.samples is None else args.samples
    if samples < args.batch:
        fail(f"--samples ({samples}) must be at least --batch ({args.batch})")
    bytes_per_value = 4 if args.precision == "float32" else 8
    if samples * args.L * args.L * bytes_per_value > 4 << 30:
        fail(f"the data set of {samples} configurations of {args.L}x{args.L} would exceed 4 GiB per process; "
             f"use a smaller --samples")

    # Thread counts must be in the environment before the workers import torch.
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[variable] = str(args.threads)
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(free_port())
    os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")

    torch = import_torch()
    if not torch.distributed.is_available() or not torch.distributed.is_gloo_available():
        fail(f"this torch ({torch.__version__}) has no gloo backend for torch.distributed")
    import torch.multiprocessing as mp

    options = {
        "batch": args.batch, "steps": args.steps, "warmup": args.warmup, "precision": args.precision,
        "L": args.L, "samples": samples, "threads": args.threads, "seed": args.seed, "timeout": args.timeout,
    }
    context = mp.get_context("spawn")
    queue = context.SimpleQueue()
    print(f"{PROGRAM}: torch {torch.__version__}, {args.processes} process(es) x {args.threads} thread(s), "
          f"batch {args.batch}/process, L = {args.L}, {args.precision}, {args.warmup} + {args.steps} steps, "
          f"gloo on 127.0.0.1:{os.environ['MASTER_PORT']}", file=sys.stderr)
    try:
        mp.spawn(worker, args=(args.processes, options, queue), nprocs=args.processes, join=True)
    except KeyboardInterrupt:
        fail("interrupted")
    except Exception as error:  # ProcessRaisedException (with the worker's traceback) or ProcessExitedException
        fail(f"a training process failed: {type(error).__name__}: {error}")
    if queue.empty():
        fail("rank 0 finished without a result")
    result = queue.get()

    seconds = result["seconds"]
    final_loss = result["final_loss"]
    if not (seconds > 0 and math.isfinite(seconds)):
        fail(f"measured a time of {seconds} s")
    if not math.isfinite(final_loss):
        fail(f"the loss is not finite ({final_loss})")
    global_batch = args.batch * args.processes
    samples_per_s = global_batch * args.steps / seconds
    print(json.dumps({
        "benchmark": "train",
        "implementation": "pytorch-ddp",
        "ranks": args.processes,
        "batch_per_rank": args.batch,
        "global_batch": global_batch,
        "L": args.L,
        "precision": args.precision,
        "steps": args.steps,
        "seconds": seconds,
        "samples_per_s": samples_per_s,
        "samples_per_s_per_rank": samples_per_s / args.processes,
        "final_loss": final_loss,
        "torch_version": torch.__version__,
        "threads_per_rank": args.threads,
    }))


if __name__ == "__main__":
    main()
