// Parsing a precision's name and refusing bfloat16 work on CPUs that would only emulate it.
#include "precision.h"

#include "bf16_linear.h"
#include "error.h"

namespace bertlab {

Precision parsePrecision(const std::string& name)
{
    if (name == "f32" || name == "float32") return Precision::Float32;
    if (name == "bf16" || name == "bfloat16") return Precision::Bfloat16;
    throw Error("unknown precision '" + name + "' (expected f32 or bf16)");
}

void requireNativeBfloat16(const std::string& what)
{
    if (!nativeBfloat16Available())
        throw Error(what + " needs a CPU with native bfloat16 (avx512_bf16 or amx_bf16), which this CPU lacks; use f32");
}

} // namespace bertlab
