// The machine's float32 multiply-add ceiling, one thread and all OpenMP threads: the roof the attribution bench measures against.
//
//   fma-peak [--rounds R]
//
// Prints {"isa", "threads", "one_thread_gflops", "all_threads_gflops", "rounds"}: the best of R rounds
// (default 5) of a loop of independent vector multiply-adds (12 chains, enough to cover the
// latency of two FMA ports), ~0.2 s each, as wide as the CPU offers (AVX-512, else AVX2 + FMA). No
// real product reaches it; bench/ig_roofline.py reads it to say what share of it a run achieved.
#include <omp.h>

#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

constexpr int kChains = 12;

// One body for both vector widths (V: the vector type, P: the intrinsics' prefix, W: lanes).
// Twelve named accumulators, not an array: at -O2 GCC leaves an array in memory and the loop then
// measures store forwarding, not the FMA ports. Distinct starting values, or the compiler folds the
// twelve chains into one. Returns the flops done; `sink` keeps the compiler from dropping the work.
#define BERTLAB_FMA_LOOP(V, P, W)                                                                          \
    {                                                                                                      \
        const V step = P##_set1_ps(1e-7f);                                                                 \
        V a0 = P##_set1_ps(1.0f), a1 = P##_add_ps(a0, step), a2 = P##_add_ps(a1, step),                    \
          a3 = P##_add_ps(a2, step), a4 = P##_add_ps(a3, step), a5 = P##_add_ps(a4, step),                 \
          a6 = P##_add_ps(a5, step), a7 = P##_add_ps(a6, step), a8 = P##_add_ps(a7, step),                 \
          a9 = P##_add_ps(a8, step), a10 = P##_add_ps(a9, step), a11 = P##_add_ps(a10, step);              \
        const V s = P##_set1_ps(0.999999f), t = P##_set1_ps(1e-7f);                                        \
        for (long it = 0; it < iterations; ++it)                                                           \
            a0 = P##_fmadd_ps(a0, s, t), a1 = P##_fmadd_ps(a1, s, t), a2 = P##_fmadd_ps(a2, s, t),         \
            a3 = P##_fmadd_ps(a3, s, t), a4 = P##_fmadd_ps(a4, s, t), a5 = P##_fmadd_ps(a5, s, t),         \
            a6 = P##_fmadd_ps(a6, s, t), a7 = P##_fmadd_ps(a7, s, t), a8 = P##_fmadd_ps(a8, s, t),         \
            a9 = P##_fmadd_ps(a9, s, t), a10 = P##_fmadd_ps(a10, s, t), a11 = P##_fmadd_ps(a11, s, t);     \
        const V sum = P##_add_ps(P##_add_ps(P##_add_ps(a0, a1), P##_add_ps(a2, a3)),                       \
                                 P##_add_ps(P##_add_ps(a4, a5), P##_add_ps(a6, a7)));                      \
        alignas(64) float lanes[W];                                                                        \
        P##_store_ps(lanes, P##_add_ps(sum, P##_add_ps(P##_add_ps(a8, a9), P##_add_ps(a10, a11))));        \
        for (float x : lanes) sink += x;                                                                   \
        return static_cast<double>(iterations) * kChains * W * 2;                                          \
    }

__attribute__((target("avx512f"))) double fmaLoopAvx512(long iterations, float& sink)
    BERTLAB_FMA_LOOP(__m512, _mm512, 16)

__attribute__((target("avx2,fma"))) double fmaLoopAvx2(long iterations, float& sink)
    BERTLAB_FMA_LOOP(__m256, _mm256, 8)

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

} // namespace

int main(int argc, char** argv)
{
    int rounds = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--rounds" && i + 1 < argc) rounds = std::max(1, std::atoi(argv[++i]));
        else {
            std::fprintf(stderr, "error: unknown option %s (usage: fma-peak [--rounds R])\n", argv[i]);
            return 1;
        }
    }
    __builtin_cpu_init();
    const bool avx512 = __builtin_cpu_supports("avx512f");
    if (!avx512 && !(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) {
        std::fprintf(stderr, "error: this CPU has neither AVX-512 nor AVX2 with FMA\n");
        return 1;
    }
    auto loop = [&](long n, float& sink) { return avx512 ? fmaLoopAvx512(n, sink) : fmaLoopAvx2(n, sink); };
    // ~0.2 s per round at 100 GFLOP/s per thread.
    const long iterations = avx512 ? 50'000'000 : 100'000'000;
    float sink = 0.0f;
    double one = 0.0, all = 0.0;
    const int threads = omp_get_max_threads();
    for (int r = 0; r < rounds; ++r) {
        auto start = std::chrono::steady_clock::now();
        const double flops = loop(iterations, sink);
        one = std::max(one, flops / seconds(start) / 1e9);
        start = std::chrono::steady_clock::now();
        double total = 0.0;
#pragma omp parallel reduction(+ : total, sink)
        total += loop(iterations, sink);
        all = std::max(all, total / seconds(start) / 1e9);  // the slowest thread sets the wall time
    }
    std::printf("{\"isa\": \"%s\", \"threads\": %d, \"one_thread_gflops\": %.1f, \"all_threads_gflops\": %.1f, "
                "\"rounds\": %d, \"sink\": %.3g}\n",
                avx512 ? "avx512f" : "avx2+fma", threads, one, all, rounds, static_cast<double>(sink));
    return 0;
}
