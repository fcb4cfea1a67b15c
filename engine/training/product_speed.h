// How fast this machine multiplies a training run's matrices: measured once, for the run estimate.
#pragma once

#include "precision.h"

namespace bertlab {

// GFLOP/s per thread of an encoder feed-forward product ([256, H] · [H, 4·H], H = hidden clamped
// to 64..512 so that timing never costs more than a few tens of milliseconds; larger products run
// at least as fast) in `precision`, timed on one thread. Timed on first use
// of a (precision, H) and remembered, so the new-run dialog can ask on every edit.
// bfloat16 on a CPU without native bfloat16 is measured as float32 (such a run is refused anyway).
double measuredProductGflopsPerThread(Precision precision, int hidden);

} // namespace bertlab
