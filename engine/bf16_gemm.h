// General bfloat16 matrix products through oneDNN (float32 sums and results): training's --precision bf16 products.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bertlab {

// A bfloat16 number as stored: the upper half of a float32's bits.
using Bf16Bits = uint16_t;

// out[rows, cols] (contiguous; [cols, rows] when `transpose`) = x[rows, cols] (row stride ldx)
// rounded to bfloat16, to nearest even. Throws Error if oneDNN fails.
void roundToBfloat16(Bf16Bits* out, const float* x, int rows, int cols, int ldx, bool transpose = false);

// The same for a flat array of n floats.
void roundToBfloat16(Bf16Bits* out, const float* x, size_t n);

// c[m, n] (row stride ldc) = a · b (+ c when `accumulate`) (+ bias[n] on every row when given),
// row-major: a is [m, k] (stored [k, m] when transA) with row stride lda, b is [k, n] (stored
// [n, k] when transB) with row stride ldb. Products of bfloat16 pairs summed in float32, on
// oneDNN's native kernels where the CPU has them (nativeBfloat16Available()).
void bf16Gemm(bool transA, bool transB, int m, int n, int k, const Bf16Bits* a, int lda, const Bf16Bits* b, int ldb,
              float* c, int ldc, bool accumulate, const float* bias = nullptr);

// oneDNN's name for the kernel bf16Gemm would run on these shapes (for tests and benchmarks:
// "ref" there means an emulated, slow product).
const char* bf16GemmKernel(bool transA, bool transB, int m, int n, int k);

} // namespace bertlab
