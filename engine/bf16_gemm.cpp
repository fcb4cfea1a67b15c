// oneDNN matmul and reorder on plain (strided) bfloat16 matrices, primitives kept per shape.
#include "bf16_gemm.h"

#include "error.h"
#include "onednn_engine.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <compare>
#include <map>
#include <string>
#include <unordered_map>

namespace bertlab {
namespace {

using dnnl::memory;
using Type = memory::data_type;

// A row-major [rows, cols] view of a buffer stored [rows, cols] (or [cols, rows] when transposed).
memory::desc viewDesc(int rows, int cols, int ld, bool transposed, Type type)
{
    return transposed ? memory::desc({rows, cols}, type, memory::dims{1, ld})
                      : memory::desc({rows, cols}, type, memory::dims{ld, 1});
}

struct Descs {
    memory::desc a, b, c, bias;
};

Descs descsOf(bool transA, bool transB, int m, int n, int k, int lda, int ldb, int ldc)
{
    return {viewDesc(m, k, lda, transA, Type::bf16), viewDesc(k, n, ldb, transB, Type::bf16),
            viewDesc(m, n, ldc, false, Type::f32), memory::desc({1, n}, Type::f32, memory::dims{n, 1})};
}

dnnl::matmul::primitive_desc matmulOf(const Descs& d, bool accumulate, bool bias)
{
    dnnl::primitive_attr attr;
    if (accumulate) {
        dnnl::post_ops ops;
        ops.append_sum(1.0f);
        attr.set_post_ops(ops);
    }
    const auto desc = bias ? dnnl::matmul::desc(d.a, d.b, d.bias, d.c) : dnnl::matmul::desc(d.a, d.b, d.c);
    return dnnl::matmul::primitive_desc(desc, attr, cpuEngine());
}

// oneDNN's own cache keeps the JIT kernels but not the primitive descriptors, whose creation
// (a search over every implementation) costs as much as a small product: a training step makes
// thousands of calls on a few dozen shapes, so the ready primitives are kept here, per shape and
// per thread: whether one primitive may run on two threads at once depends on how oneDNN was built
// (its scratchpad policy), so no primitive is shared.
template <class Key, class Primitive>
class PrimitiveCache {
public:
    template <class Make>
    Primitive get(const Key& key, Make make)
    {
        if (auto it = map_.find(key); it != map_.end()) return it->second;
        // Shapes that vary step to step (the masked rows of a batch) must not grow it without bound.
        if (map_.size() >= kCapacity) map_.clear();
        return map_.emplace(key, make()).first->second;
    }

private:
    static constexpr size_t kCapacity = 512;
    std::map<Key, Primitive> map_;
};

struct ReorderKey {
    int rows, cols, ldx;
    bool transpose;
    auto operator<=>(const ReorderKey&) const = default;
};

struct MatmulKey {
    int m, n, k, lda, ldb, ldc;
    bool transA, transB, accumulate, bias;
    auto operator<=>(const MatmulKey&) const = default;
};

// A stream per thread: oneDNN streams are not to be shared between threads, and making one per
// call costs more than a small reorder.
dnnl::stream& threadStream()
{
    thread_local dnnl::stream stream(cpuEngine());
    return stream;
}

void reorder(const ReorderKey& key, memory::desc from, const float* x, memory::desc to, Bf16Bits* out)
{
    thread_local PrimitiveCache<ReorderKey, dnnl::reorder> cache;
    try {
        const dnnl::engine& engine = cpuEngine();
        memory src(from, engine, const_cast<float*>(x));
        memory dst(to, engine, out);
        const dnnl::reorder primitive = cache.get(key, [&] { return dnnl::reorder(src, dst); });
        dnnl::stream& stream = threadStream();
        primitive.execute(stream, src, dst);
        stream.wait();
    } catch (const dnnl::error& e) {
        throw Error(std::string("rounding to bfloat16 failed: ") + e.what());
    }
}

} // namespace

void roundToBfloat16(Bf16Bits* out, const float* x, int rows, int cols, int ldx, bool transpose)
{
    if (rows <= 0 || cols <= 0) return;
    const memory::desc to = transpose ? viewDesc(rows, cols, rows, true, Type::bf16)
                                      : viewDesc(rows, cols, cols, false, Type::bf16);
    reorder({rows, cols, ldx, transpose}, viewDesc(rows, cols, ldx, false, Type::f32), x, to, out);
}

void roundToBfloat16(Bf16Bits* out, const float* x, size_t n)
{
    // Rows of 2^20 keep every dimension far inside int.
    constexpr size_t kRow = size_t(1) << 20;
    const size_t whole = n / kRow;
    if (whole > 0) roundToBfloat16(out, x, static_cast<int>(whole), static_cast<int>(kRow), static_cast<int>(kRow));
    if (n % kRow) roundToBfloat16(out + whole * kRow, x + whole * kRow, 1, static_cast<int>(n % kRow), static_cast<int>(n % kRow));
}

void bf16Gemm(bool transA, bool transB, int m, int n, int k, const Bf16Bits* a, int lda, const Bf16Bits* b, int ldb,
              float* c, int ldc, bool accumulate, const float* bias)
{
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        // An empty sum: what sgemm leaves (c, or zeros, plus the bias).
        for (int i = 0; i < m; ++i)
            for (int j = 0; j < n; ++j)
                c[static_cast<size_t>(i) * ldc + j] = (accumulate ? c[static_cast<size_t>(i) * ldc + j] : 0.0f) + (bias ? bias[j] : 0.0f);
        return;
    }
    try {
        const dnnl::engine& engine = cpuEngine();
        thread_local PrimitiveCache<MatmulKey, dnnl::matmul> cache;
        const Descs d = descsOf(transA, transB, m, n, k, lda, ldb, ldc);
        const MatmulKey key{m, n, k, lda, ldb, ldc, transA, transB, accumulate, bias != nullptr};
        const dnnl::matmul primitive = cache.get(key, [&] { return dnnl::matmul(matmulOf(d, accumulate, bias != nullptr)); });
        std::unordered_map<int, memory> args{{DNNL_ARG_SRC, memory(d.a, engine, const_cast<Bf16Bits*>(a))},
                                             {DNNL_ARG_WEIGHTS, memory(d.b, engine, const_cast<Bf16Bits*>(b))},
                                             {DNNL_ARG_DST, memory(d.c, engine, c)}};
        if (bias) args.emplace(DNNL_ARG_BIAS, memory(d.bias, engine, const_cast<float*>(bias)));
        dnnl::stream& stream = threadStream();
        primitive.execute(stream, args);
        stream.wait();
    } catch (const dnnl::error& e) {
        throw Error("bfloat16 product of " + std::to_string(m) + " x " + std::to_string(k) + " by " + std::to_string(k) +
                    " x " + std::to_string(n) + " failed: " + e.what());
    }
}

const char* bf16GemmKernel(bool transA, bool transB, int m, int n, int k)
{
    static thread_local std::string name;
    try {
        const int lda = transA ? m : k, ldb = transB ? k : n;
        name = matmulOf(descsOf(transA, transB, m, n, k, lda, ldb, n), false, false).impl_info_str();
    } catch (const dnnl::error& e) {
        name = std::string("none: ") + e.what();
    }
    return name.c_str();
}

} // namespace bertlab
