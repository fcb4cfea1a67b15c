// Precision (bert_model.h) by name, and the refusal of bfloat16 work on CPUs that would only emulate it.
#pragma once

#include "bert_model.h"  // enum class Precision, shared by inference passes and training runs

#include <string>

namespace bertlab {

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
