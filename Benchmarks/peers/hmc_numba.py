#!/usr/bin/env python3
"""The numba peer of `ensemble bench hmc`.

The Hybrid Monte Carlo a physicist writes in Python when numpy's whole-array
expressions are too slow: @njit functions with explicit loops over the sites,
neighbours wrapped with a compare (i + 1 if i < L - 1 else 0, as in
ising_numba.py, rather than Python's %, which numba compiles to a signed
modulo), one force and one action function per dimension (2 and 3), and the
whole run of trajectories (momenta, leapfrog, accept/reject) in one compiled
call.

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
before the leapfrog. Random numbers: the hot start (phi uniform in [-1, 1])
comes from numpy's default_rng(SEED); the momenta (np.random.standard_normal())
and the accept draws (np.random.random()) from numba's own Mersenne Twister,
seeded with SEED, inside the compiled loop.

STEPS defaults to 16 (eps = 1/16): with 10 steps the acceptance at d=2 L=512
falls to about 0.3 (mean dH about 2); with 16 it is about 0.7 there, 0.8 at
d=3 L=32 and 0.93 at d=2 L=64.

The functions are compiled by one small call (L = 2, 1 trajectory of 1 step)
before anything else. Then WARMUP trajectories (default 1) run untimed and are
all accepted, without the test: from the hot start the first trajectory's dH
grows with V (about 28 at d=2 L=512 with 16 steps) as the rough start field
relaxes, and such a trajectory is always rejected, which would leave the chain
stuck at the start. The timed part is TRAJECTORIES trajectories in one
compiled call. The default trajectory count
is about 5e8 site-force evaluations' worth, (STEPS + 1) V TRAJECTORIES ~ 5e8,
rounded to two significant digits: with STEPS = 16, d=2 L=64: 7200,
d=2 L=512: 110, d=3 L=32: 900, which take 2-10 s here, and are the counts
Benchmarks/run gives it (and the C peer, and Ensemble).

Prints one JSON line on stdout:
  {"benchmark":"hmc","implementation":"numba","d":2,"L":64,"ranks":1,
   "trajectories":N,"steps":n,"seconds":t,"trajectories_per_second":N/t,
   "force_per_site_per_ns":(n+1)*V*N/t/1e9,
   "force_per_site_per_ns_per_core":<the same: one process, one core>,
   "acceptance":<accepted/N>,"mean_delta_h":<mean dH over the timed trajectories>}

Usage: hmc_numba.py [--d 2] [--L 64] [--trajectories N] [--steps 16] [--length 1]
                    [--kappa 0.28] [--lambda 0.022] [--seed 1] [--warmup 1] [--json]
"""

import argparse
import json
import math
import sys
import time

try:
    import numpy as np
    from numba import njit
except ImportError as error:  # pragma: no cover - depends on the interpreter
    sys.exit(
        f"hmc_numba.py: {error}; install the peers' requirements with "
        f"'{sys.executable} -m pip install -r Benchmarks/peers/requirements.txt'"
    )

WORK = 5e8  # site-force evaluations in a default run (3-7 s here)
MAX_SITES = 1 << 28


def default_trajectories(d, L, steps, work=WORK):
    """The trajectory count that does about WORK site-force evaluations, to 2 significant digits."""
    count = work / ((steps + 1) * L**d)
    if count < 1:
        return 1
    unit = 10 ** max(0, math.floor(math.log10(count)) - 1)
    return max(1, math.floor(count / unit + 0.5) * unit)


@njit(cache=False)
def seed_rng(seed):
    # numba keeps its own generator state: it has to be seeded from compiled code.
    np.random.seed(seed)


@njit(cache=False)
def action2(phi, kappa, lam):
    L = phi.shape[0]
    s = 0.0
    for i in range(L):
        down = i + 1 if i < L - 1 else 0
        for j in range(L):
            right = j + 1 if j < L - 1 else 0
            p = phi[i, j]
            p2 = p * p
            s += -2.0 * kappa * p * (phi[down, j] + phi[i, right]) + p2 + lam * (p2 - 1.0) * (p2 - 1.0)
    return s


@njit(cache=False)
def action3(phi, kappa, lam):
    L = phi.shape[0]
    s = 0.0
    for i in range(L):
        behind = i + 1 if i < L - 1 else 0
        for j in range(L):
            down = j + 1 if j < L - 1 else 0
            for k in range(L):
                right = k + 1 if k < L - 1 else 0
                p = phi[i, j, k]
                p2 = p * p
                s += (-2.0 * kappa * p * (phi[behind, j, k] + phi[i, down, k] + phi[i, j, right])
                      + p2 + lam * (p2 - 1.0) * (p2 - 1.0))
    return s


@njit(cache=False)
def force2(phi, force, kappa, lam):
    L = phi.shape[0]
    for i in range(L):
        up = i - 1 if i > 0 else L - 1
        down = i + 1 if i < L - 1 else 0
        for j in range(L):
            left = j - 1 if j > 0 else L - 1
            right = j + 1 if j < L - 1 else 0
            p = phi[i, j]
            neighbours = phi[up, j] + phi[down, j] + phi[i, left] + phi[i, right]
            force[i, j] = 2.0 * kappa * neighbours - 2.0 * p - 4.0 * lam * p * (p * p - 1.0)


@njit(cache=False)
def force3(phi, force, kappa, lam):
    L = phi.shape[0]
    for i in range(L):
        front = i - 1 if i > 0 else L - 1
        behind = i + 1 if i < L - 1 else 0
        for j in range(L):
            up = j - 1 if j > 0 else L - 1
            down = j + 1 if j < L - 1 else 0
            for k in range(L):
                left = k - 1 if k > 0 else L - 1
                right = k + 1 if k < L - 1 else 0
                p = phi[i, j, k]
                neighbours = (phi[front, j, k] + phi[behind, j, k] + phi[i, up, k] + phi[i, down, k]
                              + phi[i, j, left] + phi[i, j, right])
                force[i, j, k] = 2.0 * kappa * neighbours - 2.0 * p - 4.0 * lam * p * (p * p - 1.0)


@njit(cache=False)
def action(phi, d, L, kappa, lam):
    if d == 2:
        return action2(phi.reshape((L, L)), kappa, lam)
    return action3(phi.reshape((L, L, L)), kappa, lam)


@njit(cache=False)
def compute_force(phi, force, d, L, kappa, lam):
    if d == 2:
        force2(phi.reshape((L, L)), force.reshape((L, L)), kappa, lam)
    else:
        force3(phi.reshape((L, L, L)), force.reshape((L, L, L)), kappa, lam)


@njit(cache=False)
def hmc(phi, d, L, s, trajectories, steps, length, kappa, lam, accept_all):
    """TRAJECTORIES HMC trajectories of the flat field PHI (whose action is S), in place.

    With accept_all (the warm-up) every trajectory is accepted without the test.
    Returns (the action of phi, accepted count, sum of dH)."""
    V = phi.size
    eps = length / steps
    half = 0.5 * eps
    pi = np.empty(V)
    force = np.empty(V)
    old = np.empty(V)
    accepted = 0
    sum_dh = 0.0
    for _ in range(trajectories):
        kinetic = 0.0
        for x in range(V):
            p = np.random.standard_normal()
            pi[x] = p
            kinetic += p * p
        h = 0.5 * kinetic + s
        for x in range(V):
            old[x] = phi[x]

        compute_force(phi, force, d, L, kappa, lam)
        for x in range(V):
            pi[x] += half * force[x]
        for _ in range(steps - 1):
            for x in range(V):
                phi[x] += eps * pi[x]
            compute_force(phi, force, d, L, kappa, lam)
            for x in range(V):
                pi[x] += eps * force[x]
        for x in range(V):
            phi[x] += eps * pi[x]
        compute_force(phi, force, d, L, kappa, lam)
        for x in range(V):
            pi[x] += half * force[x]

        s_new = action(phi, d, L, kappa, lam)
        kinetic = 0.0
        for x in range(V):
            kinetic += pi[x] * pi[x]
        dh = 0.5 * kinetic + s_new - h
        sum_dh += dh
        if accept_all or dh <= 0.0 or np.random.random() < math.exp(-dh):
            s = s_new
            accepted += 1
        else:
            for x in range(V):
                phi[x] = old[x]
    return s, accepted, sum_dh


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
    if not 0 <= options.seed < 2**32:
        parser.error(f"--seed must be in 0 ... 2**32 - 1 (numba's generator), got {options.seed}")
    if not (math.isfinite(options.length) and options.length > 0):
        parser.error(f"--length must be a finite number > 0, got {options.length}")
    if not math.isfinite(options.kappa):
        parser.error(f"--kappa must be a finite number, got {options.kappa}")
    if not (math.isfinite(options.lam) and options.lam >= 0):
        parser.error(f"--lambda must be a finite number >= 0, got {options.lam}")

    d, L, steps, length = options.d, options.L, options.steps, options.length
    trajectories = options.trajectories or default_trajectories(d, L, steps)
    kappa, lam = options.kappa, options.lam

    # Compile before anything else (one small call with the same argument types).
    tiny = np.zeros(2**d)
    hmc(tiny, d, 2, action(tiny, d, 2, kappa, lam), 1, 1, length, kappa, lam, False)

    phi = np.random.default_rng(options.seed).uniform(-1.0, 1.0, L**d)  # hot start
    seed_rng(options.seed)
    s = action(phi, d, L, kappa, lam)
    s, _, _ = hmc(phi, d, L, s, options.warmup, steps, length, kappa, lam, True)

    start = time.perf_counter()
    s, accepted, sum_dh = hmc(phi, d, L, s, trajectories, steps, length, kappa, lam, False)
    seconds = time.perf_counter() - start

    if not (math.isfinite(s) and math.isfinite(sum_dh)):
        sys.exit(f"hmc_numba.py: error: the field blew up (S = {s}, sum dH = {sum_dh}); "
                 f"try more --steps or a smaller --length")
    rate = (steps + 1) * L**d * trajectories / seconds / 1e9
    print(json.dumps({
        "benchmark": "hmc",
        "implementation": "numba",
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
