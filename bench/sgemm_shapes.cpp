// Float32 matrix products on BERT's shapes: the engine's OpenBLAS sgemm against oneDNN's sgemm and f32 matmul.
//
//   sgemm-shapes [--rounds R] [--min-ms MS] [--only inference|training]
//
// Prints a markdown table of GFLOP/s per shape (median over R rounds; within a round the three
// backends run back to back, so load from other processes hits all three alike). OpenBLAS reads its
// kernel choice only while it loads, so compare kernels by running the program again with
// OPENBLAS_CORETYPE set or unset (bench/sgemm_bench.sh does both).
#include "blas.h"
#include "openblas_library.h"

#include <oneapi/dnnl/dnnl.hpp>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace {

// c[M, N] = op(a) · op(b) (+ c when accumulate): the call as the engine makes it.
struct Shape {
    std::string name;
    int m, n, k;
    bool transA, transB;
    bool accumulate;  // beta = 1: bias written first (forward) or gradient summed (dW)
    bool perHead = false;  // one product per thread inside a parallel region, as attention runs them
};

std::vector<Shape> inferenceShapes()
{
    // BERT-Base, hidden 768, intermediate 3072, vocabulary 30522; rows = batch × sequence.
    std::vector<Shape> out;
    for (int batch : {1, 8})
        for (int t : {64, 128}) {
            const int rows = batch * t;
            const std::string tag = " b" + std::to_string(batch) + " T" + std::to_string(t);
            out.push_back({"QKV fused" + tag, rows, 2304, 768, false, true, true});
            out.push_back({"Q, K or V" + tag, rows, 768, 768, false, true, true});
            out.push_back({"attention out" + tag, rows, 768, 768, false, true, true});
            out.push_back({"FFN up" + tag, rows, 3072, 768, false, true, true});
            out.push_back({"FFN down" + tag, rows, 768, 3072, false, true, true});
        }
    // Attention, one (sequence, head) pair per OpenMP task: each product runs on one thread.
    for (int t : {64, 128}) {
        const std::string tag = " T" + std::to_string(t) + ", per head";
        out.push_back({"scores Q·Kᵀ" + tag, t, t, 64, false, true, false, true});
        out.push_back({"context P·V" + tag, t, 64, t, false, false, false, true});
    }
    // The MLM decoder over the masked positions only: one mask, a batch of 8 with one each, 15% of 128.
    for (int k : {1, 8, 19}) out.push_back({"MLM decoder k" + std::to_string(k), k, 30522, 768, false, true, true});
    return out;
}

std::vector<Shape> trainingShapes()
{
    // Mini (H 256, I 1024) and Tiny (H 128, I 512) at batch 32 × 128: N = 4096 rows; the MLM head
    // sees at most 20 masked positions per example (640 rows). Each layer: forward, din, dW.
    struct Linear {
        const char* name;
        int rows, in, out;
    };
    std::vector<Shape> shapes;
    for (auto [model, H, I] : {std::tuple{"Mini", 256, 1024}, std::tuple{"Tiny", 128, 512}}) {
        const Linear linears[] = {{"Q/K/V/out", 4096, H, H}, {"FFN up", 4096, H, I}, {"FFN down", 4096, I, H},
                                  {"MLM decoder", 640, H, 30522}};
        for (const Linear& l : linears) {
            const std::string base = std::string(model) + " " + l.name;
            shapes.push_back({base + " fwd", l.rows, l.out, l.in, false, true, true});
            shapes.push_back({base + " din", l.rows, l.in, l.out, false, false, false});
            shapes.push_back({base + " dW", l.out, l.in, l.rows, true, false, true});
        }
    }
    // Attention's backward per (sequence, head), head size 64, sequence 128.
    shapes.push_back({"dP = dC·Vᵀ per head", 128, 128, 64, false, true, false, true});
    shapes.push_back({"dV = Pᵀ·dC per head", 128, 64, 128, true, false, false, true});
    shapes.push_back({"dQ = dS·K per head", 128, 64, 128, false, false, false, true});
    return shapes;
}

struct Operands {
    std::vector<float> a, b, c;
    int lda, ldb, ldc;
};

Operands makeOperands(const Shape& s)
{
    std::mt19937 rng(12);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    Operands o;
    o.a.resize(size_t(s.m) * s.k);
    o.b.resize(size_t(s.k) * s.n);
    o.c.assign(size_t(s.m) * s.n, 0.0f);
    for (float& x : o.a) x = u(rng);
    for (float& x : o.b) x = u(rng);
    o.lda = s.transA ? s.m : s.k;
    o.ldb = s.transB ? s.k : s.n;
    o.ldc = s.n;
    return o;
}

// The f32 matmul primitive for the same call: strides express the transposes, a sum post-op beta = 1.
struct OneDnnMatmul {
    dnnl::engine engine{dnnl::engine::kind::cpu, 0};
    dnnl::stream stream{engine};
    dnnl::matmul primitive;
    dnnl::memory a, b, c;

    OneDnnMatmul(const Shape& s, Operands& o)
    {
        using dnnl::memory;
        const memory::desc aDesc({s.m, s.k}, memory::data_type::f32,
                                 s.transA ? memory::dims{1, o.lda} : memory::dims{o.lda, 1});
        const memory::desc bDesc({s.k, s.n}, memory::data_type::f32,
                                 s.transB ? memory::dims{1, o.ldb} : memory::dims{o.ldb, 1});
        const memory::desc cDesc({s.m, s.n}, memory::data_type::f32, memory::dims{o.ldc, 1});
        dnnl::primitive_attr attr;
        if (s.accumulate) {
            dnnl::post_ops ops;
            ops.append_sum(1.0f);
            attr.set_post_ops(ops);
        }
        primitive = dnnl::matmul(dnnl::matmul::primitive_desc(dnnl::matmul::desc(aDesc, bDesc, cDesc), attr, engine));
        a = memory(aDesc, engine, o.a.data());
        b = memory(bDesc, engine, o.b.data());
        c = memory(cDesc, engine, o.c.data());
    }
    void run()
    {
        primitive.execute(stream, {{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DST, c}});
        stream.wait();
    }
};

// GFLOP/s of one timed batch: at least minMs of calls, at least two.
double gflops(const Shape& s, const std::function<void()>& call, double minMs, int productsPerCall)
{
    using Clock = std::chrono::steady_clock;
    int calls = 0;
    const auto start = Clock::now();
    double ms = 0.0;
    do {
        call();
        ++calls;
        ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    } while (ms < minMs || calls < 2);
    return 2.0 * s.m * s.n * s.k * calls * productsPerCall / (ms * 1e6);
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t h = v.size() / 2;
    return v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

} // namespace

int main(int argc, char** argv)
{
    bertlab::initBlas();  // before any thread: it sets an environment variable
    int rounds = 5;
    double minMs = 40.0;
    std::string only;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--rounds" && i + 1 < argc) rounds = std::max(1, std::atoi(argv[++i]));
        else if (a == "--min-ms" && i + 1 < argc) minMs = std::atof(argv[++i]);
        else if (a == "--only" && i + 1 < argc) only = argv[++i];
        else {
            std::fprintf(stderr, "usage: %s [--rounds R] [--min-ms MS] [--only inference|training]\n", argv[0]);
            return 2;
        }
    }
    std::vector<Shape> shapes;
    if (only != "training") shapes = inferenceShapes();
    if (only != "inference")
        for (Shape& s : trainingShapes()) shapes.push_back(std::move(s));

    const char* coretype = std::getenv("OPENBLAS_CORETYPE");
    const dnnl_version_t* version = dnnl_version();
    std::printf("OpenBLAS kernel: %s (%s; OPENBLAS_CORETYPE %s), oneDNN %d.%d.%d (%s), %d threads, "
                "median of %d rounds\n\n",
                bertlab::blasInfo().coreName.c_str(), bertlab::blasInfo().coreSource.c_str(),
                coretype ? coretype : "unset", version->major, version->minor, version->patch,
                version->cpu_runtime == DNNL_RUNTIME_OMP ? "OpenMP" : "other runtime", bertlab::engineThreads(), rounds);
    std::printf("| shape | M × N × K | op | OpenBLAS GFLOP/s | oneDNN sgemm | oneDNN matmul "
                "| oneDNN sgemm / OpenBLAS |\n");
    std::printf("|---|---|---|---|---|---|---|\n");
    const int threads = bertlab::engineThreads();
    for (const Shape& s : shapes) {
        // Per-head products: a parallel loop over 96 (sequence, head) tasks (batch 8 × 12 heads), as the
        // engine runs them; each thread multiplies its own operands, each product single-threaded.
        const int copies = s.perHead ? threads : 1;
        const int tasks = s.perHead ? 96 : 1;
        std::vector<Operands> o;
        std::vector<OneDnnMatmul> matmuls;
        for (int i = 0; i < copies; ++i) o.push_back(makeOperands(s));
        for (int i = 0; i < copies; ++i) matmuls.emplace_back(s, o[static_cast<size_t>(i)]);
        const float beta = s.accumulate ? 1.0f : 0.0f;
        auto onEach = [&](const std::function<void(Operands&, OneDnnMatmul&)>& product) {
            if (!s.perHead) return product(o[0], matmuls[0]);
#pragma omp parallel for schedule(dynamic) num_threads(copies)
            for (int task = 0; task < tasks; ++task) {
                const auto mine = static_cast<size_t>(omp_get_thread_num());
                product(o[mine], matmuls[mine]);
            }
        };
        auto openblas = [&] {
            onEach([&](Operands& x, OneDnnMatmul&) {
                bertlab::sgemm(s.transA, s.transB, s.m, s.n, s.k, 1.0f, x.a.data(), x.lda, x.b.data(), x.ldb, beta,
                               x.c.data(), x.ldc);
            });
        };
        auto onednn = [&] {
            onEach([&](Operands& x, OneDnnMatmul&) {
                dnnl_sgemm(s.transA ? 'T' : 'N', s.transB ? 'T' : 'N', s.m, s.n, s.k, 1.0f, x.a.data(), x.lda,
                           x.b.data(), x.ldb, beta, x.c.data(), x.ldc);
            });
        };
        auto onednnMatmul = [&] { onEach([](Operands&, OneDnnMatmul& m) { m.run(); }); };
        openblas();  // warm-up: packing buffers, oneDNN's JIT kernels, thread pool
        onednn();
        onednnMatmul();
        std::vector<double> g[3];
        for (int r = 0; r < rounds; ++r) {
            g[0].push_back(gflops(s, openblas, minMs, tasks));
            g[1].push_back(gflops(s, onednn, minMs, tasks));
            g[2].push_back(gflops(s, onednnMatmul, minMs, tasks));
        }
        const double ob = median(g[0]), ds = median(g[1]), dm = median(g[2]);
        std::printf("| %s | %d × %d × %d | %s%s | %.1f | %.1f | %.1f | %.2f |\n", s.name.c_str(), s.m, s.n, s.k,
                    s.transA ? "Aᵀ" : "A", s.transB ? "·Bᵀ" : "·B", ob, ds, dm, ds / ob);
        std::fflush(stdout);
    }
    return 0;
}
