// The AdamW update in torch.optim.AdamW's order of operations (single-tensor path of torch 1.13); dispatched per CPU.
#include "training/adamw.h"

#include "dispatch.h"

#include <cmath>

namespace bertlab {

AdamW::AdamW(const ParameterLayout& layout, AdamWOptions options)
    : layout_(&layout), options_(options), m_(layout.total, 0.0f), v_(layout.total, 0.0f)
{
}

BERTLAB_DISPATCH
void AdamW::step(ParameterBuffer& params, const float* grads, double lr)
{
    ++steps_;
    const double b1 = options_.beta1, b2 = options_.beta2;
    const double bc1 = 1.0 - std::pow(b1, static_cast<double>(steps_));
    const double bc2Sqrt = std::sqrt(1.0 - std::pow(b2, static_cast<double>(steps_)));
    const float stepSize = static_cast<float>(lr / bc1);
    const float b1f = static_cast<float>(b1), b2f = static_cast<float>(b2);
    const float oneMinusB1 = static_cast<float>(1.0 - b1), oneMinusB2 = static_cast<float>(1.0 - b2);
    const float eps = static_cast<float>(options_.eps);
    const float bc2SqrtF = static_cast<float>(bc2Sqrt);
    float* p = params.data();
    float* m = m_.data();
    float* v = v_.data();
    for (const ParameterEntry& e : layout_->entries) {
        const float decay = e.decay ? static_cast<float>(1.0 - lr * options_.weightDecay) : 1.0f;
        const ptrdiff_t begin = static_cast<ptrdiff_t>(e.offset);
        const ptrdiff_t end = begin + static_cast<ptrdiff_t>(e.numel);
#pragma omp parallel for schedule(static) if (e.numel > 16384)
        for (ptrdiff_t i = begin; i < end; ++i) {
            const float g = grads[i];
            p[i] *= decay;
            m[i] = m[i] * b1f + g * oneMinusB1;
            v[i] = v[i] * b2f + g * g * oneMinusB2;
            const float denom = std::sqrt(v[i]) / bc2SqrtF + eps;
            p[i] -= stepSize * (m[i] / denom);
        }
    }
}

} // namespace bertlab
