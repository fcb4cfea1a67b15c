// Which float32 product library runs a pass's shapes faster on this machine: measured once per shape class.
#pragma once

#include "openblas_library.h"

#include <string>

namespace bertlab {

// The library (openblas_library.h) that multiplies a pass of `rows` token rows through layers of
// width `hidden` and feed-forward width `intermediate` faster here. Neither wins everywhere: on a
// 64-row BERT-Base pass oneDNN's sgemm took 0.7x OpenBLAS's time on a Sapphire Rapids VM and 1.06x
// on an AMD EPYC one (docs/performance.md), so it is measured, not assumed: on first use of a
// class (up to 160 rows, or more; hidden; intermediate) both libraries time a feed-forward
// product forward and backward at 64 or 256 rows, alternately, best of five, and the answer is
// kept for the process (tens of milliseconds, once). OpenBLAS unless oneDNN is 3% faster. Under
// BERTLAB_SGEMM the library it forces, unmeasured. Thread-safe.
FloatProducts fasterFloatProducts(int rows, int hidden, int intermediate);

// What the measurements so far chose, e.g. "64 rows: oneDNN (1.42x OpenBLAS's speed)"; for benchmarks.
std::string fasterFloatProductsSummary();

} // namespace bertlab
