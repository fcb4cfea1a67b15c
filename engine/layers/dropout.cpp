// Dropout kernels, one counter-based draw per element, so masks and results do not depend on the thread count; dispatched per CPU.
#include "layers/dropout.h"

#include "dispatch.h"
#include "layers/counter_random.h"
#include "layers/parallel_loops.h"

#include <cstring>

namespace bertlab::layers {

BERTLAB_DISPATCH
void dropoutForward(float* x, uint8_t* mask, size_t n, float p, uint64_t key)
{
    if (p <= 0.0f) return;
    const float scale = 1.0f / (1.0f - p);
    const ptrdiff_t count = static_cast<ptrdiff_t>(n);
#pragma omp parallel for schedule(static) if (count > detail::kChunk)
    for (ptrdiff_t i = 0; i < count; ++i) {
        const bool keep = uniformAt(key, static_cast<uint64_t>(i)) >= p;
        mask[i] = keep;
        x[i] = keep ? x[i] * scale : 0.0f;
    }
}

BERTLAB_DISPATCH
void dropoutBackward(float* din, const float* dout, const uint8_t* mask, size_t n, float p)
{
    if (p <= 0.0f) {
        if (din != dout) std::memcpy(din, dout, n * sizeof(float));
        return;
    }
    const float scale = 1.0f / (1.0f - p);
    const ptrdiff_t count = static_cast<ptrdiff_t>(n);
#pragma omp parallel for schedule(static) if (count > detail::kChunk)
    for (ptrdiff_t i = 0; i < count; ++i) din[i] = mask[i] ? dout[i] * scale : 0.0f;
}

} // namespace bertlab::layers
