/*
 * hmc_c.c — the C reference line of `ensemble bench hmc`.
 *
 * The plain C a physicist writes for the same Hybrid Monte Carlo as the numpy
 * and numba peers (hmc_numpy.py, hmc_numba.py), compiled with `cc -O2`: loops
 * over the sites of a row-major float64 array, neighbours wrapped with a
 * compare, one force function per dimension, no intrinsics, no threads. The
 * point is the force throughput of a tight scalar C loop.
 *
 * The model: a real scalar field phi on a periodic hypercubic lattice of
 * dimension D (2 or 3) and extent L per direction, V = L^D sites, with the
 * hopping-form lattice phi^4 action
 *
 *   S = sum_x [ -2 kappa sum_mu phi_x phi_{x+mu} + phi_x^2 + lambda (phi_x^2 - 1)^2 ]
 *
 * (kappa = 0.28, lambda = 0.022 unless told otherwise) and its force
 *
 *   F_x = -dS/dphi_x = 2 kappa sum_mu (phi_{x+mu} + phi_{x-mu}) - 2 phi_x - 4 lambda phi_x (phi_x^2 - 1).
 *
 * One trajectory: draw momenta pi, one standard normal per site; H = sum pi^2/2
 * + S(phi), with S(phi) carried over from the previous trajectory (computed
 * once at the start, then once per trajectory at its end); leapfrog with STEPS
 * steps of size eps = LENGTH / STEPS:
 *
 *   pi += eps/2 F(phi); STEPS - 1 times { phi += eps pi; pi += eps F(phi) }; phi += eps pi; pi += eps/2 F(phi)
 *
 * which is STEPS + 1 force evaluations; then H' = sum pi^2/2 + S(phi'), and the
 * new phi is accepted with probability min(1, exp(-dH)), dH = H' - H (a uniform
 * draw below exp(-dH)); on reject phi is restored from a copy taken before the
 * leapfrog. Random numbers: xoshiro256** (seeded by splitmix64 of SEED) for the
 * hot start (phi uniform in [-1, 1]) and the accept draws, and Box-Muller on
 * its uniforms (two normals per pair) for the momenta.
 *
 * STEPS defaults to 16 (eps = 1/16): with 10 steps the acceptance at d=2
 * L=512 falls to about 0.3 (mean dH about 2); with 16 it is about 0.7 there,
 * 0.8 at d=3 L=32 and 0.93 at d=2 L=64.
 *
 * WARMUP trajectories (default 1) run before the clock starts and are all
 * accepted, without the test: from the hot start the first trajectory's dH
 * grows with V (about 28 at d=2 L=512 with 16 steps) as the rough start field
 * relaxes, and such a trajectory is always rejected, which would leave the
 * chain stuck at the start. The timed part is TRAJECTORIES trajectories
 * (CLOCK_MONOTONIC). The default trajectory count is about 5e8 site-force
 * evaluations' worth, (STEPS + 1) V TRAJECTORIES ~ 5e8, rounded to two
 * significant digits: with STEPS = 16, d=2 L=64: 7200, d=2 L=512: 110,
 * d=3 L=32: 900, which take 2-10 s here, and are the counts Benchmarks/run
 * gives it (and the numba peer, and Ensemble).
 *
 * Prints one JSON line on stdout:
 *   {"benchmark":"hmc","implementation":"c","d":2,"L":64,"ranks":1,
 *    "trajectories":N,"steps":n,"seconds":t,"trajectories_per_second":N/t,
 *    "force_per_site_per_ns":(n+1)*V*N/t/1e9,
 *    "force_per_site_per_ns_per_core":<the same: one process, one core>,
 *    "acceptance":<accepted/N>,"mean_delta_h":<mean dH over the timed trajectories>}
 *
 * Usage: hmc_c [--d 2] [--L 64] [--trajectories N] [--steps 16] [--length 1]
 *              [--kappa 0.28] [--lambda 0.022] [--seed 1] [--warmup 1] [--json]
 * Build: cc -O2 -o hmc_c hmc_c.c -lm
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 too */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *program = "hmc_c";
static const char *usage_text =
    "usage: hmc_c [--d 2] [--L 64] [--trajectories N] [--steps 16] [--length 1]\n"
    "             [--kappa 0.28] [--lambda 0.022] [--seed 1] [--warmup 1] [--json]\n";

#define WORK 5e8               /* site-force evaluations in a default run (3-7 s here) */
#define MAX_SITES (1L << 28)   /* 2 GiB per float64 field */

static void usage_error(const char *message, const char *value) {
    fprintf(stderr, "%s: error: %s%s%s\n", program, message, value ? ": " : "", value ? value : "");
    fputs(usage_text, stderr);
    exit(2);
}

static long parse_long(const char *flag, const char *text) {
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0') {
        char message[96];
        snprintf(message, sizeof message, "%s expects an integer", flag);
        usage_error(message, text);
    }
    return value;
}

static double parse_double(const char *flag, const char *text) {
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !isfinite(value)) {
        char message[96];
        snprintf(message, sizeof message, "%s expects a finite number", flag);
        usage_error(message, text);
    }
    return value;
}

/* ---- random numbers: xoshiro256** (Blackman & Vigna 2018) ------------------- */
static uint64_t rng[4];

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t next_u64(void) {
    uint64_t result = rotl(rng[1] * 5, 7) * 9;
    uint64_t t = rng[1] << 17;
    rng[2] ^= rng[0];
    rng[3] ^= rng[1];
    rng[1] ^= rng[2];
    rng[0] ^= rng[3];
    rng[2] ^= t;
    rng[3] = rotl(rng[3], 45);
    return result;
}

/* The top 53 bits: a double in [0, 1). */
static inline double next_double(void) { return (double)(next_u64() >> 11) * 0x1.0p-53; }

static void seed_rng(uint64_t seed) {
    for (int k = 0; k < 4; k++) { /* splitmix64, so that small seeds give a well-mixed state */
        uint64_t z = (seed += UINT64_C(0x9E3779B97F4A7C15));
        z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
        rng[k] = z ^ (z >> 31);
    }
}

/* N standard normals (N even) by Box-Muller, two per pair of uniforms. */
static void gaussians(double *out, long n) {
    const double two_pi = 6.283185307179586;
    for (long k = 0; k < n; k += 2) {
        double u = 1.0 - next_double(); /* (0, 1]: log(u) is finite */
        double v = next_double();
        double r = sqrt(-2.0 * log(u));
        out[k] = r * cos(two_pi * v);
        out[k + 1] = r * sin(two_pi * v);
    }
}

/* ---- the action and the force ------------------------------------------------ */
static double action2(const double *phi, long L, double kappa, double lambda) {
    double s = 0.0;
    for (long i = 0; i < L; i++) {
        const double *row = phi + i * L;
        const double *down = phi + (i < L - 1 ? i + 1 : 0) * L;
        for (long j = 0; j < L; j++) {
            long right = j < L - 1 ? j + 1 : 0;
            double p = row[j], p2 = p * p;
            s += -2.0 * kappa * p * (row[right] + down[j]) + p2 + lambda * (p2 - 1.0) * (p2 - 1.0);
        }
    }
    return s;
}

static double action3(const double *phi, long L, double kappa, double lambda) {
    double s = 0.0;
    long L2 = L * L;
    for (long i = 0; i < L; i++) {
        const double *plane = phi + i * L2;
        const double *next_plane = phi + (i < L - 1 ? i + 1 : 0) * L2;
        for (long j = 0; j < L; j++) {
            const double *row = plane + j * L;
            const double *down = plane + (j < L - 1 ? j + 1 : 0) * L;
            const double *behind = next_plane + j * L;
            for (long k = 0; k < L; k++) {
                long right = k < L - 1 ? k + 1 : 0;
                double p = row[k], p2 = p * p;
                s += -2.0 * kappa * p * (row[right] + down[k] + behind[k]) + p2 + lambda * (p2 - 1.0) * (p2 - 1.0);
            }
        }
    }
    return s;
}

static void force2(const double *phi, double *force, long L, double kappa, double lambda) {
    for (long i = 0; i < L; i++) {
        const double *row = phi + i * L;
        const double *up = phi + (i > 0 ? i - 1 : L - 1) * L;
        const double *down = phi + (i < L - 1 ? i + 1 : 0) * L;
        double *out = force + i * L;
        for (long j = 0; j < L; j++) {
            long left = j > 0 ? j - 1 : L - 1;
            long right = j < L - 1 ? j + 1 : 0;
            double p = row[j];
            double neighbours = up[j] + down[j] + row[left] + row[right];
            out[j] = 2.0 * kappa * neighbours - 2.0 * p - 4.0 * lambda * p * (p * p - 1.0);
        }
    }
}

static void force3(const double *phi, double *force, long L, double kappa, double lambda) {
    long L2 = L * L;
    for (long i = 0; i < L; i++) {
        const double *plane = phi + i * L2;
        const double *front = phi + (i > 0 ? i - 1 : L - 1) * L2;
        const double *behind = phi + (i < L - 1 ? i + 1 : 0) * L2;
        for (long j = 0; j < L; j++) {
            const double *row = plane + j * L;
            const double *up = plane + (j > 0 ? j - 1 : L - 1) * L;
            const double *down = plane + (j < L - 1 ? j + 1 : 0) * L;
            double *out = force + i * L2 + j * L;
            for (long k = 0; k < L; k++) {
                long left = k > 0 ? k - 1 : L - 1;
                long right = k < L - 1 ? k + 1 : 0;
                double p = row[k];
                double neighbours = front[j * L + k] + behind[j * L + k] + up[k] + down[k] + row[left] + row[right];
                out[k] = 2.0 * kappa * neighbours - 2.0 * p - 4.0 * lambda * p * (p * p - 1.0);
            }
        }
    }
}

typedef struct {
    int d;
    long L, V, steps;
    double eps, kappa, lambda;
    double *phi, *old, *pi, *force;
    double s; /* the action of phi */
} Lattice;

static double action(const Lattice *lat, const double *phi) {
    return lat->d == 2 ? action2(phi, lat->L, lat->kappa, lat->lambda) : action3(phi, lat->L, lat->kappa, lat->lambda);
}

static void compute_force(Lattice *lat) {
    if (lat->d == 2)
        force2(lat->phi, lat->force, lat->L, lat->kappa, lat->lambda);
    else
        force3(lat->phi, lat->force, lat->L, lat->kappa, lat->lambda);
}

static double kinetic(const double *pi, long V) {
    double k = 0.0;
    for (long x = 0; x < V; x++) k += pi[x] * pi[x];
    return 0.5 * k;
}

/* TRAJECTORIES HMC trajectories; adds to *accepted and *sum_dh. With
 * accept_all (the warm-up), every trajectory is accepted without the test. */
static void hmc(Lattice *lat, long trajectories, int accept_all, long *accepted, double *sum_dh) {
    const long V = lat->V;
    const double eps = lat->eps, half = 0.5 * lat->eps;
    for (long t = 0; t < trajectories; t++) {
        gaussians(lat->pi, V);
        double h = kinetic(lat->pi, V) + lat->s;
        memcpy(lat->old, lat->phi, (size_t)V * sizeof(double));
        double *phi = lat->phi, *pi = lat->pi, *force = lat->force;

        compute_force(lat);
        for (long x = 0; x < V; x++) pi[x] += half * force[x];
        for (long step = 1; step < lat->steps; step++) {
            for (long x = 0; x < V; x++) phi[x] += eps * pi[x];
            compute_force(lat);
            for (long x = 0; x < V; x++) pi[x] += eps * force[x];
        }
        for (long x = 0; x < V; x++) phi[x] += eps * pi[x];
        compute_force(lat);
        for (long x = 0; x < V; x++) pi[x] += half * force[x];

        double s_new = action(lat, phi);
        double dh = kinetic(pi, V) + s_new - h;
        *sum_dh += dh;
        if (accept_all || dh <= 0.0 || next_double() < exp(-dh)) {
            lat->s = s_new;
            (*accepted)++;
        } else { /* reject: the copy becomes the field */
            lat->phi = lat->old;
            lat->old = phi;
        }
    }
}

int main(int argc, char **argv) {
    long d = 2, L = 64, trajectories = 0, steps = 16, seed = 1, warmup = 1;
    double length = 1.0, kappa = 0.28, lambda = 0.022;
    for (int a = 1; a < argc; a++) {
        const char *flag = argv[a];
        if (strcmp(flag, "--json") == 0) continue; /* JSON is the only output */
        if (strcmp(flag, "--help") == 0 || strcmp(flag, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (a + 1 >= argc) usage_error("missing value after", flag);
        const char *value = argv[++a];
        if (strcmp(flag, "--d") == 0) {
            d = parse_long(flag, value);
            if (d != 2 && d != 3) usage_error("--d must be 2 or 3", value);
        } else if (strcmp(flag, "--L") == 0) {
            L = parse_long(flag, value);
            if (L < 2 || L % 2 != 0) usage_error("--L must be even and at least 2", value);
        } else if (strcmp(flag, "--trajectories") == 0) {
            trajectories = parse_long(flag, value);
            if (trajectories < 1) usage_error("--trajectories must be at least 1", value);
        } else if (strcmp(flag, "--steps") == 0) {
            steps = parse_long(flag, value);
            if (steps < 1) usage_error("--steps must be at least 1", value);
        } else if (strcmp(flag, "--warmup") == 0) {
            warmup = parse_long(flag, value);
            if (warmup < 0) usage_error("--warmup must be 0 or more", value);
        } else if (strcmp(flag, "--seed") == 0) {
            seed = parse_long(flag, value);
            if (seed < 0) usage_error("--seed must be 0 or more", value);
        } else if (strcmp(flag, "--length") == 0) {
            length = parse_double(flag, value);
            if (length <= 0) usage_error("--length must be > 0", value);
        } else if (strcmp(flag, "--kappa") == 0) {
            kappa = parse_double(flag, value);
        } else if (strcmp(flag, "--lambda") == 0) {
            lambda = parse_double(flag, value);
            if (lambda < 0) usage_error("--lambda must be >= 0", value);
        } else {
            usage_error("unknown option", flag);
        }
    }
    long V = 1;
    for (long k = 0; k < d; k++) {
        if (V > MAX_SITES / L) {
            char text[64];
            snprintf(text, sizeof text, "L = %ld in d = %ld", L, d);
            usage_error("the lattice has more than 2^28 sites", text);
        }
        V *= L;
    }
    if (trajectories == 0) { /* the default: about WORK site-force evaluations, to 2 significant digits */
        double count = WORK / ((double)(steps + 1) * (double)V);
        if (count < 1.0) {
            trajectories = 1;
        } else {
            double unit = pow(10.0, fmax(0.0, floor(log10(count)) - 1.0));
            trajectories = (long)floor(count / unit + 0.5) * (long)unit;
        }
    }

    Lattice lat = {.d = (int)d, .L = L, .V = V, .steps = steps, .eps = length / (double)steps, .kappa = kappa,
                   .lambda = lambda};
    lat.phi = malloc((size_t)V * sizeof(double));
    lat.old = malloc((size_t)V * sizeof(double));
    lat.pi = malloc((size_t)V * sizeof(double));
    lat.force = malloc((size_t)V * sizeof(double));
    if (!lat.phi || !lat.old || !lat.pi || !lat.force) {
        fprintf(stderr, "%s: error: cannot allocate 4 fields of %ld doubles\n", program, V);
        return 1;
    }
    seed_rng((uint64_t)seed);
    for (long x = 0; x < V; x++) lat.phi[x] = 2.0 * next_double() - 1.0; /* hot start; touches every page */
    memset(lat.old, 0, (size_t)V * sizeof(double));
    memset(lat.pi, 0, (size_t)V * sizeof(double));
    memset(lat.force, 0, (size_t)V * sizeof(double));
    lat.s = action(&lat, lat.phi);

    long accepted = 0;
    double sum_dh = 0.0;
    hmc(&lat, warmup, 1, &accepted, &sum_dh); /* untimed, all accepted */
    accepted = 0;
    sum_dh = 0.0;

    struct timespec start, stop;
    clock_gettime(CLOCK_MONOTONIC, &start);
    hmc(&lat, trajectories, 0, &accepted, &sum_dh);
    clock_gettime(CLOCK_MONOTONIC, &stop);
    double seconds = (double)(stop.tv_sec - start.tv_sec) + 1e-9 * (double)(stop.tv_nsec - start.tv_nsec);

    if (!isfinite(lat.s) || !isfinite(sum_dh) || seconds <= 0) {
        fprintf(stderr, "%s: error: the field blew up (S = %g, sum dH = %g, %g s); try more --steps or a smaller --length\n",
                program, lat.s, sum_dh, seconds);
        return 1;
    }
    double rate = (double)(steps + 1) * (double)V * (double)trajectories / seconds / 1e9;
    printf("{\"benchmark\":\"hmc\",\"implementation\":\"c\",\"d\":%ld,\"L\":%ld,\"ranks\":1,\"trajectories\":%ld,"
           "\"steps\":%ld,\"seconds\":%.9g,\"trajectories_per_second\":%.9g,\"force_per_site_per_ns\":%.9g,"
           "\"force_per_site_per_ns_per_core\":%.9g,\"acceptance\":%.9g,\"mean_delta_h\":%.9g}\n",
           d, L, trajectories, steps, seconds, (double)trajectories / seconds, rate, rate,
           (double)accepted / (double)trajectories, sum_dh / (double)trajectories);
    free(lat.phi);
    free(lat.old);
    free(lat.pi);
    free(lat.force);
    return 0;
}
