// Loads the OpenMP OpenBLAS once at program start, with the kernel chosen for this CPU even where OpenBLAS's own detection fails.
#pragma once

#include <string>

namespace bertlab {

// Chooses OpenBLAS's kernel and loads the library: BERTLAB_OPENBLAS_CORETYPE if set, else
// OPENBLAS_CORETYPE unless it names an older kernel than this CPU runs, else bertlab's pick from the
// CPU's features. Every program calls it at the top of main,
// before any thread exists: it sets an environment variable, which is not safe once threads run.
// Later calls do nothing. Throws Error when the library cannot be loaded.
void initBlas();

// Which library multiplies this thread's float32 matrices. OpenBLAS (with its kernel chosen as
// above) runs the inference pass; oneDNN's sgemm, which picks its kernel from the CPU alone, wins
// the batches of a training step (Tiny and Mini 1.07-1.25x, Base fine-tuning 1.2x over OpenBLAS's
// best kernel: docs/performance.md). Attribution's passes take the one measured faster on the
// machine (faster_float_products.h), as neither wins on every CPU. Both run on the one OpenMP pool.
enum class FloatProducts { OpenBlas, OneDnn };

// Sets this thread's FloatProducts for the scope's life and puts the previous one back. An OpenMP
// region inside the scope reads threadFloatProducts() before it starts and opens a scope of the
// same in each worker, as workers do not share the thread's setting.
class FloatProductsScope {
public:
    explicit FloatProductsScope(FloatProducts products);
    ~FloatProductsScope();
    FloatProductsScope(const FloatProductsScope&) = delete;
    FloatProductsScope& operator=(const FloatProductsScope&) = delete;

private:
    FloatProducts previous_;
};
FloatProducts threadFloatProducts();

// Row-major single-precision GEMM: c = alpha · op(a) · op(b) + beta · c, on this thread's
// FloatProducts (or oneDNN for every call under BERTLAB_SGEMM=onednn). Throws Error when
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
