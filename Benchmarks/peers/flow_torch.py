#!/usr/bin/env python3
"""The PyTorch peer of `ensemble bench flow`.

Reverse-KL (self-)training of a normalizing flow for 2D phi^4 theory, written as Albergo,
Kanwar and Shanahan's tutorial (arXiv 2101.08176) writes it: PyTorch on the CPU, one process.

The flow (the same as Ensemble's, layer for layer):

    prior: independent standard normals on the L x L sites
    COUPLINGS affine coupling layers; layer k freezes the sites with (x + y) % 2 == k % 2
      net: conv2d 1 -> 8, 3x3, circular padding, tanh; conv2d 8 -> 8, 3x3, circular, tanh;
           conv2d 8 -> 2, 3x3, circular, tanh  ->  s (channel 0), t (channel 1)
      x' = frozen + active * (x * exp(s) + t),  log J += sum over active sites of s
    the last convolution of every net starts at zero (the identity flow), as in Ensemble
    target: the hopping-form action S = sum_x [-2 kappa sum_mu phi_x phi_{x+mu} + phi_x^2
            + lambda (phi_x^2 - 1)^2] with kappa = 1/4, lambda = 1/2, which is the tutorial's
            m^2 = -4, lambda = 8 (phi_tutorial = sqrt(kappa) phi)
    loss: mean(log q(phi) + S(phi)) over the batch; Adam, lr 1e-3

One step is: draw BATCH prior fields, push them through the flow, loss, backward, optimizer
step. WARMUP steps run untimed, then STEPS timed steps (perf_counter).

Prints one JSON line on stdout:
  {"benchmark":"flow","implementation":"pytorch","ranks":1,"batch_per_rank":B,"global_batch":B,
   "L":8,"couplings":16,"precision":"float32","steps":S,"seconds":t,"fields_per_s":B*S/t,
   "fields_per_s_per_rank":B*S/t,"final_loss":...,"torch_version":"...","threads_per_rank":1}

Usage: flow_torch.py [--batch 64] [--steps 20] [--warmup 3] [--L 8] [--couplings 16]
                     [--precision float32|float64] [--threads 1] [--seed 1] [--json]
"""

import argparse
import json
import math
import sys
import time

PROGRAM = "flow_torch.py"
KAPPA, LAMBDA = 0.25, 0.5
HIDDEN = (8, 8)


def fail(message):
    sys.exit(f"{PROGRAM}: error: {message}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--L", type=int, default=8)
    parser.add_argument("--couplings", type=int, default=16)
    parser.add_argument("--precision", choices=("float32", "float64"), default="float32")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="accepted for symmetry; JSON is the only output")
    args = parser.parse_args(argv)
    if args.batch < 1 or args.steps < 1 or args.warmup < 0 or args.L < 4 or args.L % 2 or args.couplings < 1:
        fail("need --batch >= 1, --steps >= 1, --warmup >= 0, an even --L >= 4 and --couplings >= 1")
    try:
        import torch
    except Exception as error:
        fail(f"cannot import torch ({type(error).__name__}: {error}); install Benchmarks/peers/requirements-torch.txt")

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    dtype = {"float32": torch.float32, "float64": torch.float64}[args.precision]
    nn, L = torch.nn, args.L

    def net():
        layers, channels = [], 1
        for hidden in HIDDEN:
            layers += [nn.Conv2d(channels, hidden, 3, padding=1, padding_mode="circular"), nn.Tanh()]
            channels = hidden
        last = nn.Conv2d(channels, 2, 3, padding=1, padding_mode="circular")
        nn.init.zeros_(last.weight)
        nn.init.zeros_(last.bias)
        return nn.Sequential(*layers, last, nn.Tanh())

    class Coupling(nn.Module):
        def __init__(self, parity):
            super().__init__()
            x, y = torch.meshgrid(torch.arange(L), torch.arange(L), indexing="ij")
            self.register_buffer("frozen", ((x + y) % 2 == parity).to(dtype))
            self.net = net()

        def forward(self, x):
            frozen, active = self.frozen, 1 - self.frozen
            out = self.net((frozen * x).unsqueeze(1))
            s, t = out[:, 0], out[:, 1]
            y = frozen * x + active * (x * torch.exp(s) + t)
            return y, (active * s).sum(dim=(1, 2))

    layers = nn.ModuleList([Coupling(k % 2) for k in range(args.couplings)]).to(dtype)

    def action(phi):
        neighbours = torch.roll(phi, -1, 1) + torch.roll(phi, -1, 2)
        return (-2 * KAPPA * phi * neighbours + phi ** 2 + LAMBDA * (phi ** 2 - 1) ** 2).sum(dim=(1, 2))

    optimizer = torch.optim.Adam(layers.parameters(), lr=1e-3)
    normal = 0.5 * L * L * math.log(2 * math.pi)

    def step():
        z = torch.randn(args.batch, L, L, dtype=dtype)
        log_q = -0.5 * (z ** 2).sum(dim=(1, 2)) - normal
        phi = z
        for layer in layers:
            phi, log_j = layer(phi)
            log_q = log_q - log_j
        loss = (log_q + action(phi)).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.item()

    loss = None
    for _ in range(args.warmup):
        loss = step()
    start = time.perf_counter()
    for _ in range(args.steps):
        loss = step()
    seconds = time.perf_counter() - start
    fields = args.batch * args.steps / seconds
    print(json.dumps({"benchmark": "flow", "implementation": "pytorch", "ranks": 1, "batch_per_rank": args.batch,
                      "global_batch": args.batch, "L": L, "couplings": args.couplings, "precision": args.precision,
                      "steps": args.steps, "seconds": seconds, "fields_per_s": fields, "fields_per_s_per_rank": fields,
                      "final_loss": loss, "torch_version": torch.__version__, "threads_per_rank": args.threads},
                     sort_keys=True))


if __name__ == "__main__":
    main()
