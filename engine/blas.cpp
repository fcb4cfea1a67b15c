// cblas_sgemm wrappers; bias is written first so the multiply accumulates onto it in one pass.
#include "blas.h"

#include "openblas_library.h"

#include <omp.h>

#include <cstring>

namespace bertlab {

void matmulTransB(const float* a, int lda, const float* b, int ldb, float* out, int ldo,
                  int m, int n, int k, const float* bias, float alpha)
{
    float beta = 0.0f;
    if (bias) {
        // Split over the threads: copied by one, a BERT-Base batch's rows left the other thread
        // idle for ~3% of an integrated-gradients run.
#pragma omp parallel for schedule(static) if (static_cast<size_t>(m) * n >= 65536)
        for (int i = 0; i < m; ++i) std::memcpy(out + static_cast<size_t>(i) * ldo, bias, sizeof(float) * n);
        beta = 1.0f;
    }
    sgemm(false, true, m, n, k, alpha, a, lda, b, ldb, beta, out, ldo);
}

void matmul(const float* a, int lda, const float* b, int ldb, float* out, int ldo, int m, int n, int k)
{
    sgemm(false, false, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, out, ldo);
}

int engineThreads()
{
    return omp_get_max_threads();
}

} // namespace bertlab
