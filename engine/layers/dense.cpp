// Linear layers on sgemm (blas.h) or, for the preview pass, on oneDNN's bfloat16 product; the bias gradient dispatched per CPU.
#include "layers/dense.h"

#include "bf16_linear.h"
#include "blas.h"
#include "dispatch.h"
#include "layers/parallel_loops.h"
#include "openblas_library.h"

namespace bertlab::layers {

namespace {

// Adds Σ_rows src[r, :] into dst[:] (src is [N, C], row stride ld); split by column block so the
// summation order per column is always row 0, 1, 2, ...
BERTLAB_DISPATCH
void addColumnSums(float* dst, const float* src, int N, int C, int ld)
{
    using detail::kColumnBlock;
    const int blocks = (C + kColumnBlock - 1) / kColumnBlock;
#pragma omp parallel for schedule(static) if (detail::big(size_t(N) * C))
    for (int blk = 0; blk < blocks; ++blk) {
        const int c0 = blk * kColumnBlock, c1 = std::min(C, c0 + kColumnBlock);
        float acc[kColumnBlock] = {};
        for (int r = 0; r < N; ++r) {
            const float* row = src + static_cast<size_t>(r) * ld;
            for (int c = c0; c < c1; ++c) acc[c - c0] += row[c];
        }
        for (int c = c0; c < c1; ++c) dst[c] += acc[c - c0];
    }
}

} // namespace

void denseForward(float* out, const float* in, const float* W, const float* b, int N, int C, int OC,
                  const Bf16Linear* fast, int ldo)
{
    if (ldo == 0) ldo = OC;
    if (N <= 0) return;
    if (fast)
        fast->apply(in, N, out, ldo);
    else
        matmulTransB(in, C, W, C, out, ldo, N, OC, C, b);
}

void denseBackward(float* din, float* dW, float* db, const float* dout, const float* in, const float* W,
                   int N, int C, int OC, bool accumulate, int lddout)
{
    if (lddout == 0) lddout = OC;
    if (din) sgemm(false, false, N, C, OC, 1.0f, dout, lddout, W, C, accumulate ? 1.0f : 0.0f, din, C);
    if (dW) sgemm(true, false, OC, C, N, 1.0f, dout, lddout, in, C, 1.0f, dW, C);
    if (db) addColumnSums(db, dout, N, OC, lddout);
}

} // namespace bertlab::layers
