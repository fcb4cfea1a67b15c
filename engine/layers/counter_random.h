// A counter-based random stream for dropout and data order: the same (key, index) gives the same number on any thread.
#pragma once

#include <cstdint>

namespace bertlab::layers {

// Masks never depend on scheduling, and resuming a run needs no generator state. Inline, so the
// dropout loops that draw one number per element vectorise (dispatch.h).

// splitmix64's finaliser over (key, index): cheap, stateless and well mixed.
inline uint64_t mixKey(uint64_t a, uint64_t b)
{
    uint64_t z = a + 0x9E3779B97F4A7C15ull * (b + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// [0, 1)
inline float uniformAt(uint64_t key, uint64_t index)
{
    return static_cast<float>(mixKey(key, index) >> 40) * (1.0f / 16777216.0f);
}

} // namespace bertlab::layers
