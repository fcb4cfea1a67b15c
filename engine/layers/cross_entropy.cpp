// Cross-entropy kernels: one row per OpenMP iteration, the loss summed in double in row order; dispatched per CPU.
#include "layers/cross_entropy.h"

#include "dispatch.h"
#include "layers/parallel_loops.h"
#include "layers/vector_math.h"

#include <Eigen/Core>

#include <cmath>
#include <vector>

namespace bertlab::layers {

BERTLAB_DISPATCH
double crossEntropyForward(float* logits, const int* targets, int N, int V, int* correct)
{
    std::vector<double> rowLoss(static_cast<size_t>(N), 0.0);
    std::vector<int> rowHit(static_cast<size_t>(N), 0);
#pragma omp parallel for schedule(static) if (detail::big(size_t(N) * V))
    for (int r = 0; r < N; ++r) {
        Eigen::Map<Eigen::ArrayXf> x(logits + static_cast<size_t>(r) * V, V);
        Eigen::Index arg = 0;
        const float mx = x.maxCoeff(&arg);
        const int t = targets[r];
        const double shiftedTarget = static_cast<double>(x[t]) - mx;
        float* row = x.data();
        double sum = 0.0;
#pragma omp simd reduction(+ : sum)
        for (int v = 0; v < V; ++v) {
            row[v] = expf(row[v] - mx);
            sum += row[v];
        }
        rowLoss[static_cast<size_t>(r)] = std::log(sum) - shiftedTarget;
        const float inv = static_cast<float>(1.0 / sum);
#pragma omp simd
        for (int v = 0; v < V; ++v) row[v] *= inv;
        rowHit[static_cast<size_t>(r)] = arg == t;
    }
    double total = 0.0;
    int hits = 0;
    for (int r = 0; r < N; ++r) {
        total += rowLoss[static_cast<size_t>(r)];
        hits += rowHit[static_cast<size_t>(r)];
    }
    if (correct) *correct = hits;
    return total;
}

BERTLAB_DISPATCH
void crossEntropyBackward(float* probs, const int* targets, int N, int V, float scale)
{
#pragma omp parallel for schedule(static) if (detail::big(size_t(N) * V))
    for (int r = 0; r < N; ++r) {
        float* g = probs + static_cast<size_t>(r) * V;
        g[targets[r]] -= 1.0f;
        for (int v = 0; v < V; ++v) g[v] *= scale;
    }
}

} // namespace bertlab::layers
