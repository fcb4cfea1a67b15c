// Loads the OpenMP OpenBLAS once at program start, with the kernel chosen for this CPU even where OpenBLAS's own detection fails.
#pragma once

#include <string>

namespace bertlab {

// Chooses OpenBLAS's kernel and loads the library. Every program calls it at the top of main,
// before any thread exists: it sets an environment variable, which is not safe once threads run.
// Later calls do nothing. Throws Error when the library cannot be loaded.
void initBlas();

// Row-major single-precision GEMM: c = alpha · op(a) · op(b) + beta · c. Throws Error when
// initBlas() has not run.
void sgemm(bool transA, bool transB, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
           int ldb, float beta, float* c, int ldc);

// The kernel OpenBLAS runs ("SkylakeX", "Haswell", ...) and why, for `info` and the benchmarks.
struct BlasInfo {
    std::string library;     // the file loaded
    std::string coreName;    // as OpenBLAS reports it
    std::string coreSource;  // "OpenBLAS detection", "chosen by bertlab from the CPU's features", "OPENBLAS_CORETYPE"
};
const BlasInfo& blasInfo();  // throws Error when initBlas() has not run

} // namespace bertlab
