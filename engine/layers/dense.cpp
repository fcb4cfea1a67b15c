// Linear layers on sgemm (blas.h) or, for the preview pass, on oneDNN's bfloat16 product.
#include "layers/dense.h"

#include "bf16_linear.h"
#include "blas.h"
#include "layers/parallel_loops.h"
#include "openblas_library.h"

namespace bertlab::layers {

void denseForward(float* out, const float* in, const float* W, const float* b, int N, int C, int OC,
                  const Bf16Linear* fast, int ldo)
{
    if (ldo == 0) ldo = OC;
    if (N <= 0) return;
    if (fast)
        fast->apply(in, N, out, ldo);
    else
        matmulTransB(in, C, W, C, out, ldo, N, OC, C, b);
}

void denseBackward(float* din, float* dW, float* db, const float* dout, const float* in, const float* W,
                   int N, int C, int OC, bool accumulate, int lddout)
{
    if (lddout == 0) lddout = OC;
    if (din) sgemm(false, false, N, C, OC, 1.0f, dout, lddout, W, C, accumulate ? 1.0f : 0.0f, din, C);
    if (dW) sgemm(true, false, OC, C, N, 1.0f, dout, lddout, in, C, 1.0f, dW, C);
    if (db) detail::addColumnSums(db, dout, N, OC, lddout);
}

} // namespace bertlab::layers
