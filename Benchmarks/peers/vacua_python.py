#!/usr/bin/env python3
"""The Python peer of `ensemble bench vacua`: a numpy flux-vacuum solver and a DEAP genetic search.

The physics: type IIB flux vacua of the symmetric T^6 orientifold with two
moduli (DeWolfe, Giryavets, Kachru, Taylor, hep-th/0411061). A genome is 8
integers N = (a0, a, b, b0 ; c0, c, d, d0) = (F ; H), and

    W(tau, phi) = P_F(tau) - phi P_H(tau),   P_v(tau) = v0 tau^3 - 3 v1 tau^2 - 3 v2 tau - v3,
    N_flux = b0 c0 - a0 d0 + 3 (b c - a d).

Supersymmetric vacua: D_phi W = 0  <=>  P_F(tau) = conj(phi) P_H(tau), and
D_tau W = 0  <=>  (tau - conj tau)(P_F'(tau) - phi P_H'(tau)) = 3 (P_F(tau) - phi P_H(tau)).
A vacuum counts with 0 < N_flux <= L, Im tau > 0, Im phi > 0; g_s = 1/Im phi.

The exact solver, per genome, written the way a physicist writes it with numpy:
Pluecker coordinates p_ij = F_i H_j - F_j H_i; with tau = x + i y and Y = y^2
the tau equations become E1 = E2 = 0 (see equations_e1_e2), and eliminating Y
leaves a cubic C(x) with integer coefficients (cubic_coefficients), solved with
np.roots. Each real root gives Y from E1 (linear in Y; from E2 where E1's
coefficient of Y vanishes), both are polished by a few Newton steps on (E1, E2),
vectorised over the (at most 3) roots, as the Swift solver does; phi =
conj(P_F/P_H) (or P_F'/P_H' where P_H(tau) = 0). p01 = p02 = 0 has no isolated
vacuum; C = 0 identically has the one W = 0 vacuum at the upper-half-plane root
of x^2 + beta x + kappa'. Every vacuum returned has Im tau > 0, Im phi > 0 and
both D W residuals (relative to the magnitudes of their terms) below 1e-7.

The genetic search, with DEAP (tools.selTournament, tools.cxTwoPoint,
algorithms.varAnd): genomes with alleles uniform in [-L, L]; every individual
is evaluated every generation (the fitness width changes, and the Swift side
re-evaluates too, so both do the same work; no fitness cache); tournament of 3,
two-point crossover with probability 0.7, mutation with probability 0.6 of one
random allele by +-1 or +-2 (80 %) or to a new uniform value (20 %), clipped to
[-L, L]; the 4 best are copied unchanged into the next generation. Fitness,
as in Sources/Vacua/LandscapeEvaluator.swift: for 0 < N_flux <= L solve, and
take the max over the admissible vacua of 0.1 + 0.9 exp(-d^2 / (2 w^2)), d the
distance of g_s to the target [0.25, 0.35) in units of its log-width, or 0.05
without one; outside the window 0.05 / (1 + excess/L) without calling the
solver. w = 2 (0.1/2)^(g/(G-1)) at generation g of G = evaluations // population.

Distinct vacua here are distinct (genome, tau, phi rounded to 1e-6) triples: a
plain dedupe. The Swift side first maps each vacuum to a canonical
representative under the dualities (SL(2,Z) on tau and on phi, N -> -N) and
counts distinct canonical genomes, so its counts are lower for the same set of
vacua; the peer's distinct_vacua and target_vacua count duality images as
different vacua.

Modes (one JSON line on stdout each; everything else goes to stderr):

  --mode solver --evaluations N --L 20 [--seed 11]
      Draws uniform genomes in [-L, L]^8 and keeps those with 0 < N_flux <= L
      until it has N (before the clock starts), then times the solver on them:
      {"benchmark":"vacua_solver","implementation":"numpy","L":..,"evaluations":N,
       "seconds":t,"evaluations_per_s":N/t,"vacua":<vacua found in all>}

  --mode ga --evaluations N --L 20 --population 100 --seed S
      Runs the GA for N // population generations (the evaluations reported are
      generations x population), timing everything from the first population on:
      {"benchmark":"vacua_ga","implementation":"deap","L":..,"evaluations":..,
       "seconds":t,"evaluations_per_s":..,"distinct_vacua":..,"target_vacua":..,
       "target_vacua_per_cpu_s":<target_vacua/t: one process, one core>}

  --self-test
      Checks the solver on known vacua and a few invariants, runs a tiny GA,
      and exits non-zero on any failure.

One process, single-threaded (the comparison is per core).
"""

import argparse
import cmath
import json
import math
import random
import sys
import time

try:
    import numpy as np
    from deap import algorithms, base, creator, tools
except ImportError as error:  # pragma: no cover - depends on the interpreter
    sys.exit(
        f"vacua_python.py: {error}; install the peer's requirements with "
        f"'{sys.executable} -m pip install -r Benchmarks/peers/requirements-vacua.txt'"
    )

TOLERANCE = 1e-7  # relative residual of D_tau W and D_phi W accepted
TARGET = (0.25, 0.35)  # g_s in [lower, upper)
WIDTH_START, WIDTH_END = 2.0, 0.1
TOURNAMENT, CROSSOVER, MUTATION, ELITE = 3, 0.7, 0.6, 4


def log(message):
    print(f"vacua_python.py: {message}", file=sys.stderr, flush=True)


# --- the model ---------------------------------------------------------------------------------

def flux_number(genome):
    """N_flux = b0 c0 - a0 d0 + 3 (b c - a d) of one genome (a0, a, b, b0, c0, c, d, d0)."""
    a0, a, b, b0, c0, c, d, d0 = genome
    return b0 * c0 - a0 * d0 + 3 * (b * c - a * d)


def flux_numbers(genomes):
    """N_flux of each row of an (n, 8) integer array."""
    g = genomes
    return g[:, 3] * g[:, 4] - g[:, 0] * g[:, 7] + 3 * (g[:, 2] * g[:, 5] - g[:, 1] * g[:, 6])


def cubic(v, t):
    """P_v(t) = v0 t^3 - 3 v1 t^2 - 3 v2 t - v3 (Horner), t an array of complex numbers."""
    return ((v[0] * t - 3 * v[1]) * t - 3 * v[2]) * t - v[3]


def cubic_derivative(v, t):
    """P_v'(t) = 3 v0 t^2 - 6 v1 t - 3 v2."""
    return (3 * v[0] * t - 6 * v[1]) * t - 3 * v[2]


def cubic_scale(v, r):
    """The sum of the magnitudes of P_v's terms at |t| = r."""
    return abs(v[0]) * r**3 + 3 * abs(v[1]) * r**2 + 3 * abs(v[2]) * r + abs(v[3])


def derivative_scale(v, r):
    return 3 * (abs(v[0]) * r**2 + 2 * abs(v[1]) * r + abs(v[2]))


def residuals(F, H, tau, phi):
    """|D_phi W| and |D_tau W| (without the Kaehler factors), each relative to the magnitudes of
    its terms: P_F - conj(phi) P_H and (tau - conj tau)(P_F' - phi P_H') - 3 (P_F - phi P_H)."""
    pf, ph = cubic(F, tau), cubic(H, tau)
    df, dh = cubic_derivative(F, tau), cubic_derivative(H, tau)
    r, m = np.abs(tau), np.abs(phi)
    sf, sh = cubic_scale(F, r), cubic_scale(H, r)
    tiny = np.finfo(float).tiny
    d_phi = np.abs(pf - np.conj(phi) * ph) / np.maximum(sf + m * sh, tiny)
    two_iy = 2j * tau.imag
    d_tau = np.abs(two_iy * (df - phi * dh) - 3 * (pf - phi * ph)) / np.maximum(
        2 * tau.imag * (derivative_scale(F, r) + m * derivative_scale(H, r)) + 3 * (sf + m * sh), tiny)
    return d_phi, d_tau


def plucker(F, H):
    """The antisymmetric 4 x 4 matrix p_ij = F_i H_j - F_j H_i."""
    return np.outer(F, H) - np.outer(H, F)


def cubic_coefficients(p01, p02, p03, p12, p13, p23):
    """(c3, c2, c1, c0) of C(x), exact (Python integers)."""
    c3 = -4 * p01 * p01 * p13 - 2 * p01 * p02 * p03 + 6 * p01 * p02 * p12 + 2 * p02**3
    c2 = (-4 * p01 * p01 * p23 - 2 * p01 * p02 * p13 - p01 * p03 * p03 + 6 * p01 * p03 * p12
          - 9 * p01 * p12 * p12 + p02 * p02 * p03 - 3 * p02 * p02 * p12)
    c1 = -4 * p01 * p02 * p23 + 2 * p01 * p03 * p13 - 6 * p01 * p12 * p13 - 2 * p02 * p02 * p13
    c0 = -p01 * p13 * p13 - p02 * p02 * p23
    return c3, c2, c1, c0


def equations_e1_e2(p, x, y2):
    """E1, E2 at arrays x, Y and the sums of the magnitudes of their terms.

    E1 = 2p01 x^3 + 2p01 x Y + 3p02 x^2 + p02 Y + (p03 - 3p12) x - p13,
    E2 = p01 x^4 - p01 Y^2 + 2p02 x^3 + (p03 - 3p12) x^2 - 2p13 x - p23."""
    p01, p02, p03, p12, p13, p23 = p
    q = p03 - 3 * p12
    e1 = np.array([2 * p01 * x**3, 2 * p01 * x * y2, 3 * p02 * x**2, p02 * y2, q * x, -p13 + 0 * x])
    e2 = np.array([p01 * x**4, -p01 * y2**2, 2 * p02 * x**3, q * x**2, -2 * p13 * x, -p23 + 0 * x])
    return e1.sum(axis=0), e2.sum(axis=0), np.abs(e1).sum(axis=0), np.abs(e2).sum(axis=0)


def taus_from_roots(p, roots):
    """tau = x + i sqrt(Y) for the real roots x of C with Y > 0, polished by Newton on (E1, E2)."""
    p01, p02, p03, p12, p13, p23 = p
    q = p03 - 3 * p12
    x = roots.astype(float)
    denominator = 2 * p01 * x + p02
    numerator = -(2 * p01 * x**3 + 3 * p02 * x**2 + q * x - p13)
    from_e1 = np.abs(denominator) > 1e-12 * (np.abs(2 * p01 * x) + abs(p02))
    with np.errstate(divide="ignore", invalid="ignore"):
        y2 = np.where(from_e1, numerator / denominator, np.nan)
        if p01 != 0 and not from_e1.all():
            e2_y2 = np.sqrt((p01 * x**4 + 2 * p02 * x**3 + q * x**2 - 2 * p13 * x - p23) / p01)
            y2 = np.where(from_e1, y2, e2_y2)
    keep = np.isfinite(y2) & (y2 > 0)
    x, y2 = x[keep], y2[keep]
    if x.size == 0:
        return np.empty(0, dtype=complex)
    for _ in range(8):
        e1, e2, _, _ = equations_e1_e2(p, x, y2)
        a = 6 * p01 * x**2 + 2 * p01 * y2 + 6 * p02 * x + q   # dE1/dx
        b = 2 * p01 * x + p02                                 # dE1/dY
        c = 4 * p01 * x**3 + 6 * p02 * x**2 + 2 * q * x - 2 * p13  # dE2/dx
        d = -2 * p01 * y2                                     # dE2/dY
        det = a * d - b * c
        ok = (det != 0) & np.isfinite(det)
        safe = np.where(ok, det, 1.0)
        dx = np.where(ok, (e1 * d - b * e2) / safe, 0.0)
        dy = np.where(ok, (a * e2 - c * e1) / safe, 0.0)
        x, y2 = x - dx, y2 - dy
        if np.all((np.abs(dx) <= 1e-15 * np.maximum(1, np.abs(x)))
                  & (np.abs(dy) <= 1e-15 * np.maximum(1, np.abs(y2)))):
            break
    keep = y2 > 0
    return x[keep] + 1j * np.sqrt(y2[keep])


def vacua(genome):
    """The isolated supersymmetric vacua of one genome, each verified: a list of (tau, phi).

    Any N_flux; the caller checks the tadpole window."""
    F = np.asarray(genome[:4], dtype=np.int64)
    H = np.asarray(genome[4:], dtype=np.int64)
    P = plucker(F, H).tolist()  # Python integers: the cubic's coefficients are exact
    p = (P[0][1], P[0][2], P[0][3], P[1][2], P[1][3], P[2][3])
    p01, p02, p03, p12, p13, p23 = p
    if p01 == 0 and p02 == 0:
        return []  # a flat direction: no isolated vacuum
    coefficients = cubic_coefficients(*p)
    if not any(coefficients):
        # C = 0 identically: P_F and P_H share the factor x^2 + beta x + kappa'; its root in
        # the upper half plane is the one vacuum, with W = 0 and phi = P_F'/P_H'.
        beta = p02 / p01
        kappa = (-(3 * p12 - p03) / p01 - beta * beta) / 2
        if beta * beta - 4 * kappa >= 0:
            return []
        tau = np.array([complex(-beta / 2, math.sqrt(kappa - beta * beta / 4))])
        dh = cubic_derivative(H, tau)
        if dh[0] == 0:
            return []
        phi = cubic_derivative(F, tau) / dh
    else:
        roots = np.roots(np.array(coefficients, dtype=float))
        real = roots[np.abs(roots.imag) <= 1e-6 * np.maximum(1, np.abs(roots))].real
        tau = taus_from_roots(p, real)
        if tau.size == 0:
            return []
        pf, ph = cubic(F, tau), cubic(H, tau)
        dh = cubic_derivative(H, tau)
        generic = np.abs(ph) > 1e-9 * np.maximum(cubic_scale(H, np.abs(tau)), 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            phi = np.where(generic, np.conj(pf / np.where(generic, ph, 1)),
                           cubic_derivative(F, tau) / np.where(dh != 0, dh, np.nan))
    with np.errstate(invalid="ignore"):
        d_phi, d_tau = residuals(F, H, tau, phi)
        good = np.isfinite(phi) & (phi.imag > 0) & (tau.imag > 0) & (d_phi <= TOLERANCE) & (d_tau <= TOLERANCE)
    found = []
    for t, f in zip(tau[good].tolist(), phi[good].tolist()):
        # A double root can come back twice (or as the real parts of a near-real pair).
        if all(abs(t - t0) >= 1e-8 * max(1, abs(t)) for t0, _ in found):
            found.append((t, f))
    return found


# --- fitness and the record of what was found --------------------------------------------------

def distance(g_s):
    """Distance of g_s to the target [0.25, 0.35) in units of its log-width (0 inside)."""
    lower, upper = TARGET
    width = math.log(upper / lower)
    if not (math.isfinite(g_s) and g_s > 0):
        return 10.0
    if g_s < lower:
        return math.log(lower / g_s) / width
    if g_s >= upper:
        return math.log(g_s / upper) / width
    return 0.0


class Landscape:
    """Fitness of genomes against the target, and the distinct vacua and target vacua seen."""

    def __init__(self, limit):
        self.limit = limit
        self.evaluations = 0
        # Plain dedupe by (genome, tau, phi rounded to 1e-6): duality images count separately
        # (the Swift side counts canonical representatives; see the module docstring).
        self.seen = set()
        self.targets = set()

    def fitness(self, genome, width):
        self.evaluations += 1
        n, limit = flux_number(genome), self.limit
        if not 0 < n <= limit:
            excess = n - limit if n > limit else 1 - n
            return 0.05 / (1 + excess / limit)
        best = 0.0
        key_genome = tuple(genome)
        for tau, phi in vacua(genome):
            g_s = 1 / phi.imag
            d = distance(g_s)
            key = (key_genome, round(tau.real, 6), round(tau.imag, 6), round(phi.real, 6), round(phi.imag, 6))
            if key not in self.seen:
                self.seen.add(key)
                if TARGET[0] <= g_s < TARGET[1]:
                    self.targets.add(key)
            best = max(best, 0.1 + 0.9 * math.exp(-d * d / (2 * width * width)))
        return best if best > 0 else 0.05


# --- the genetic search (DEAP) -----------------------------------------------------------------

if not hasattr(creator, "FitnessMax"):
    creator.create("FitnessMax", base.Fitness, weights=(1.0,))
if not hasattr(creator, "Genome"):
    creator.create("Genome", list, fitness=creator.FitnessMax)


def mutate(individual, limit):
    """One random allele: +-1 or +-2 (80 %) or a new uniform value (20 %), clipped to [-L, L]."""
    k = random.randrange(8)
    if random.random() < 0.8:
        individual[k] += random.choice((-1, 1)) * random.choice((1, 2))
    else:
        individual[k] = random.randint(-limit, limit)
    individual[k] = min(limit, max(-limit, individual[k]))
    return (individual,)


def genetic_search(limit, generations, population_size, seed):
    """Runs the GA; returns the Landscape with what it found."""
    random.seed(seed)
    landscape = Landscape(limit)
    toolbox = base.Toolbox()
    toolbox.register("allele", random.randint, -limit, limit)
    toolbox.register("individual", tools.initRepeat, creator.Genome, toolbox.allele, 8)
    toolbox.register("population", tools.initRepeat, list, toolbox.individual)
    toolbox.register("mate", tools.cxTwoPoint)
    toolbox.register("mutate", mutate, limit=limit)
    toolbox.register("select", tools.selTournament, tournsize=TOURNAMENT)
    elite = min(ELITE, population_size)

    population = toolbox.population(n=population_size)
    for generation in range(generations):
        progress = generation / (generations - 1) if generations > 1 else 1.0
        width = WIDTH_START * (WIDTH_END / WIDTH_START) ** progress
        for individual in population:
            individual.fitness.values = (landscape.fitness(individual, width),)
        if generation + 1 == generations:
            break
        best = list(map(toolbox.clone, tools.selBest(population, elite)))
        offspring = toolbox.select(population, population_size - elite)
        offspring = algorithms.varAnd(offspring, toolbox, cxpb=CROSSOVER, mutpb=MUTATION)
        population = best + offspring
    return landscape


# --- modes -------------------------------------------------------------------------------------

def window_genomes(limit, count, seed):
    """COUNT genomes uniform in [-L, L]^8 conditioned on 0 < N_flux <= L, as lists of ints."""
    rng = np.random.default_rng(seed)
    kept = []
    have = 0
    while have < count:
        batch = rng.integers(-limit, limit + 1, size=(200_000, 8))
        n = flux_numbers(batch)
        batch = batch[(n > 0) & (n <= limit)]
        kept.append(batch)
        have += len(batch)
    return np.concatenate(kept)[:count].tolist()


def run_solver(limit, evaluations, seed):
    genomes = window_genomes(limit, evaluations, seed)
    log(f"solver: {evaluations} genomes with 0 < N_flux <= {limit} drawn; timing")
    start = time.perf_counter()
    found = 0
    for genome in genomes:
        found += len(vacua(genome))
    seconds = time.perf_counter() - start
    return {
        "benchmark": "vacua_solver",
        "implementation": "numpy",
        "L": limit,
        "evaluations": evaluations,
        "seconds": seconds,
        "evaluations_per_s": evaluations / seconds,
        "vacua": found,
    }


def run_ga(limit, evaluations, population, seed):
    generations = max(1, evaluations // population)
    log(f"ga: {generations} generations of {population} at L = {limit}, seed {seed}")
    start = time.perf_counter()
    landscape = genetic_search(limit, generations, population, seed)
    seconds = time.perf_counter() - start
    total = landscape.evaluations
    return {
        "benchmark": "vacua_ga",
        "implementation": "deap",
        "L": limit,
        "evaluations": total,
        "seconds": seconds,
        "evaluations_per_s": total / seconds,
        "distinct_vacua": len(landscape.seen),
        "target_vacua": len(landscape.targets),
        "target_vacua_per_cpu_s": len(landscape.targets) / seconds,  # one process on one core
    }


# --- self-test ---------------------------------------------------------------------------------

def fundamental_domain(z):
    """The SL(2,Z) image of z (Im z > 0) in the fundamental domain |Re z| <= 1/2, |z| >= 1."""
    for _ in range(1000):
        z = complex(z.real - math.floor(z.real + 0.5), z.imag)
        if abs(z) >= 1 - 1e-12:
            return z
        z = -1 / z
    return z


def self_test():
    failures = []

    def check(condition, message):
        if not condition:
            failures.append(message)
            log(f"FAIL: {message}")

    # F = (1, n, 0, 0), H = (0, 0, -1, -n): tau = i n, phi = i n^2, N_flux = 4n.
    for n in range(1, 7):
        genome = [1, n, 0, 0, 0, 0, -1, -n]
        check(flux_number(genome) == 4 * n, f"N_flux of {genome} is {flux_number(genome)}, not {4 * n}")
        found = vacua(genome)
        match = [(t, f) for t, f in found
                 if abs(t - 1j * n) < 1e-9 * n and abs(f - 1j * n * n) < 1e-9 * n * n]
        check(len(match) == 1, f"{genome}: expected tau = {n}i, phi = {n * n}i, got {found}")

    # F = (2, -1, -1, -1), H = (-1, 0, 0, -1): N_flux = 3, a W = 0 vacuum at tau = phi = e^{2 pi i/3}.
    genome = [2, -1, -1, -1, -1, 0, 0, -1]
    omega = cmath.exp(2j * math.pi / 3)
    check(flux_number(genome) == 3, f"N_flux of {genome} is {flux_number(genome)}, not 3")
    found = vacua(genome)
    check(len(found) >= 1, f"{genome}: no vacuum found")
    for tau, phi in found:
        F, H = np.array(genome[:4]), np.array(genome[4:])
        t = np.array([tau])
        w = cubic(F, t)[0] - phi * cubic(H, t)[0]
        d_phi, d_tau = residuals(F, H, t, np.array([phi]))
        ok = all(min(abs(fundamental_domain(z) - omega), abs(fundamental_domain(z) - (omega + 1))) < 1e-9
                 for z in (tau, phi))
        check(ok, f"{genome}: tau = {tau}, phi = {phi} are not e^(2 pi i/3) up to SL(2,Z)")
        check(abs(w) < 1e-9 * cubic_scale(F, abs(tau)), f"{genome}: |W| = {abs(w)} at tau = {tau}")
        check(d_phi[0] < 1e-12 and d_tau[0] < 1e-12, f"{genome}: residuals {d_phi[0]}, {d_tau[0]}")
        log(f"W = 0 vacuum: tau = {tau:.12f}, phi = {phi:.12f}, |W| = {abs(w):.1e}, "
            f"residuals {d_phi[0]:.1e}, {d_tau[0]:.1e}")

    # Duality images with large fluxes: (F, H) -> (aF + bH, cF + dH), ad - bc = 1, keeps tau and
    # N_flux and moves phi to (a phi + b)/(c phi + d).
    for n in (1, 2, 3):
        F, H = np.array([1, n, 0, 0]), np.array([0, 0, -1, -n])
        for a, b, c, d in ((1, 1, 0, 1), (1, -3, 0, 1), (0, -1, 1, 0), (2, 1, 1, 1), (3, -2, -4, 3), (5, 2, 7, 3)):
            genome = list(a * F + b * H) + list(c * F + d * H)
            phi = (a * 1j * n * n + b) / (c * 1j * n * n + d)
            match = [(t, f) for t, f in vacua(genome)
                     if abs(t - 1j * n) < 1e-8 * n and abs(f - phi) < 1e-8 * max(1, abs(phi))]
            check(len(match) == 1 and flux_number(genome) == 4 * n,
                  f"{genome}: the image tau = {n}i, phi = {phi} was not found: {vacua(genome)}")

    # Every genome in [-1, 1]^8 with 1 <= N_flux <= 6: each vacuum verified (by vacua itself), in
    # the upper half planes, and N -> -N gives the same vacua.
    total = 0
    for code in range(3**8):
        genome = [(code // 3**k) % 3 - 1 for k in range(8)]
        if not 1 <= flux_number(genome) <= 6:
            continue
        found = vacua(genome)
        total += len(found)
        for tau, phi in found:
            check(tau.imag > 0 and phi.imag > 0, f"{genome}: tau = {tau}, phi = {phi} outside the upper half plane")
        negated = sorted(vacua([-q for q in genome]), key=lambda v: (v[0].real, v[0].imag))
        found = sorted(found, key=lambda v: (v[0].real, v[0].imag))
        same = len(negated) == len(found) and all(
            abs(a[0] - b[0]) < 1e-7 * max(1, abs(a[0])) and abs(a[1] - b[1]) < 1e-7 * max(1, abs(a[1]))
            for a, b in zip(found, negated))
        check(same, f"{genome}: vacua {found} differ from those of -N: {negated}")
    check(total > 50, f"only {total} vacua among the genomes in [-1, 1]^8 with 1 <= N_flux <= 6")
    log(f"genomes in [-1, 1]^8 with 1 <= N_flux <= 6: {total} vacua, each verified, the same for -N")

    # Fitness: n = 2 has g_s = 1/4, inside the target; outside the window no solver.
    landscape = Landscape(10)
    check(landscape.fitness([1, 2, 0, 0, 0, 0, -1, -2], 1.0) == 1.0, "fitness of the g_s = 1/4 vacuum is not 1")
    check(len(landscape.targets) == 1, "the g_s = 1/4 vacuum was not counted as a target")
    d = math.log(1 / 0.35) / math.log(0.35 / 0.25)
    expected = 0.1 + 0.9 * math.exp(-d * d / 2)
    check(abs(landscape.fitness([1, 1, 0, 0, 0, 0, -1, -1], 1.0) - expected) < 1e-12, "fitness of the g_s = 1 vacuum")
    check(abs(landscape.fitness([1, 3, 0, 0, 0, 0, -1, -3], 1.0) - 0.05 / (1 + 2 / 10)) < 1e-15,
          "fitness of N_flux = 12 > L = 10")
    check(abs(landscape.fitness([0] * 8, 1.0) - 0.05 / (1 + 1 / 10)) < 1e-15, "fitness of N_flux = 0")

    # A tiny GA.
    result = run_ga(10, 400, 20, 1)
    check(result["evaluations"] == 400, f"tiny GA evaluated {result['evaluations']} genomes, not 400")
    log(f"tiny GA: {json.dumps(result)}")

    if failures:
        sys.exit(f"vacua_python.py: self-test failed ({len(failures)} failures)")
    log("self-test passed")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("solver", "ga"), help="what to time")
    parser.add_argument("--evaluations", type=int, default=None,
                        help="genomes evaluated (solver: genomes in the window; ga: rounded down to whole generations)")
    parser.add_argument("--L", type=int, default=20, help="tadpole bound L, alleles in [-L, L] (default 20)")
    parser.add_argument("--population", type=int, default=100, help="GA population (default 100)")
    parser.add_argument("--seed", type=int, default=None,
                        help="seed (default 11 for the solver's genomes, 3 for the GA)")
    parser.add_argument("--self-test", action="store_true", help="check the solver and the GA, print nothing on stdout")
    options = parser.parse_args(argv)

    if options.self_test:
        if options.mode is not None:
            parser.error("--self-test takes no --mode")
        self_test()
        return
    if options.mode is None:
        parser.error("give --mode solver or --mode ga (or --self-test)")
    if options.evaluations is None:
        parser.error("--evaluations is required")
    if options.evaluations < 1:
        parser.error(f"--evaluations must be at least 1, got {options.evaluations}")
    if not 1 <= options.L <= 1000:
        parser.error(f"--L must be between 1 and 1000, got {options.L}")
    if options.seed is not None and options.seed < 0:
        parser.error(f"--seed must be 0 or more, got {options.seed}")
    if options.mode == "ga":
        if options.population < 2:
            parser.error(f"--population must be at least 2, got {options.population}")
        if options.evaluations < options.population:
            parser.error(f"--evaluations ({options.evaluations}) must be at least --population ({options.population})")
        result = run_ga(options.L, options.evaluations, options.population,
                        3 if options.seed is None else options.seed)
    else:
        result = run_solver(options.L, options.evaluations, 11 if options.seed is None else options.seed)
    print(json.dumps(result, separators=(",", ":")), flush=True)


if __name__ == "__main__":
    main()
