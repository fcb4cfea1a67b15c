// Inverted dropout with counter-based masks, forward and backward.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bertlab::layers {

// x *= keep / (1 - p) in place, keep ~ Bernoulli(1 - p) drawn from (key, i); the mask (1 = kept)
// is stored for the backward. p == 0 (evaluation, inference) leaves x and the mask untouched.
void dropoutForward(float* x, uint8_t* mask, size_t n, float p, uint64_t key);
// din may alias dout.
void dropoutBackward(float* din, const float* dout, const uint8_t* mask, size_t n, float p);

} // namespace bertlab::layers
