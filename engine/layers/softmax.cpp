// Row softmax on libmvec's vector expf; dispatched per CPU.
#include "layers/softmax.h"

#include "dispatch.h"
#include "layers/vector_math.h"

namespace bertlab::layers {

BERTLAB_DISPATCH
void softmaxRows(float* x, int rows, int cols, int ld)
{
    for (int r = 0; r < rows; ++r) {
        float* row = x + static_cast<size_t>(r) * ld;
        float mx = row[0];
#pragma omp simd reduction(max : mx)
        for (int c = 0; c < cols; ++c) mx = row[c] > mx ? row[c] : mx;
        float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
        for (int c = 0; c < cols; ++c) {
            row[c] = expf(row[c] - mx);
            sum += row[c];
        }
#pragma omp simd
        for (int c = 0; c < cols; ++c) row[c] /= sum;
    }
}

} // namespace bertlab::layers
