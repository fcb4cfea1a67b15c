// Linear layers on sgemm (blas.h) or, for the preview pass, on oneDNN's bfloat16 product; the bias gradient dispatched per CPU.
#include "layers/dense.h"

#include "bf16_linear.h"
#include "blas.h"
#include "dispatch.h"
#include "layers/bf16_shadow.h"
#include "layers/parallel_loops.h"
#include "openblas_library.h"

#include <vector>

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

// Rounded activations of one product; kept per thread so that a step does not allocate again.
std::vector<Bf16Bits>& scratch(int which, size_t n)
{
    thread_local std::vector<Bf16Bits> buffers[2];
    std::vector<Bf16Bits>& v = buffers[which];
    if (v.size() < n) v.resize(n);
    return v;
}

} // namespace

void denseForward(float* out, const float* in, const float* W, const float* b, int N, int C, int OC,
                  const Bf16Linear* fast, int ldo, const Bf16Shadow* bf16)
{
    if (ldo == 0) ldo = OC;
    if (N <= 0) return;
    if (bf16) {
        std::vector<Bf16Bits>& x = scratch(0, static_cast<size_t>(N) * C);
        roundToBfloat16(x.data(), in, N, C, C);
        bf16Gemm(false, true, N, OC, C, x.data(), C, bf16->of(W), C, out, ldo, false, b);
    } else if (fast)
        fast->apply(in, N, out, ldo);
    else
        matmulTransB(in, C, W, C, out, ldo, N, OC, C, b);
}

void denseBackward(float* din, float* dW, float* db, const float* dout, const float* in, const float* W,
                   int N, int C, int OC, bool accumulate, int lddout, const Bf16Shadow* bf16)
{
    if (lddout == 0) lddout = OC;
    if (bf16 && N > 0 && (din || dW)) {
        std::vector<Bf16Bits>& g = scratch(0, static_cast<size_t>(N) * OC);
        roundToBfloat16(g.data(), dout, N, OC, lddout);
        if (din) bf16Gemm(false, false, N, C, OC, g.data(), OC, bf16->of(W), C, din, C, accumulate);
        if (dW) {
            std::vector<Bf16Bits>& x = scratch(1, static_cast<size_t>(N) * C);
            roundToBfloat16(x.data(), in, N, C, C);
            bf16Gemm(true, false, OC, C, N, g.data(), OC, x.data(), C, dW, C, true);
        }
        if (db) addColumnSums(db, dout, N, OC, lddout);
        return;
    }
    if (din) sgemm(false, false, N, C, OC, 1.0f, dout, lddout, W, C, accumulate ? 1.0f : 0.0f, din, C);
    if (dW) sgemm(true, false, OC, C, N, 1.0f, dout, lddout, in, C, 1.0f, dW, C);
    if (db) addColumnSums(db, dout, N, OC, lddout);
}

} // namespace bertlab::layers
