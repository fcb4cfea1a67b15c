// Linear layers (torch.nn.Linear) forward and backward, with bfloat16 products as options (preview pass, bf16 training).
#pragma once

namespace bertlab::layers {
struct Bf16Shadow;
}

namespace bertlab {
class Bf16Linear;
}

namespace bertlab::layers {

// out[N, OC] (row stride ldo; 0 = OC) = in[N, C] · W[OC, C]ᵀ + b[OC]; b may be null.
// `fast` set: its bfloat16 copy of W and b (bf16_linear.h) does the product - the explorer's
// preview pass - and W, b are not read. A stacked copy (query | key | value) writes all its
// outputs at once: OC is then the stacked width.
// `bf16` set (training in bfloat16): in and W's twin in it are multiplied as bfloat16, summed in
// float32; the bias is added in float32.
void denseForward(float* out, const float* in, const float* W, const float* b, int N, int C, int OC,
                  const Bf16Linear* fast = nullptr, int ldo = 0, const Bf16Shadow* bf16 = nullptr);
// din[N, C] = dout · W (added when `accumulate`; skipped when din is null); dW += doutᵀ · in
// (skipped when dW is null: an input-gradient-only pass); db += Σrows dout (skipped when db is null). dout has row stride lddout (0 = OC).
// `bf16` set: both products take bfloat16 factors (dout, in and W's twin) with float32 sums; db stays float32.
void denseBackward(float* din, float* dW, float* db, const float* dout, const float* in, const float* W,
                   int N, int C, int OC, bool accumulate, int lddout = 0, const Bf16Shadow* bf16 = nullptr);

} // namespace bertlab::layers
