// The engine's only door to BLAS: y = x·Wᵀ (+ bias) in the layout torch.nn.Linear stores.
#pragma once

#include "tensor.h"

namespace bertlab {

// out[M, N] = a[M, K] · b[N, K]ᵀ (+ bias[N] broadcast over rows when bias != nullptr).
// Row-major, with leading dimensions so that strided views (one attention head) work too.
void matmulTransB(const float* a, int lda, const float* b, int ldb, float* out, int ldo,
                  int m, int n, int k, const float* bias = nullptr, float alpha = 1.0f);

// out[M, N] = a[M, K] · b[K, N].
void matmul(const float* a, int lda, const float* b, int ldb, float* out, int ldo, int m, int n, int k);

// Threads the engine (OpenMP and the OpenMP OpenBLAS, one pool) will use.
int engineThreads();

} // namespace bertlab
