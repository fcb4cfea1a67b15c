// oneDNN matmul and reorder on plain (strided) bfloat16 matrices; oneDNN caches the primitives per shape.
#include "bf16_gemm.h"

#include "error.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <string>
#include <unordered_map>

namespace bertlab {
namespace {

using dnnl::memory;
using Type = memory::data_type;

const dnnl::engine& cpuEngine()
{
    static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

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

void reorder(memory::desc from, const float* x, memory::desc to, Bf16Bits* out)
{
    try {
        const dnnl::engine& engine = cpuEngine();
        memory src(from, engine, const_cast<float*>(x));
        memory dst(to, engine, out);
        dnnl::stream stream(engine);
        dnnl::reorder(src, dst).execute(stream, src, dst);
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
    reorder(viewDesc(rows, cols, ldx, false, Type::f32), x, to, out);
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
        const Descs d = descsOf(transA, transB, m, n, k, lda, ldb, ldc);
        const dnnl::matmul primitive(matmulOf(d, accumulate, bias != nullptr));
        std::unordered_map<int, memory> args{{DNNL_ARG_SRC, memory(d.a, engine, const_cast<Bf16Bits*>(a))},
                                             {DNNL_ARG_WEIGHTS, memory(d.b, engine, const_cast<Bf16Bits*>(b))},
                                             {DNNL_ARG_DST, memory(d.c, engine, c)}};
        if (bias) args.emplace(DNNL_ARG_BIAS, memory(d.bias, engine, const_cast<float*>(bias)));
        dnnl::stream stream(engine);
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
