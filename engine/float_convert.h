// Widening of the 16-bit float formats checkpoints use (IEEE half, bfloat16) to fp32, exactly.
#pragma once

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

// Narrowing to IEEE half, rounded to nearest with ties to even, as torch's .half() does; values
// from 65520 up become infinities. Plain integer code, so it needs no F16C instruction.
inline uint16_t floatToHalf(float value)
{
    const uint32_t bits = std::bit_cast<uint32_t>(value);
    const uint32_t sign = (bits >> 16) & 0x8000u;
    const uint32_t magnitude = bits & 0x7fffffffu;
    if (magnitude >= 0x7f800000u)  // inf stays inf, NaN stays a (quiet) NaN
        return static_cast<uint16_t>(sign | 0x7c00u | (magnitude > 0x7f800000u ? 0x200u : 0u));
    if (magnitude >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);
    if (magnitude >= 0x38800000u) {  // a normal half: rebias the exponent, round 13 dropped bits
        uint32_t h = (magnitude - 0x38000000u) >> 13;
        const uint32_t dropped = magnitude & 0x1fffu;
        if (dropped > 0x1000u || (dropped == 0x1000u && (h & 1u))) ++h;  // a carry lands in the exponent
        return static_cast<uint16_t>(sign | h);
    }
    if (magnitude < 0x33000000u) return static_cast<uint16_t>(sign);  // at most 2^-25: rounds to zero
    // A subnormal half counts units of 2^-24.
    const uint32_t exponent = magnitude >> 23;
    const uint32_t mantissa = (magnitude & 0x7fffffu) | 0x800000u;
    const uint32_t shift = 126u - exponent;
    uint32_t h = mantissa >> shift;
    const uint32_t dropped = mantissa & ((1u << shift) - 1u);
    const uint32_t halfway = 1u << (shift - 1u);
    if (dropped > halfway || (dropped == halfway && (h & 1u))) ++h;
    return static_cast<uint16_t>(sign | h);
}

} // namespace bertlab
