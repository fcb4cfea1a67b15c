// Global L2-norm gradient clipping, as torch.nn.utils.clip_grad_norm_.
#pragma once

#include <cstddef>

namespace bertlab {

// Returns the L2 norm of grads[0, n) before clipping (computed in double, thread-count independent)
// and scales grads by maxNorm / (norm + 1e-6) when that is below 1. A non-finite norm is returned
// untouched so the caller can stop the run.
double clipGradientNorm(float* grads, size_t n, double maxNorm);

} // namespace bertlab
