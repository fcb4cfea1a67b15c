// Activation kernels in fixed chunks across the OpenMP threads; each chunk dispatched per CPU.
#include "layers/activation.h"

#include "dispatch.h"
#include "layers/parallel_loops.h"

#include "layers/vector_math.h"

#include <cmath>
#include <cstddef>

namespace bertlab::layers {

namespace {
const float kSqrt2OverPi = std::sqrt(2.0f / static_cast<float>(M_PI));
constexpr float kCubic = 0.044715f;
constexpr float kSqrt1Over2 = static_cast<float>(M_SQRT1_2);

// One chunk each: forChunks' OpenMP region lives in its own template, outside any clone, so
// the work it calls is what gets dispatched (dispatch.h). Plain loops over libmvec's erff, expf
// and tanhf (vector_math.h), which every clone vectorises at its own width.
BERTLAB_DISPATCH
void forwardChunk(float* y, const float* x, ptrdiff_t m, Activation act)
{
    switch (act) {
    case Activation::Gelu:
#pragma omp simd
        for (ptrdiff_t i = 0; i < m; ++i) y[i] = 0.5f * x[i] * (1.0f + erff(x[i] * kSqrt1Over2));
        break;
    case Activation::GeluTanh:
#pragma omp simd
        for (ptrdiff_t i = 0; i < m; ++i)
            y[i] = 0.5f * x[i] * (1.0f + tanhf(kSqrt2OverPi * (x[i] + kCubic * (x[i] * x[i] * x[i]))));
        break;
    case Activation::Relu:
#pragma omp simd
        for (ptrdiff_t i = 0; i < m; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        break;
    }
}

BERTLAB_DISPATCH
void backwardChunk(float* dx, const float* dy, const float* x, ptrdiff_t m, Activation act)
{
    const float invSqrt2Pi = static_cast<float>(0.5 * M_2_SQRTPI * M_SQRT1_2);
    switch (act) {
    case Activation::Gelu:
#pragma omp simd
        for (ptrdiff_t i = 0; i < m; ++i) {
            const float cdf = 0.5f * (1.0f + erff(x[i] * kSqrt1Over2));
            const float pdf = expf(-0.5f * (x[i] * x[i])) * invSqrt2Pi;
            dx[i] = dy[i] * (cdf + x[i] * pdf);
        }
        break;
    case Activation::GeluTanh:
#pragma omp simd
        for (ptrdiff_t i = 0; i < m; ++i) {
            const float t = tanhf(kSqrt2OverPi * (x[i] + kCubic * (x[i] * x[i] * x[i])));
            dx[i] = dy[i] * (0.5f * (1.0f + t) + 0.5f * x[i] * (1.0f - t * t) * kSqrt2OverPi *
                                                     (1.0f + 3.0f * kCubic * (x[i] * x[i])));
        }
        break;
    case Activation::Relu:
#pragma omp simd
        for (ptrdiff_t i = 0; i < m; ++i) dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
        break;
    }
}

BERTLAB_DISPATCH
void tanhChunk(float* out, const float* in, ptrdiff_t m)
{
#pragma omp simd
    for (ptrdiff_t i = 0; i < m; ++i) out[i] = tanhf(in[i]);
}

BERTLAB_DISPATCH
void tanhBackwardChunk(float* din, const float* dout, const float* out, ptrdiff_t m)
{
#pragma omp simd
    for (ptrdiff_t i = 0; i < m; ++i) din[i] = dout[i] * (1.0f - out[i] * out[i]);
}
} // namespace

void activationForward(float* out, const float* in, size_t n, Activation act)
{
    detail::forChunks(n, [&](size_t begin, size_t len) {
        forwardChunk(out + begin, in + begin, static_cast<ptrdiff_t>(len), act);
    });
}

void activationBackward(float* din, const float* dout, const float* in, size_t n, Activation act)
{
    detail::forChunks(n, [&](size_t begin, size_t len) {
        backwardChunk(din + begin, dout + begin, in + begin, static_cast<ptrdiff_t>(len), act);
    });
}

void tanhForward(float* out, const float* in, size_t n)
{
    detail::forChunks(n, [&](size_t begin, size_t len) {
        tanhChunk(out + begin, in + begin, static_cast<ptrdiff_t>(len));
    });
}

void tanhBackward(float* din, const float* dout, const float* out, size_t n)
{
    detail::forChunks(n, [&](size_t begin, size_t len) {
        tanhBackwardChunk(din + begin, dout + begin, out + begin, static_cast<ptrdiff_t>(len));
    });
}

} // namespace bertlab::layers
