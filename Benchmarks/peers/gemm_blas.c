/*
 * gemm_blas.c — the OpenBLAS reference line of `ensemble bench train`.
 *
 * Times cblas_sgemm and cblas_dgemm, row-major, no transposes, C = A·B
 * (alpha = 1, beta = 0), A M×K, B K×N, C M×N, for the shapes given as
 * triples "M N K" on the command line, or by default for the convolution
 * GEMMs of the train benchmark's network (16 channels, 3×3 kernels, 32×32
 * sites), one sample at a time:
 *
 *   16 1024 144    conv2 forward:         out channels × sites × (16·3·3)
 *   16 144 1024    conv2 weight gradient: out channels × (16·3·3) × sites
 *   144 1024 16    conv2 input gradient:  (16·3·3) × sites × out channels
 *   16 1024 9      conv1 forward:         out channels × sites × (1·3·3)
 *
 * and a square 512 × 512 × 512 case, which shows the machine's peak for
 * BLAS and is added after any shapes given (--no-square leaves it out).
 *
 * Method, per precision and shape: the matrices are filled with values in
 * [-1, 1) and one untimed sample runs first; then 5 samples, each calling
 * the GEMM repeatedly until at least MIN_TIME seconds (default 0.2) have
 * passed (CLOCK_MONOTONIC); gflops = 2·M·N·K·calls / seconds / 1e9, and the
 * figure is the median of the 5 samples.
 *
 * OpenBLAS runs with THREADS threads (openblas_set_num_threads; default 1,
 * the counterpart of OPENBLAS_NUM_THREADS=1 per MPI rank, and of one torch
 * thread per process; this overrides OPENBLAS_NUM_THREADS).
 *
 * Prints one JSON object per (precision, shape) on stdout:
 *   {"benchmark":"gemm","implementation":"openblas-c","precision":"float32",
 *    "m":16,"n":1024,"k":144,"gflops":…,"seconds_per_call":…,"threads":1}
 * float32 lines first, then float64. Anything else goes to stderr; a bad
 * argument or a failed allocation exits with status 2 or 1 and a message.
 *
 * Build:  cc -O2 -o gemm_blas gemm_blas.c -lopenblas   (libopenblas-dev)
 * Run:    ./gemm_blas [--threads N] [--min-time S] [--precision float32|float64|both]
 *                     [--no-square] [M N K]...
 */
#define _POSIX_C_SOURCE 199309L
#include <cblas.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* OpenBLAS's own extensions; declared again in case cblas.h is another vendor's. */
extern void openblas_set_num_threads(int);
extern int openblas_get_num_threads(void);
extern char *openblas_get_config(void);

enum { SAMPLES = 5, MAX_SHAPES = 64 };

typedef struct { long m, n, k; } Shape;

static const Shape default_shapes[] = {
    {16, 1024, 144}, {16, 144, 1024}, {144, 1024, 16}, {16, 1024, 9},
};
static const Shape square = {512, 512, 512};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void usage_error(const char *message, const char *argument) {
    fprintf(stderr, "gemm_blas: %s", message);
    if (argument) fprintf(stderr, " '%s'", argument);
    fprintf(stderr, "\nusage: gemm_blas [--threads N] [--min-time S] "
                    "[--precision float32|float64|both] [--no-square] [M N K]...\n");
    exit(2);
}

static long parse_dimension(const char *text) {
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno || end == text || *end != '\0' || value < 1 || value > 65536)
        usage_error("a dimension must be an integer between 1 and 65536, got", text);
    return value;
}

static void *allocate(size_t count, size_t size) {
    size_t bytes = count * size;
    bytes = (bytes + 63) / 64 * 64;
    void *pointer = aligned_alloc(64, bytes ? bytes : 64);
    if (!pointer) {
        fprintf(stderr, "gemm_blas: error: out of memory for %zu bytes\n", bytes);
        exit(1);
    }
    return pointer;
}

/* xorshift64* values in [-1, 1). */
static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;
static double next_uniform(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    unsigned long long bits = rng_state * 0x2545F4914F6CDD1DULL;
    return (double)(bits >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

/* One sample: calls until min_time has passed; returns seconds per call. */
static double sample(int single, const Shape *s, const void *a, const void *b, void *c, double min_time) {
    const int m = (int)s->m, n = (int)s->n, k = (int)s->k;
    long calls = 0;
    double start = now(), elapsed;
    do {
        if (single)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k,
                        1.0f, a, k, b, n, 0.0f, c, n);
        else
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k,
                        1.0, a, k, b, n, 0.0, c, n);
        calls++;
        elapsed = now() - start;
    } while (elapsed < min_time);
    return elapsed / (double)calls;
}

static void measure(int single, const Shape *s, double min_time, int threads) {
    size_t element = single ? sizeof(float) : sizeof(double);
    size_t a_count = (size_t)s->m * (size_t)s->k, b_count = (size_t)s->k * (size_t)s->n,
           c_count = (size_t)s->m * (size_t)s->n;
    void *a = allocate(a_count, element), *b = allocate(b_count, element), *c = allocate(c_count, element);
    for (size_t i = 0; i < a_count; i++) {
        double v = next_uniform();
        if (single) ((float *)a)[i] = (float)v; else ((double *)a)[i] = v;
    }
    for (size_t i = 0; i < b_count; i++) {
        double v = next_uniform();
        if (single) ((float *)b)[i] = (float)v; else ((double *)b)[i] = v;
    }
    memset(c, 0, c_count * element);

    sample(single, s, a, b, c, min_time / 4); /* warm-up: caches, OpenBLAS's buffers */
    double seconds[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) seconds[i] = sample(single, s, a, b, c, min_time);
    qsort(seconds, SAMPLES, sizeof(double), compare_doubles);
    double per_call = seconds[SAMPLES / 2];
    double gflops = 2.0 * (double)s->m * (double)s->n * (double)s->k / per_call / 1e9;

    /* Keep the result observable, so nothing can be skipped. */
    double check = single ? (double)((float *)c)[c_count - 1] : ((double *)c)[c_count - 1];
    if (check != check) fprintf(stderr, "gemm_blas: warning: NaN in the result\n");

    printf("{\"benchmark\":\"gemm\",\"implementation\":\"openblas-c\",\"precision\":\"%s\","
           "\"m\":%ld,\"n\":%ld,\"k\":%ld,\"gflops\":%.6g,\"seconds_per_call\":%.6g,\"threads\":%d}\n",
           single ? "float32" : "float64", s->m, s->n, s->k, gflops, per_call, threads);
    fflush(stdout);
    free(a); free(b); free(c);
}

int main(int argc, char **argv) {
    Shape shapes[MAX_SHAPES + 1];
    int count = 0, threads = 1, with_square = 1, do_single = 1, do_double = 1;
    double min_time = 0.2;
    long dims[3 * MAX_SHAPES];
    int ndims = 0;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--threads") == 0 || strcmp(arg, "--min-time") == 0 || strcmp(arg, "--precision") == 0) {
            if (i + 1 >= argc) usage_error("missing value after", arg);
            const char *value = argv[++i];
            char *end = NULL;
            if (strcmp(arg, "--threads") == 0) {
                long t = strtol(value, &end, 10);
                if (end == value || *end != '\0' || t < 1 || t > 1024)
                    usage_error("--threads must be an integer between 1 and 1024, got", value);
                threads = (int)t;
            } else if (strcmp(arg, "--min-time") == 0) {
                double t = strtod(value, &end);
                if (end == value || *end != '\0' || !(t > 0 && t <= 60))
                    usage_error("--min-time must be a number of seconds in (0, 60], got", value);
                min_time = t;
            } else if (strcmp(value, "float32") == 0) {
                do_single = 1; do_double = 0;
            } else if (strcmp(value, "float64") == 0) {
                do_single = 0; do_double = 1;
            } else if (strcmp(value, "both") == 0) {
                do_single = 1; do_double = 1;
            } else {
                usage_error("--precision must be float32, float64 or both, got", value);
            }
        } else if (strcmp(arg, "--no-square") == 0) {
            with_square = 0;
        } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            printf("usage: gemm_blas [--threads N] [--min-time S] [--precision float32|float64|both] "
                   "[--no-square] [M N K]...\n");
            return 0;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            usage_error("unknown option", arg);
        } else {
            if (ndims >= 3 * MAX_SHAPES) usage_error("too many shapes; at most 64", NULL);
            dims[ndims++] = parse_dimension(arg);
        }
    }
    if (ndims % 3 != 0) usage_error("shapes are triples M N K; the dimensions given are not a multiple of 3", NULL);
    if (ndims == 0) {
        for (size_t i = 0; i < sizeof default_shapes / sizeof default_shapes[0]; i++) shapes[count++] = default_shapes[i];
    } else {
        for (int i = 0; i < ndims; i += 3) shapes[count++] = (Shape){dims[i], dims[i + 1], dims[i + 2]};
    }
    if (with_square) shapes[count++] = square;
    if (count == 0) usage_error("no shapes to measure", NULL);

    openblas_set_num_threads(threads);
    fprintf(stderr, "gemm_blas: %s, %d thread(s), median of %d samples of >= %g s each\n",
            openblas_get_config(), openblas_get_num_threads(), SAMPLES, min_time);

    for (int precision = 0; precision < 2; precision++) {
        int single = precision == 0;
        if ((single && !do_single) || (!single && !do_double)) continue;
        for (int i = 0; i < count; i++) measure(single, &shapes[i], min_time, threads);
    }
    return 0;
}
