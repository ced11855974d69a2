#!/usr/bin/env python3
"""The numpy peer of `ensemble bench hmc`.

The Hybrid Monte Carlo a physicist writes with numpy: whole-lattice array
expressions, neighbours by np.roll along each axis, no Python loop over sites.

The model: a real scalar field phi (float64) on a periodic hypercubic lattice of
dimension D (2 or 3) and extent L per direction, V = L**D sites, with the
hopping-form lattice phi^4 action

    S = sum_x [ -2 kappa sum_mu phi_x phi_{x+mu} + phi_x**2 + lambda (phi_x**2 - 1)**2 ]

(kappa = 0.28, lambda = 0.022 unless told otherwise) and its force

    F_x = -dS/dphi_x = 2 kappa sum_mu (phi_{x+mu} + phi_{x-mu}) - 2 phi_x - 4 lambda phi_x (phi_x**2 - 1).

One trajectory: draw momenta pi, one standard normal per site; H = sum pi**2 / 2
+ S(phi), with S(phi) carried over from the previous trajectory (computed once
at the start, then once per trajectory at its end); leapfrog with STEPS steps
of size eps = LENGTH / STEPS:

    pi += eps/2 F(phi); STEPS - 1 times { phi += eps pi; pi += eps F(phi) }; phi += eps pi; pi += eps/2 F(phi)

which is STEPS + 1 force evaluations; then H' = sum pi**2 / 2 + S(phi'), and
the new phi is accepted with probability min(1, exp(-dH)), dH = H' - H (a
uniform draw below exp(-dH)); on reject phi is restored from a copy taken
before the leapfrog. Random numbers: numpy's default_rng(SEED) (PCG64), for
the hot start (phi uniform in [-1, 1]), the momenta and the accept draws.

STEPS defaults to 16 (eps = 1/16): with 10 steps the acceptance at d=2 L=512
falls to about 0.3 (mean dH about 2); with 16 it is about 0.7 there, 0.8 at
d=3 L=32 and 0.93 at d=2 L=64.

WARMUP trajectories (default 1) run before the clock starts and are all
accepted, without the test: from the hot start the first trajectory's dH grows
with V (about 28 at d=2 L=512 with 16 steps) as the rough start field relaxes,
and such a trajectory is always rejected, which would leave the chain stuck at
the start. The timed part is TRAJECTORIES trajectories. The default trajectory count is about 1e8
site-force evaluations' worth, (STEPS + 1) V TRAJECTORIES ~ 1e8, rounded to two
significant digits: with STEPS = 16, d=2 L=64: 1400, d=2 L=512: 22,
d=3 L=32: 180, which take 2-10 s here (numpy does 0.015-0.035 site-force
evaluations per ns), and are the counts Benchmarks/run gives it.

Prints one JSON line on stdout:
  {"benchmark":"hmc","implementation":"numpy","d":2,"L":64,"ranks":1,
   "trajectories":N,"steps":n,"seconds":t,"trajectories_per_second":N/t,
   "force_per_site_per_ns":(n+1)*V*N/t/1e9,
   "force_per_site_per_ns_per_core":<the same: one process, one core>,
   "acceptance":<accepted/N>,"mean_delta_h":<mean dH over the timed trajectories>}

Usage: hmc_numpy.py [--d 2] [--L 64] [--trajectories N] [--steps 16] [--length 1]
                    [--kappa 0.28] [--lambda 0.022] [--seed 1] [--warmup 1] [--json]
"""

import argparse
import json
import math
import sys
import time

try:
    import numpy as np
except ImportError as error:  # pragma: no cover - depends on the interpreter
    sys.exit(
        f"hmc_numpy.py: {error}; install the peers' requirements with "
        f"'{sys.executable} -m pip install -r Benchmarks/peers/requirements.txt'"
    )

WORK = 1e8  # site-force evaluations in a default run (3-7 s here)
MAX_SITES = 1 << 28


def default_trajectories(d, L, steps, work=WORK):
    """The trajectory count that does about WORK site-force evaluations, to 2 significant digits."""
    count = work / ((steps + 1) * L**d)
    if count < 1:
        return 1
    unit = 10 ** max(0, math.floor(math.log10(count)) - 1)
    return max(1, math.floor(count / unit + 0.5) * unit)


def action(phi, kappa, lam):
    hopping = sum(phi * np.roll(phi, -1, axis=mu) for mu in range(phi.ndim))
    phi2 = phi * phi
    return float(np.sum(-2.0 * kappa * hopping + phi2 + lam * (phi2 - 1.0) ** 2))


def force(phi, kappa, lam):
    neighbours = sum(np.roll(phi, 1, axis=mu) + np.roll(phi, -1, axis=mu) for mu in range(phi.ndim))
    return 2.0 * kappa * neighbours - 2.0 * phi - 4.0 * lam * phi * (phi * phi - 1.0)


def hmc(phi, s, trajectories, steps, length, kappa, lam, rng, accept_all=False):
    """TRAJECTORIES HMC trajectories from phi (whose action is s).

    With accept_all (the warm-up) every trajectory is accepted without the test.
    Returns (phi, its action, accepted count, sum of dH)."""
    eps = length / steps
    accepted = 0
    sum_dh = 0.0
    for _ in range(trajectories):
        pi = rng.standard_normal(phi.shape)
        h = 0.5 * float(np.sum(pi * pi)) + s
        old = phi.copy()
        pi += 0.5 * eps * force(phi, kappa, lam)
        for _ in range(steps - 1):
            phi += eps * pi
            pi += eps * force(phi, kappa, lam)
        phi += eps * pi
        pi += 0.5 * eps * force(phi, kappa, lam)
        s_new = action(phi, kappa, lam)
        dh = 0.5 * float(np.sum(pi * pi)) + s_new - h
        sum_dh += dh
        if accept_all or dh <= 0.0 or rng.random() < math.exp(-dh):
            s = s_new
            accepted += 1
        else:
            phi = old
    return phi, s, accepted, sum_dh


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--d", type=int, default=2, help="lattice dimension, 2 or 3 (default 2)")
    parser.add_argument("--L", type=int, default=64, help="extent per direction, even, at least 2 (default 64)")
    parser.add_argument("--trajectories", type=int, default=None,
                        help=f"timed trajectories (default: about {WORK:.0e} site-force evaluations' worth)")
    parser.add_argument("--steps", type=int, default=16, help="leapfrog steps per trajectory (default 16)")
    parser.add_argument("--length", type=float, default=1.0, help="trajectory length tau (default 1)")
    parser.add_argument("--kappa", type=float, default=0.28, help="hopping parameter (default 0.28)")
    parser.add_argument("--lambda", dest="lam", type=float, default=0.022, help="quartic coupling (default 0.022)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the start field, momenta and accept draws (default 1)")
    parser.add_argument("--warmup", type=int, default=1,
                        help="untimed trajectories before the clock starts, all accepted (default 1)")
    parser.add_argument("--json", action="store_true", help="accepted for symmetry; JSON is the only output")
    options = parser.parse_args(argv)

    if options.d not in (2, 3):
        parser.error(f"--d must be 2 or 3, got {options.d}")
    if options.L < 2 or options.L % 2:
        parser.error(f"--L must be even and at least 2, got {options.L}")
    if options.L**options.d > MAX_SITES:
        parser.error(f"--L {options.L} in d = {options.d} is {options.L**options.d} sites, more than {MAX_SITES}")
    if options.steps < 1:
        parser.error(f"--steps must be at least 1, got {options.steps}")
    if options.trajectories is not None and options.trajectories < 1:
        parser.error(f"--trajectories must be at least 1, got {options.trajectories}")
    if options.warmup < 0:
        parser.error(f"--warmup must be 0 or more, got {options.warmup}")
    if options.seed < 0:
        parser.error(f"--seed must be 0 or more, got {options.seed}")
    if not (math.isfinite(options.length) and options.length > 0):
        parser.error(f"--length must be a finite number > 0, got {options.length}")
    if not math.isfinite(options.kappa):
        parser.error(f"--kappa must be a finite number, got {options.kappa}")
    if not (math.isfinite(options.lam) and options.lam >= 0):
        parser.error(f"--lambda must be a finite number >= 0, got {options.lam}")

    d, L, steps = options.d, options.L, options.steps
    trajectories = options.trajectories or default_trajectories(d, L, steps)
    kappa, lam = options.kappa, options.lam

    rng = np.random.default_rng(options.seed)
    phi = rng.uniform(-1.0, 1.0, (L,) * d)  # hot start
    s = action(phi, kappa, lam)
    phi, s, _, _ = hmc(phi, s, options.warmup, steps, options.length, kappa, lam, rng, accept_all=True)

    start = time.perf_counter()
    phi, s, accepted, sum_dh = hmc(phi, s, trajectories, steps, options.length, kappa, lam, rng)
    seconds = time.perf_counter() - start

    if not (math.isfinite(s) and math.isfinite(sum_dh)):
        sys.exit(f"hmc_numpy.py: error: the field blew up (S = {s}, sum dH = {sum_dh}); "
                 f"try more --steps or a smaller --length")
    rate = (steps + 1) * L**d * trajectories / seconds / 1e9
    print(json.dumps({
        "benchmark": "hmc",
        "implementation": "numpy",
        "d": d,
        "L": L,
        "ranks": 1,
        "trajectories": trajectories,
        "steps": steps,
        "seconds": seconds,
        "trajectories_per_second": trajectories / seconds,
        "force_per_site_per_ns": rate,
        "force_per_site_per_ns_per_core": rate,
        "acceptance": accepted / trajectories,
        "mean_delta_h": sum_dh / trajectories,
    }, separators=(",", ":")), flush=True)


if __name__ == "__main__":
    main()
