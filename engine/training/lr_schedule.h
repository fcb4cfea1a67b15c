// The learning rate of each update: linear warmup, then linear decay to zero (transformers' schedule).
#pragma once

#include <cstdint>

namespace bertlab {

struct LinearWarmupSchedule {
    double peak = 1e-4;
    int64_t warmup = 10000;
    int64_t total = 1000000;

    // Update k (0-based): peak·k/warmup while k < warmup, then peak·(total−k)/(total−warmup), never < 0.
    double at(int64_t k) const;
};

} // namespace bertlab
