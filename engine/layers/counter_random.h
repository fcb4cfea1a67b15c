// A counter-based random stream for dropout and data order: the same (key, index) gives the same number on any thread.
#pragma once

#include <cstdint>

namespace bertlab::layers {

// Masks never depend on scheduling, and resuming a run needs no generator state.
uint64_t mixKey(uint64_t a, uint64_t b);
float uniformAt(uint64_t key, uint64_t index);  // [0, 1)

} // namespace bertlab::layers
