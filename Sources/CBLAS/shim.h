// OpenBLAS's CBLAS interface and its threading controls, plus the instruction set this build was
// compiled for (Swift has no way to ask). Only the Numerics module imports this.
#ifndef ENSEMBLE_CBLAS_SHIM_H
#define ENSEMBLE_CBLAS_SHIM_H
#include <cblas.h>

// The widest vector registers the compiler was allowed to use, in bits: 512 (AVX-512), 256
// (AVX2), or 128 (SSE2, the x86-64 baseline, and other architectures). The clang importer sees
// the same -target-cpu as the Swift code, so this is the Swift modules' target too.
static inline int ensemble_compiled_vector_bits(void) {
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__)
    return 512;
#elif defined(__AVX2__)
    return 256;
#else
    return 128;
#endif
}

// The first instruction-set extension this build was compiled for that the running CPU lacks
// (a name as /proc/cpuinfo spells it), or NULL if it has them all. A binary built with
// -target-cpu native on one machine can meet an older CPU on another node of a cluster; this lets
// it say so instead of dying of SIGILL somewhere in a kernel.
static inline const char *ensemble_missing_cpu_feature(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    __builtin_cpu_init();
#define ENSEMBLE_REQUIRE(macro_defined, name) if (macro_defined && !__builtin_cpu_supports(name)) return name;
#ifdef __SSE4_2__
    ENSEMBLE_REQUIRE(1, "sse4.2")
#endif
#ifdef __POPCNT__
    ENSEMBLE_REQUIRE(1, "popcnt")
#endif
#ifdef __AVX__
    ENSEMBLE_REQUIRE(1, "avx")
#endif
#ifdef __AVX2__
    ENSEMBLE_REQUIRE(1, "avx2")
#endif
#ifdef __FMA__
    ENSEMBLE_REQUIRE(1, "fma")
#endif
#ifdef __BMI2__
    ENSEMBLE_REQUIRE(1, "bmi2")
#endif
#ifdef __AVX512F__
    ENSEMBLE_REQUIRE(1, "avx512f")
#endif
#ifdef __AVX512BW__
    ENSEMBLE_REQUIRE(1, "avx512bw")
#endif
#ifdef __AVX512DQ__
    ENSEMBLE_REQUIRE(1, "avx512dq")
#endif
#ifdef __AVX512VL__
    ENSEMBLE_REQUIRE(1, "avx512vl")
#endif
#ifdef __AVX512CD__
    ENSEMBLE_REQUIRE(1, "avx512cd")
#endif
#ifdef __AVX512VBMI__
    ENSEMBLE_REQUIRE(1, "avx512vbmi")
#endif
#ifdef __AVX512VBMI2__
    ENSEMBLE_REQUIRE(1, "avx512vbmi2")
#endif
#ifdef __AVX512VNNI__
    ENSEMBLE_REQUIRE(1, "avx512vnni")
#endif
#ifdef __AVX512BITALG__
    ENSEMBLE_REQUIRE(1, "avx512bitalg")
#endif
#ifdef __AVX512VPOPCNTDQ__
    ENSEMBLE_REQUIRE(1, "avx512vpopcntdq")
#endif
#ifdef __AVX512IFMA__
    ENSEMBLE_REQUIRE(1, "avx512ifma")
#endif
#ifdef __AVX512BF16__
    ENSEMBLE_REQUIRE(1, "avx512bf16")
#endif
#ifdef __AVX512FP16__
    ENSEMBLE_REQUIRE(1, "avx512fp16")
#endif
#ifdef __GFNI__
    ENSEMBLE_REQUIRE(1, "gfni")
#endif
#ifdef __VAES__
    ENSEMBLE_REQUIRE(1, "vaes")
#endif
#ifdef __VPCLMULQDQ__
    ENSEMBLE_REQUIRE(1, "vpclmulqdq")
#endif
#undef ENSEMBLE_REQUIRE
#endif
    return (const char *)0;
}
#endif
