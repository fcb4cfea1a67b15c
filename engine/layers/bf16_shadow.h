// Where a float32 parameter's bfloat16 twin lies: the weights training's --precision bf16 products read.
#pragma once

#include "bf16_gemm.h"
#include "error.h"

#include <cstddef>
#include <cstdint>

namespace bertlab::layers {

// A bfloat16 copy laid out as the float32 buffer it mirrors (training/bf16_parameter_copy.h), so
// a weight's twin is at the same offset. The owner keeps both alive and the copy current.
struct Bf16Shadow {
    const float* base = nullptr;   // the float32 buffer
    size_t count = 0;              // its floats
    const Bf16Bits* copy = nullptr;

    const Bf16Bits* of(const float* w) const
    {
        const auto at = reinterpret_cast<uintptr_t>(w), begin = reinterpret_cast<uintptr_t>(base);
        if (at < begin || at >= begin + count * sizeof(float))
            throw Error("bfloat16 training: a weight lies outside the parameter buffer it mirrors");
        return copy + (w - base);
    }
};

} // namespace bertlab::layers
