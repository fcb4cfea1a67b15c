// Linear warmup / linear decay learning rate.
#include "training/lr_schedule.h"

#include <algorithm>

namespace bertlab {

double LinearWarmupSchedule::at(int64_t k) const
{
    if (k < warmup) return peak * static_cast<double>(k) / static_cast<double>(warmup);
    if (total <= warmup) return 0.0;
    return peak * std::max(0.0, static_cast<double>(total - k) / static_cast<double>(total - warmup));
}

} // namespace bertlab
