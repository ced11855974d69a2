/*
 * ising_c.c — the C reference line of `ensemble bench ising`.
 *
 * The plain C a physicist writes for the same measurement as the numba peer
 * (ising_numba.py), compiled with `cc -O2`: one byte per spin (int8_t, +1/-1)
 * in an L x L row-major array, periodic boundaries, J = 1, h = 0, beta =
 * 0.4406868 (T_c) unless told otherwise. One sweep visits the even sites
 * (i + j even), then the odd sites, in row order. A flip changes the energy by
 * dE = 2 s (sum of the 4 neighbours); a flip with dE <= 0 is always accepted,
 * otherwise it is accepted when a uniform double from xorshift64* is below the
 * precomputed exp(-beta dE). No bit packing, no vectorisation, no threads:
 * the scalar loop, as the numba peer runs it, without Python's runtime.
 *
 * The spins start random (hot start from --seed). The timed part is SWEEPS
 * sweeps of the L x L lattice (CLOCK_MONOTONIC).
 *
 * Prints one JSON line on stdout:
 *   {"benchmark":"ising_metropolis","implementation":"c","L":256,"ranks":1,
 *    "sweeps":N,"seconds":t,"updates_per_ns":L*L*N/t/1e9,
 *    "updates_per_ns_per_core":<the same: one process, one core>}
 *
 * Usage: ising_c [--L 256] [--sweeps 100] [--beta 0.4406868] [--seed 1] [--json]
 * Build: cc -O2 -o ising_c ising_c.c -lm
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *program = "ising_c";

static void usage_error(const char *message, const char *value) {
    fprintf(stderr, "%s: error: %s%s%s\n", program, message, value ? ": " : "", value ? value : "");
    fprintf(stderr, "usage: %s [--L 256] [--sweeps 100] [--beta 0.4406868] [--seed 1] [--json]\n", program);
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

/* xorshift64* (Vigna 2016): 64-bit state, the top 53 bits make a double in [0, 1). */
static uint64_t rng_state;

static inline uint64_t next_u64(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(2685821657736338717);
}

static inline double next_double(void) { return (double)(next_u64() >> 11) * 0x1.0p-53; }

static void seed_rng(uint64_t seed) {
    /* splitmix64 of the seed, so that small seeds give a well-mixed, non-zero state */
    uint64_t z = seed + UINT64_C(0x9E3779B97F4A7C15);
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    rng_state = (z ^ (z >> 31)) | 1;
}

/* SWEEPS checkerboard Metropolis sweeps; acceptance[k] = exp(-beta 4k). Returns accepted flips. */
static long metropolis(int8_t *spins, long L, const double acceptance[3], long sweeps) {
    long accepted = 0;
    for (long sweep = 0; sweep < sweeps; sweep++) {
        for (long parity = 0; parity < 2; parity++) {
            for (long i = 0; i < L; i++) {
                const int8_t *up = spins + (i > 0 ? i - 1 : L - 1) * L;
                const int8_t *down = spins + (i < L - 1 ? i + 1 : 0) * L;
                int8_t *row = spins + i * L;
                for (long j = (i + parity) % 2; j < L; j += 2) {
                    long left = j > 0 ? j - 1 : L - 1;
                    long right = j < L - 1 ? j + 1 : 0;
                    int s = row[j];
                    int dE = 2 * s * (up[j] + down[j] + row[left] + row[right]);
                    if (dE <= 0 || next_double() < acceptance[dE / 4]) {
                        row[j] = (int8_t)-s;
                        accepted++;
                    }
                }
            }
        }
    }
    return accepted;
}

int main(int argc, char **argv) {
    long L = 256, sweeps = 100, seed = 1;
    double beta = 0.4406868;
    for (int a = 1; a < argc; a++) {
        const char *flag = argv[a];
        if (strcmp(flag, "--json") == 0) continue; /* JSON is the only output */
        if (strcmp(flag, "--help") == 0 || strcmp(flag, "-h") == 0) {
            printf("usage: %s [--L 256] [--sweeps 100] [--beta 0.4406868] [--seed 1] [--json]\n", program);
            return 0;
        }
        if (a + 1 >= argc) usage_error("missing value after", flag);
        const char *value = argv[++a];
        if (strcmp(flag, "--L") == 0) {
            L = parse_long(flag, value);
        } else if (strcmp(flag, "--sweeps") == 0) {
            sweeps = parse_long(flag, value);
        } else if (strcmp(flag, "--seed") == 0) {
            seed = parse_long(flag, value);
        } else if (strcmp(flag, "--beta") == 0) {
            char *end;
            beta = strtod(value, &end);
            if (end == value || *end != '\0' || !isfinite(beta) || beta < 0) usage_error("--beta expects a finite number >= 0", value);
        } else {
            usage_error("unknown option", flag);
        }
    }
    if (L < 4 || L % 2 != 0 || L > 1000000) {
        char text[32];
        snprintf(text, sizeof text, "%ld", L);
        usage_error("--L must be even, at least 4 (a periodic checkerboard) and at most 1000000", text);
    }
    if (sweeps < 1) {
        char text[32];
        snprintf(text, sizeof text, "%ld", sweeps);
        usage_error("--sweeps must be at least 1", text);
    }

    const double acceptance[3] = {1.0, exp(-beta * 4.0), exp(-beta * 8.0)};
    int8_t *spins = malloc((size_t)L * (size_t)L);
    if (!spins) {
        fprintf(stderr, "%s: error: cannot allocate %ld x %ld spins\n", program, L, L);
        return 1;
    }
    seed_rng((uint64_t)seed);
    for (long k = 0; k < L * L; k++) spins[k] = (next_u64() >> 63) ? 1 : -1; /* hot start; touches every page */
    seed_rng((uint64_t)seed + 1);

    struct timespec start, stop;
    clock_gettime(CLOCK_MONOTONIC, &start);
    long accepted = metropolis(spins, L, acceptance, sweeps);
    clock_gettime(CLOCK_MONOTONIC, &stop);
    double seconds = (double)(stop.tv_sec - start.tv_sec) + 1e-9 * (double)(stop.tv_nsec - start.tv_nsec);

    long magnetisation = 0; /* use the result, so the loop cannot be dropped */
    for (long k = 0; k < L * L; k++) magnetisation += spins[k];
    free(spins);
    if (accepted < 0 || labs(magnetisation) > L * L || seconds <= 0) {
        fprintf(stderr, "%s: error: implausible result (accepted %ld, magnetisation %ld, %g s)\n", program, accepted,
                magnetisation, seconds);
        return 1;
    }

    double rate = (double)L * (double)L * (double)sweeps / seconds / 1e9;
    printf("{\"benchmark\":\"ising_metropolis\",\"implementation\":\"c\",\"L\":%ld,\"ranks\":1,\"sweeps\":%ld,"
           "\"seconds\":%.9g,\"updates_per_ns\":%.9g,\"updates_per_ns_per_core\":%.9g}\n",
           L, sweeps, seconds, rate, rate);
    return 0;
}
