#!/usr/bin/env python3
"""The numba peer of `ensemble bench ising`.

The checkerboard Metropolis code a physicist writes in Python when plain
Python is too slow: one @njit function over an L x L int8 array of spins
(+1/-1), periodic boundaries, J = 1, h = 0, at beta = 0.4406868 (the critical
point, 1/T_c = ln(1 + sqrt 2)/2) unless told otherwise. One sweep visits the
even sites (i + j even), then the odd sites, in row order. A flip changes the
energy by dE = 2 s (sum of the 4 neighbours), one of -8, -4, 0, 4, 8; a flip
with dE <= 0 is always accepted, otherwise it is accepted when
np.random.random() (numba's own Mersenne Twister, called inside the compiled
loop) is below the precomputed exp(-beta dE). Neighbours wrap with a compare
(j + 1 if j < L - 1 else 0) rather than Python's %, which numba compiles to a
signed modulo with a sign fix-up: measured here, the compare is the faster of
the two, so the peer is not handicapped by the choice.

The spins start random (hot start, seeded with --seed). The function is
compiled by one small call (L = 4, 1 sweep) before the clock starts; the timed
part is SWEEPS sweeps of the L x L lattice in one compiled call.

Prints one JSON line on stdout:
  {"benchmark":"ising_metropolis","implementation":"numba","L":256,"ranks":1,
   "sweeps":N,"seconds":t,"updates_per_ns":L*L*N/t/1e9,
   "updates_per_ns_per_core":<the same: one process, one core>}

Usage: ising_numba.py [--L 256] [--sweeps 100] [--beta 0.4406868] [--seed 1] [--json]
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
        f"ising_numba.py: {error}; install the peers' requirements with "
        f"'{sys.executable} -m pip install -r Benchmarks/peers/requirements.txt'"
    )

BETA_CRITICAL = 0.4406868


@njit(cache=False)
def seed_rng(seed):
    # numba keeps its own generator state: it has to be seeded from compiled code.
    np.random.seed(seed)


@njit(cache=False)
def metropolis(spins, acceptance, sweeps):
    """SWEEPS checkerboard Metropolis sweeps of SPINS, in place.

    acceptance[k] = exp(-beta * 4 * k) for the flip that raises the energy by 4k.
    Returns the number of accepted flips.
    """
    L = spins.shape[0]
    accepted = 0
    for sweep in range(sweeps):
        for parity in range(2):
            for i in range(L):
                up = i - 1 if i > 0 else L - 1
                down = i + 1 if i < L - 1 else 0
                for j in range((i + parity) % 2, L, 2):
                    left = j - 1 if j > 0 else L - 1
                    right = j + 1 if j < L - 1 else 0
                    s = spins[i, j]
                    neighbours = spins[up, j] + spins[down, j] + spins[i, left] + spins[i, right]
                    dE = 2 * s * neighbours
                    if dE <= 0 or np.random.random() < acceptance[dE // 4]:
                        spins[i, j] = -s
                        accepted += 1
    return accepted


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--L", type=int, default=256, help="linear size, even, at least 4 (default 256)")
    parser.add_argument("--sweeps", type=int, default=100, help="timed sweeps (default 100)")
    parser.add_argument("--beta", type=float, default=BETA_CRITICAL, help=f"inverse temperature (default {BETA_CRITICAL}, T_c)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the start configuration and the flips (default 1)")
    parser.add_argument("--json", action="store_true", help="accepted for symmetry; JSON is the only output")
    options = parser.parse_args(argv)

    if options.L < 4 or options.L % 2:
        parser.error(f"--L must be even and at least 4 (a periodic checkerboard), got {options.L}")
    if options.sweeps < 1:
        parser.error(f"--sweeps must be at least 1, got {options.sweeps}")
    if not (math.isfinite(options.beta) and options.beta >= 0):
        parser.error(f"--beta must be a finite number >= 0, got {options.beta}")

    # exp(-beta dE) for dE = 0, 4, 8 (index dE // 4); only 4 and 8 are ever looked up.
    acceptance = np.exp(-options.beta * 4.0 * np.arange(3))

    # Compile before the clock starts (one small call with the same argument types).
    seed_rng(options.seed)
    metropolis(np.ones((4, 4), dtype=np.int8), acceptance, 1)

    L = options.L
    spins = np.where(np.random.default_rng(options.seed).random((L, L)) < 0.5, -1, 1).astype(np.int8)
    seed_rng(options.seed)

    start = time.perf_counter()
    metropolis(spins, acceptance, options.sweeps)
    seconds = time.perf_counter() - start

    rate = L * L * options.sweeps / seconds / 1e9
    print(json.dumps({
        "benchmark": "ising_metropolis",
        "implementation": "numba",
        "L": L,
        "ranks": 1,
        "sweeps": options.sweeps,
        "seconds": seconds,
        "updates_per_ns": rate,
        "updates_per_ns_per_core": rate,
    }, separators=(",", ":")), flush=True)


if __name__ == "__main__":
    main()
