// LayerNorm kernels: one row per OpenMP iteration forward, column blocks for the parameter gradients; dispatched per CPU.
#include "layers/layer_norm.h"

#include "dispatch.h"
#include "layers/parallel_loops.h"

#include <cmath>

namespace bertlab::layers {

// Plain loops rather than Eigen expressions: each dispatched clone (dispatch.h) vectorises them at
// its own width; the row sums under `omp simd` are the only reductions whose order that changes.
BERTLAB_DISPATCH
void layerNormForward(float* out, float* mean, float* rstd, const float* in, const float* residual,
                      const float* g, const float* b, int N, int C, float eps)
{
#pragma omp parallel for schedule(static) if (detail::big(size_t(N) * C))
    for (int r = 0; r < N; ++r) {
        const size_t at = static_cast<size_t>(r) * C;
        float* v = out + at;
        const float* x = in + at;
        float sum = 0.0f;
        if (residual) {
            const float* res = residual + at;
#pragma omp simd reduction(+ : sum)
            for (int c = 0; c < C; ++c) {
                v[c] = x[c] + res[c];
                sum += v[c];
            }
        } else {
#pragma omp simd reduction(+ : sum)
            for (int c = 0; c < C; ++c) {
                v[c] = x[c];
                sum += v[c];
            }
        }
        const float m = sum / static_cast<float>(C);
        float squares = 0.0f;
#pragma omp simd reduction(+ : squares)
        for (int c = 0; c < C; ++c) {
            v[c] -= m;
            squares += v[c] * v[c];
        }
        const float s = 1.0f / std::sqrt(squares / static_cast<float>(C) + eps);
#pragma omp simd
        for (int c = 0; c < C; ++c) v[c] = v[c] * s * g[c] + b[c];
        if (mean) mean[r] = m;
        if (rstd) rstd[r] = s;
    }
}

BERTLAB_DISPATCH
void layerNormBackward(float* din, float* dg, float* db, const float* dout, const float* in,
                       const float* residual, const float* g, const float* mean, const float* rstd, int N,
                       int C, bool accumulate)
{
#pragma omp parallel for schedule(static) if (detail::big(size_t(N) * C))
    for (int r = 0; r < N; ++r) {
        const size_t at = static_cast<size_t>(r) * C;
        const float* dy = dout + at;
        const float* x = in + at;
        const float* res = residual ? residual + at : nullptr;
        const float m = mean[r], s = rstd[r];
        // norm = (x + res - mean) * rstd and dnorm = dy * gamma, recomputed in the second pass
        // rather than kept in a per-row temporary.
        float sumD = 0.0f, sumDN = 0.0f;
#pragma omp simd reduction(+ : sumD, sumDN)
        for (int c = 0; c < C; ++c) {
            const float norm = ((res ? x[c] + res[c] : x[c]) - m) * s;
            const float dnorm = dy[c] * g[c];
            sumD += dnorm;
            sumDN += dnorm * norm;
        }
        const float meanD = sumD / static_cast<float>(C), meanDN = sumDN / static_cast<float>(C);
        float* dx = din + at;
#pragma omp simd
        for (int c = 0; c < C; ++c) {
            const float norm = ((res ? x[c] + res[c] : x[c]) - m) * s;
            const float d = (dy[c] * g[c] - meanD - norm * meanDN) * s;
            dx[c] = accumulate ? dx[c] + d : d;
        }
    }
    if (!dg || !db) return;  // an input-gradient-only pass
    using detail::kColumnBlock;
    const int blocks = (C + kColumnBlock - 1) / kColumnBlock;
#pragma omp parallel for schedule(static) if (detail::big(size_t(N) * C))
    for (int blk = 0; blk < blocks; ++blk) {
        const int c0 = blk * kColumnBlock, c1 = std::min(C, c0 + kColumnBlock);
        float accG[kColumnBlock] = {}, accB[kColumnBlock] = {};
        for (int r = 0; r < N; ++r) {
            const float* x = in + static_cast<size_t>(r) * C;
            const float* res = residual ? residual + static_cast<size_t>(r) * C : nullptr;
            const float* dy = dout + static_cast<size_t>(r) * C;
            for (int c = c0; c < c1; ++c) {
                const float s = res ? x[c] + res[c] : x[c];
                accG[c - c0] += dy[c] * (s - mean[r]) * rstd[r];
                accB[c - c0] += dy[c];
            }
        }
        for (int c = c0; c < c1; ++c) {
            dg[c] += accG[c - c0];
            db[c] += accB[c - c0];
        }
    }
}

} // namespace bertlab::layers
