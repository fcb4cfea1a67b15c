// Activation kernels on Eigen arrays, in fixed chunks across the OpenMP threads.
#include "layers/activation.h"

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
} // namespace

void activationForward(float* out, const float* in, size_t n, Activation act)
{
    detail::forChunks(n, [&](size_t begin, size_t len) {
        const auto m = static_cast<Eigen::Index>(len);
        const ConstArrayMap x(in + begin, m);
        ArrayMap y(out + begin, m);
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
    });
}

void activationBackward(float* din, const float* dout, const float* in, size_t n, Activation act)
{
    const float invSqrt2Pi = static_cast<float>(0.5 * M_2_SQRTPI * M_SQRT1_2);
    detail::forChunks(n, [&](size_t begin, size_t len) {
        const auto m = static_cast<Eigen::Index>(len);
        const ConstArrayMap x(in + begin, m);
        const ConstArrayMap dy(dout + begin, m);
        ArrayMap dx(din + begin, m);
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
    });
}

void tanhForward(float* out, const float* in, size_t n)
{
    detail::forChunks(n, [&](size_t begin, size_t len) {
        const auto m = static_cast<Eigen::Index>(len);
        ArrayMap(out + begin, m) = ConstArrayMap(in + begin, m).tanh();
    });
}

void tanhBackward(float* din, const float* dout, const float* out, size_t n)
{
    detail::forChunks(n, [&](size_t begin, size_t len) {
        const auto m = static_cast<Eigen::Index>(len);
        const ConstArrayMap y(out + begin, m);
        ArrayMap(din + begin, m) = ConstArrayMap(dout + begin, m) * (1.0f - y.square());
    });
}

} // namespace bertlab::layers
