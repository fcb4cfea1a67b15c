// LayerNorm over rows, with the residual add folded in, forward and backward.
#pragma once

namespace bertlab::layers {

// out[N, C] = (s - mean) · rstd · g + b with s = in + residual (residual may be null), torch's
// biased variance and eps inside the sqrt. out may alias in (the inference pass works in place).
// mean[N] and rstd[N] are kept for the backward when non-null.
void layerNormForward(float* out, float* mean, float* rstd, const float* in, const float* residual,
                      const float* g, const float* b, int N, int C, float eps);
// din[N, C] = dLoss/ds (added when `accumulate`); s is rebuilt from in and residual, and the
// residual's gradient is the same din. dg and db are added to (both null: skipped, for a pass
// that wants input gradients only).
void layerNormBackward(float* din, float* dg, float* db, const float* dout, const float* in,
                       const float* residual, const float* g, const float* mean, const float* rstd, int N,
                       int C, bool accumulate);

} // namespace bertlab::layers
