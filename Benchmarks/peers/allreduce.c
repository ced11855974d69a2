/*
 * allreduce.c — the C peer of `ensemble bench cluster`.
 *
 * Times an in-place MPI_Allreduce(MPI_SUM) of doubles, exactly as the Swift
 * `Cluster` benchmark does, so that the two figures can be set side by side:
 *
 *   sizes    8,000,000 bytes (1,000,000 doubles) and 80,000,000 bytes
 *            (10,000,000 doubles);
 *   method   WARMUP untimed calls, then ITERATIONS timed calls, each preceded
 *            by MPI_Barrier; the time of one call is the slowest rank's
 *            (elementwise MPI_MAX over ranks), and the figure is the median
 *            of those per-call times.
 *
 * Rank 0 prints one JSON object per size on stdout:
 *   {"benchmark":"allreduce","implementation":"c","bytes":8000000,"ranks":2,
 *    "seconds":<median s per call>,"gb_per_s":<bytes/seconds/1e9>}
 *
 * Build:  mpicc -O2 -o allreduce allreduce.c
 * Run:    mpirun -np 2 ./allreduce [--warmup N] [--iterations N]
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DEFAULT_WARMUP = 10, DEFAULT_ITERATIONS = 100 };

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *values, int count) {
    qsort(values, (size_t)count, sizeof(double), compare_doubles);
    if (count % 2 == 1) return values[count / 2];
    return 0.5 * (values[count / 2 - 1] + values[count / 2]);
}

static int parse_count(const char *text, const char *flag, int minimum, int rank) {
    char *end = NULL;
    long value = strtol(text, &end, 10);
    if (end == text || *end != '\0' || value < minimum || value > 1000000) {
        if (rank == 0)
            fprintf(stderr, "allreduce: %s must be an integer >= %d, got '%s'\n", flag, minimum, text);
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    return (int)value;
}

/* Times one size; returns 0 on success. Collective over MPI_COMM_WORLD. */
static int run_size(long doubles, int warmup, int iterations, int rank, int ranks) {
    double *buffer = malloc((size_t)doubles * sizeof(double));
    double *times = malloc((size_t)iterations * sizeof(double));
    double *slowest = malloc((size_t)iterations * sizeof(double));
    int ok = buffer && times && slowest;
    int all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
    if (!all_ok) {
        if (rank == 0) fprintf(stderr, "allreduce: out of memory for %ld doubles\n", doubles);
        free(buffer); free(times); free(slowest);
        return 1;
    }
    /* Values double on every call (sum over 2 ranks); 1.0 * 2^n stays finite
       for any plausible call count, so no inf/NaN slow paths. */
    for (long i = 0; i < doubles; i++) buffer[i] = 1.0;

    for (int i = 0; i < warmup; i++)
        MPI_Allreduce(MPI_IN_PLACE, buffer, (int)doubles, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);

    for (int i = 0; i < iterations; i++) {
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        MPI_Allreduce(MPI_IN_PLACE, buffer, (int)doubles, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
        times[i] = MPI_Wtime() - start;
    }
    MPI_Reduce(times, slowest, iterations, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);

    if (rank == 0) {
        long bytes = doubles * (long)sizeof(double);
        double seconds = median(slowest, iterations);
        printf("{\"benchmark\":\"allreduce\",\"implementation\":\"c\",\"bytes\":%ld,"
               "\"ranks\":%d,\"seconds\":%.9g,\"gb_per_s\":%.9g}\n",
               bytes, ranks, seconds, (double)bytes / seconds / 1e9);
        fflush(stdout);
    }
    free(buffer); free(times); free(slowest);
    return 0;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);

    int warmup = DEFAULT_WARMUP, iterations = DEFAULT_ITERATIONS;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--warmup") == 0 && i + 1 < argc) {
            warmup = parse_count(argv[++i], "--warmup", 0, rank);
        } else if (strcmp(argv[i], "--iterations") == 0 && i + 1 < argc) {
            iterations = parse_count(argv[++i], "--iterations", 1, rank);
        } else if (strcmp(argv[i], "--json") == 0) {
            /* JSON is the only output format; accepted for symmetry with ensemble. */
        } else {
            if (rank == 0)
                fprintf(stderr, "usage: %s [--warmup N] [--iterations N] [--json]\n"
                                "unknown or incomplete argument '%s'\n", argv[0], argv[i]);
            MPI_Finalize();
            return 2;
        }
    }

    static const long sizes[] = {1000000L, 10000000L}; /* doubles: 8 MB, 80 MB */
    int status = 0;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0] && status == 0; s++)
        status = run_size(sizes[s], warmup, iterations, rank, ranks);

    MPI_Finalize();
    return status;
}
