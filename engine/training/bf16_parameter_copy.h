// The bfloat16 twin of a training run's float32 parameters, refreshed after every update: what --precision bf16 multiplies by.
#pragma once

#include "bf16_gemm.h"
#include "layers/bf16_shadow.h"
#include "training/aligned_buffer.h"

namespace bertlab {

class ParameterBuffer;

// Every parameter rounded to bfloat16 in the float32 buffer's layout. Only the matrices the dense
// layers multiply are read; copying all of it in one pass keeps the offsets trivially the same
// and costs a fraction of one training step (2 bytes per parameter).
class Bf16ParameterCopy {
public:
    // Rounds `params` now; refresh() after each change of them (an optimizer update, a load).
    explicit Bf16ParameterCopy(const ParameterBuffer& params);
    void refresh(const ParameterBuffer& params);

    // Where each weight's twin lies; valid while this copy and the buffer it mirrors live.
    layers::Bf16Shadow shadow() const { return shadow_; }
    size_t bytes() const { return copy_.size() * sizeof(Bf16Bits); }

private:
    AlignedVector<Bf16Bits> copy_;
    layers::Bf16Shadow shadow_;
};

} // namespace bertlab
