// Rounding a parameter buffer to bfloat16 in one oneDNN reorder.
#include "training/bf16_parameter_copy.h"

#include "error.h"
#include "training/parameter_buffer.h"

namespace bertlab {

Bf16ParameterCopy::Bf16ParameterCopy(const ParameterBuffer& params)
{
    refresh(params);
}

void Bf16ParameterCopy::refresh(const ParameterBuffer& params)
{
    if (copy_.size() != params.size()) copy_.resize(params.size());
    roundToBfloat16(copy_.data(), params.data(), params.size());
    shadow_ = {params.data(), params.size(), copy_.data()};
}

} // namespace bertlab
