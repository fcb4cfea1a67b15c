// Dropout kernels over fixed chunks, so masks and results do not depend on the thread count.
#include "layers/dropout.h"

#include "layers/counter_random.h"
#include "layers/parallel_loops.h"

#include <cstring>

namespace bertlab::layers {

void dropoutForward(float* x, uint8_t* mask, size_t n, float p, uint64_t key)
{
    if (p <= 0.0f) return;
    const float scale = 1.0f / (1.0f - p);
    detail::forChunks(n, [&](size_t begin, size_t len) {
        for (size_t i = begin; i < begin + len; ++i) {
            const bool keep = uniformAt(key, i) >= p;
            mask[i] = keep;
            x[i] = keep ? x[i] * scale : 0.0f;
        }
    });
}

void dropoutBackward(float* din, const float* dout, const uint8_t* mask, size_t n, float p)
{
    if (p <= 0.0f) {
        if (din != dout) std::memcpy(din, dout, n * sizeof(float));
        return;
    }
    const float scale = 1.0f / (1.0f - p);
    detail::forChunks(n, [&](size_t begin, size_t len) {
        for (size_t i = begin; i < begin + len; ++i) din[i] = mask[i] ? dout[i] * scale : 0.0f;
    });
}

} // namespace bertlab::layers
