// The OpenMP loop shapes the layer kernels share: fixed chunks, and column-split reductions that do not depend on the thread count.
#pragma once

#include <algorithm>
#include <cstddef>

namespace bertlab::layers::detail {

constexpr ptrdiff_t kChunk = 8192;  // elementwise work per OpenMP iteration
constexpr int kColumnBlock = 32;    // columns per reduction task

// Below this many floats a parallel region costs more than it saves.
inline bool big(size_t work) { return work >= 32768; }

// Runs f(begin, length) over [0, n) in fixed chunks, in parallel.
template <typename F>
void forChunks(size_t n, F&& f)
{
    const ptrdiff_t chunks = static_cast<ptrdiff_t>((n + kChunk - 1) / kChunk);
#pragma omp parallel for schedule(static) if (chunks > 1)
    for (ptrdiff_t c = 0; c < chunks; ++c) {
        const size_t begin = static_cast<size_t>(c) * kChunk;
        f(begin, std::min<size_t>(kChunk, n - begin));
    }
}

// Adds Σ_rows src[r, :] into dst[:] (src is [N, C], row stride ld); split by column block so the
// summation order per column is always row 0, 1, 2, ...
inline void addColumnSums(float* dst, const float* src, int N, int C, int ld)
{
    const int blocks = (C + kColumnBlock - 1) / kColumnBlock;
#pragma omp parallel for schedule(static) if (big(size_t(N) * C))
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

} // namespace bertlab::layers::detail
