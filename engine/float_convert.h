// Widening of the 16-bit float formats checkpoints use (IEEE half, bfloat16) to fp32, exactly.
#pragma once

#include <immintrin.h>

#include <bit>
#include <cstdint>

namespace bertlab {

inline float bfloat16ToFloat(uint16_t bits)
{
    return std::bit_cast<float>(static_cast<uint32_t>(bits) << 16);
}

inline float halfToFloat(uint16_t h)
{
    uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    uint32_t exponent = (h >> 10) & 0x1fu;
    uint32_t mantissa = h & 0x3ffu;
    uint32_t bits;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13);  // inf / NaN, payload kept
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112u) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else {
        // Subnormal half: renormalise into fp32's wider exponent range.
        int e = -1;
        do {
            mantissa <<= 1;
            ++e;
        } while (!(mantissa & 0x400u));
        bits = sign | static_cast<uint32_t>(112 - e) << 23 | ((mantissa & 0x3ffu) << 13);
    }
    return std::bit_cast<float>(bits);
}

// Narrowing to IEEE half, rounded to nearest even (F16C, part of the x86-64-v3 baseline);
// values past half's range become infinities.
inline uint16_t floatToHalf(float value)
{
    return static_cast<uint16_t>(_cvtss_sh(value, _MM_FROUND_TO_NEAREST_INT));
}

} // namespace bertlab
