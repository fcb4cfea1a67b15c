// BERTLAB_DISPATCH: compiles a hot loop for the baseline, AVX2 and AVX-512 and picks one when the program loads.
#pragma once

// The package is built for plain x86-64 (SSE2) so it runs on every amd64 CPU (CMakeLists.txt).
// GCC's target_clones compiles a function marked with this three times — baseline,
// x86-64-v3 (AVX2, FMA) and x86-64-v4 (AVX-512) — and binds the call, through a glibc ifunc, to
// the best one this CPU runs, once, at load time. The marked functions are the engine's own
// elementwise loops and reductions (softmax, LayerNorm, GELU, dropout, AdamW, ...); the matrix
// products are OpenBLAS's and oneDNN's, which choose their kernels at run time themselves.
//
// How to mark a loop so the clones really differ:
// - Mark the function that holds the loop. An OpenMP region written inside a marked function is
//   cloned with it; a region inside a helper template (layers::detail::forChunks) or a lambda
//   is not, so such a helper calls a marked function per chunk instead.
// - Plain loops are what the clones widen (GCC's vectoriser at -O3); a float sum vectorises only
//   under `#pragma omp simd reduction(...)`, as the order of its additions then changes. Eigen
//   chooses its packet width from the compiler flags, not the clone, so Eigen expressions inside
//   a marked function stay 4 floats wide; exp, erf and tanh come from glibc's libmvec instead
//   (layers/vector_math.h), whose SSE, AVX2 and AVX-512 variants each clone calls.
// Clang (the fuzzing build) and other targets get the plain function.
// A build with -DBERTLAB_DISPATCH=OFF (the sanitizer build) also gets the plain function.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && !defined(BERTLAB_NO_DISPATCH)
#define BERTLAB_DISPATCH __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define BERTLAB_DISPATCH
#endif
