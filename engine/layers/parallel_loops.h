// The OpenMP loop shapes the layer kernels share: fixed chunks, and the column blocks of reductions that do not depend on the thread count.
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

} // namespace bertlab::layers::detail
