// Row softmax on Eigen's vectorised exp.
#include "layers/softmax.h"

#include <Eigen/Core>

namespace bertlab::layers {

void softmaxRows(float* x, int rows, int cols, int ld)
{
    for (int r = 0; r < rows; ++r) {
        Eigen::Map<Eigen::ArrayXf> v(x + static_cast<size_t>(r) * ld, cols);
        v = (v - v.maxCoeff()).exp();
        v /= v.sum();
    }
}

} // namespace bertlab::layers
