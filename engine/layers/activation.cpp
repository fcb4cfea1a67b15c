// Activation kernels on Eigen arrays, in fixed chunks across the OpenMP threads; each chunk dispatched per CPU.
#include "layers/activation.h"

#include "dispatch.h"
#include "layers/parallel_loops.h"

#include <unsupported/Eigen/SpecialFunctions>

#include <Eigen/Core>

#include <cmath>

namespace bertlab::layers {

namespace {
using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

const float kSqrt2OverPi = std::sqrt(2.0f / static_cast<float>(M_PI));
constexpr float kCubic = 0.044715f;

// One chunk each: forChunks' OpenMP region lives in its own template, outside any clone, so
// the work it calls is what gets dispatched (dispatch.h).
BERTLAB_DISPATCH
void forwardChunk(float* out, const float* in, Eigen::Index m, Activation act)
{
    const ConstArrayMap x(in, m);
    ArrayMap y(out, m);
    switch (act) {
    case Activation::Gelu:
        y = 0.5f * x * (1.0f + (x * static_cast<float>(M_SQRT1_2)).erf());
        break;
    case Activation::GeluTanh:
        y = 0.5f * x * (1.0f + (kSqrt2OverPi * (x + kCubic * x.cube())).tanh());
        break;
    case Activation::Relu:
        y = x.max(0.0f);
        break;
    }
}

BERTLAB_DISPATCH
void backwardChunk(float* din, const float* dout, const float* in, Eigen::Index m, Activation act)
{
    const float invSqrt2Pi = static_cast<float>(0.5 * M_2_SQRTPI * M_SQRT1_2);
    const ConstArrayMap x(in, m);
    const ConstArrayMap dy(dout, m);
    ArrayMap dx(din, m);
    switch (act) {
    case Activation::Gelu: {
        const Eigen::ArrayXf cdf = 0.5f * (1.0f + (x * static_cast<float>(M_SQRT1_2)).erf());
        const Eigen::ArrayXf pdf = (-0.5f * x.square()).exp() * invSqrt2Pi;
        dx = dy * (cdf + x * pdf);
        break;
    }
    case Activation::GeluTanh: {
        const Eigen::ArrayXf t = (kSqrt2OverPi * (x + kCubic * x.cube())).tanh();
        dx = dy * (0.5f * (1.0f + t) +
                   0.5f * x * (1.0f - t.square()) * kSqrt2OverPi * (1.0f + 3.0f * kCubic * x.square()));
        break;
    }
    case Activation::Relu:
        dx = (x > 0.0f).select(dy, 0.0f);
        break;
    }
}

BERTLAB_DISPATCH
void tanhChunk(float* out, const float* in, Eigen::Index m)
{
    ArrayMap(out, m) = ConstArrayMap(in, m).tanh();
}

BERTLAB_DISPATCH
void tanhBackwardChunk(float* din, const float* dout, const float* out, Eigen::Index m)
{
    for (Eigen::Index i = 0; i < m; ++i) din[i] = dout[i] * (1.0f - out[i] * out[i]);
}
} // namespace

void activationForward(float* out, const float* in, size_t n, Activation act)
{
    detail::forChunks(n, [&](size_t begin, size_t len) {
        forwardChunk(out + begin, in + begin, static_cast<Eigen::Index>(len), act);
    });
}

void activationBackward(float* din, const float* dout, const float* in, size_t n, Activation act)
{
    detail::forChunks(n, [&](size_t begin, size_t len) {
        backwardChunk(din + begin, dout + begin, in + begin, static_cast<Eigen::Index>(len), act);
    });
}

void tanhForward(float* out, const float* in, size_t n)
{
    detail::forChunks(n, [&](size_t begin, size_t len) {
        tanhChunk(out + begin, in + begin, static_cast<Eigen::Index>(len));
    });
}

void tanhBackward(float* din, const float* dout, const float* out, size_t n)
{
    detail::forChunks(n, [&](size_t begin, size_t len) {
        tanhBackwardChunk(din + begin, dout + begin, out + begin, static_cast<Eigen::Index>(len));
    });
}

} // namespace bertlab::layers
