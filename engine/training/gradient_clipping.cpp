// Clipping the whole gradient to a maximum global L2 norm; dispatched per CPU.
#include "training/gradient_clipping.h"

#include "dispatch.h"

#include <cmath>
#include <vector>

namespace bertlab {

BERTLAB_DISPATCH
double clipGradientNorm(float* grads, size_t n, double maxNorm)
{
    // Fixed-size blocks summed in order: the same norm whatever the thread count.
    constexpr size_t kBlock = 1 << 16;
    const ptrdiff_t blocks = static_cast<ptrdiff_t>((n + kBlock - 1) / kBlock);
    std::vector<double> partial(static_cast<size_t>(blocks), 0.0);
#pragma omp parallel for schedule(static)
    for (ptrdiff_t b = 0; b < blocks; ++b) {
        const size_t begin = static_cast<size_t>(b) * kBlock, end = std::min(n, begin + kBlock);
        double s = 0.0;
        for (size_t i = begin; i < end; ++i) s += static_cast<double>(grads[i]) * grads[i];
        partial[static_cast<size_t>(b)] = s;
    }
    double sum = 0.0;
    for (double s : partial) sum += s;
    const double norm = std::sqrt(sum);
    if (!std::isfinite(norm)) return norm;
    const double coef = maxNorm / (norm + 1e-6);
    if (coef < 1.0) {
        const float c = static_cast<float>(coef);
#pragma omp parallel for schedule(static)
        for (ptrdiff_t i = 0; i < static_cast<ptrdiff_t>(n); ++i) grads[i] *= c;
    }
    return norm;
}

} // namespace bertlab
