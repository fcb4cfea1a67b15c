// expf, erff and tanhf as glibc's vector math library (libmvec) provides them, so loops that call them vectorise.
#pragma once

// glibc's <math.h> declares libmvec's SIMD variants only under -ffast-math. Declared here, GCC
// turns a loop over expf into calls of _ZGVbN4v_expf (SSE), _ZGVdN8v_expf (AVX2) or
// _ZGVeN16v_expf (AVX-512), matching the dispatched clone it compiles (dispatch.h); the engine
// links libmvec. The vector variants are as accurate as the scalar ones (within glibc's stated
// few-ULP bounds), and need -fno-math-errno, which the engine builds with.
#include <cmath>

extern "C" {
#pragma omp declare simd notinbranch
float expf(float) noexcept;
#pragma omp declare simd notinbranch
float erff(float) noexcept;
#pragma omp declare simd notinbranch
float tanhf(float) noexcept;
}
