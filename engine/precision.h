// How a pass or a training run multiplies matrices: float32, or bfloat16 factors with float32 sums.
#pragma once

#include <string>

namespace bertlab {

// How a pass multiplies: float32 (what PyTorch computes), or bfloat16 weights and matrix inputs
// with float32 sums, for a pass several times faster that agrees to about two decimal places.
enum class Precision { Float32, Bfloat16 };

// "f32" / "bf16": the command line's and the checkpoint's spelling.
inline const char* precisionName(Precision p)
{
    return p == Precision::Bfloat16 ? "bf16" : "f32";
}

// Throws Error (one line) for anything but f32 and bf16 (bertlab::Error is declared in error.h).
Precision parsePrecision(const std::string& name);

// Throws Error naming what is missing when this CPU has no native bfloat16 products (AVX-512
// BF16 or AMX): there oneDNN would emulate them, slower than float32.
void requireNativeBfloat16(const std::string& what);

} // namespace bertlab
