// LayerNorm kernels: one row per OpenMP iteration forward, column blocks for the parameter gradients.
#include "layers/layer_norm.h"

#include "layers/parallel_loops.h"

#include <Eigen/Core>

#include <cmath>

namespace bertlab::layers {

namespace {
using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;
} // namespace

void layerNormForward(float* out, float* mean, float* rstd, const float* in, const float* residual,
                      const float* g, const float* b, int N, int C, float eps)
{
    const ConstArrayMap gamma(g, C), beta(b, C);
#pragma omp parallel for schedule(static) if (detail::big(size_t(N) * C))
    for (int r = 0; r < N; ++r) {
        const size_t at = static_cast<size_t>(r) * C;
        ArrayMap v(out + at, C);
        if (residual)
            v = ConstArrayMap(in + at, C) + ConstArrayMap(residual + at, C);
        else if (out != in)
            v = ConstArrayMap(in + at, C);
        const float m = v.mean();
        v -= m;
        const float s = 1.0f / std::sqrt(v.square().mean() + eps);
        v = v * s * gamma + beta;
        if (mean) mean[r] = m;
        if (rstd) rstd[r] = s;
    }
}

void layerNormBackward(float* din, float* dg, float* db, const float* dout, const float* in,
                       const float* residual, const float* g, const float* mean, const float* rstd, int N,
                       int C, bool accumulate)
{
    const ConstArrayMap gamma(g, C);
#pragma omp parallel for schedule(static) if (detail::big(size_t(N) * C))
    for (int r = 0; r < N; ++r) {
        const size_t at = static_cast<size_t>(r) * C;
        const ConstArrayMap dy(dout + at, C);
        Eigen::ArrayXf norm = ConstArrayMap(in + at, C);
        if (residual) norm += ConstArrayMap(residual + at, C);
        norm = (norm - mean[r]) * rstd[r];
        const Eigen::ArrayXf dnorm = dy * gamma;
        const float meanD = dnorm.mean();
        const float meanDN = (dnorm * norm).mean();
        ArrayMap dx(din + static_cast<size_t>(r) * C, C);
        if (accumulate)
            dx += (dnorm - meanD - norm * meanDN) * rstd[r];
        else
            dx = (dnorm - meanD - norm * meanDN) * rstd[r];
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
