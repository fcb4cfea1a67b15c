// Times a few products of a run's feed-forward shape (sgemm or oneDNN bfloat16) for the run estimate.
#include "training/product_speed.h"

#include "bf16_gemm.h"
#include "bf16_linear.h"
#include "blas.h"
#include "openblas_library.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <omp.h>
#include <utility>
#include <vector>

namespace bertlab {
namespace {

double timeProducts(Precision precision, int m, int k, int n)
{
    std::vector<float> a(static_cast<size_t>(m) * k, 0.01f), b(static_cast<size_t>(n) * k, 0.02f);
    std::vector<float> c(static_cast<size_t>(m) * n);
    std::vector<Bf16Bits> a16, b16;
    if (precision == Precision::Bfloat16) {
        a16.resize(a.size());
        b16.resize(b.size());
        roundToBfloat16(b16.data(), b.data(), b.size());
    }
    auto once = [&] {
        if (precision == Precision::Bfloat16) {
            // A training product rounds its activations each time; the weights' copy is kept.
            roundToBfloat16(a16.data(), a.data(), m, k, k);
            bf16Gemm(false, true, m, n, k, a16.data(), k, b16.data(), k, c.data(), n, false);
        } else {
            // On the library training steps use (Trainer: FloatProducts::OneDnn).
            const FloatProductsScope products(FloatProducts::OneDnn);
            matmulTransB(a.data(), k, b.data(), k, c.data(), n, m, n, k);
        }
    };
    // One thread: on a machine busy with other work a team of threads waits a scheduler tick at
    // every barrier, which would make a short product look ten times slower than a training step's
    // mix of long ones runs; one thread's speed times the run's threads is the steadier guide.
    struct OneThread {
        const int threads = omp_get_max_threads();
        OneThread() { omp_set_num_threads(1); }
        ~OneThread() { omp_set_num_threads(threads); }  // also when a product throws
    } oneThread;
    once();  // the first call builds kernels and touches the buffers
    // The best of a few: the figure should not carry a moment's interruption.
    double best = 1e30;
    for (int round = 0; round < 3; ++round) {
        const auto start = std::chrono::steady_clock::now();
        once();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return 2.0 * m * k * n / std::max(best, 1e-9) / 1e9;
}

} // namespace

double measuredProductGflopsPerThread(Precision precision, int hidden)
{
    if (precision == Precision::Bfloat16 && !nativeBfloat16Available()) precision = Precision::Float32;
    hidden = std::clamp(hidden, 64, 512);
    static std::mutex mutex;
    static std::map<std::pair<Precision, int>, double> measured;
    std::lock_guard lock(mutex);
    const auto key = std::make_pair(precision, hidden);
    if (auto it = measured.find(key); it != measured.end()) return it->second;
    constexpr int kRows = 256;
    const double perThread = timeProducts(precision, kRows, hidden, 4 * hidden);
    measured.emplace(key, perThread);
    return perThread;
}

} // namespace bertlab
