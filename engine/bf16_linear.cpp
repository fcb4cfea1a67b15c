// oneDNN matmul on packed bfloat16 weights, one cached primitive per recent input length; the rounding of inputs dispatched per CPU.
#include "bf16_linear.h"

#include "dispatch.h"
#include "error.h"
#include "onednn_engine.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bertlab {
namespace {

using dnnl::memory;
using Tag = memory::format_tag;
using Type = memory::data_type;

memory::desc sourceDesc(int rows, int inputs)
{
    return memory::desc({rows, inputs}, Type::bf16, Tag::ab);
}

memory::desc destinationDesc(int rows, int outputs, int ldo)
{
    return memory::desc({rows, outputs}, Type::f32, memory::dims{ldo, 1});
}

memory::desc biasDesc(int outputs)
{
    return memory::desc({1, outputs}, Type::f32, Tag::ab);
}

// Round to nearest even, as the hardware would; row blocks in parallel on long inputs.
BERTLAB_DISPATCH
void roundToBfloat16(Eigen::bfloat16* out, const float* x, int rows, int inputs)
{
    using Floats = Eigen::Map<const Eigen::Array<float, Eigen::Dynamic, 1>>;
    using Halves = Eigen::Map<Eigen::Array<Eigen::bfloat16, Eigen::Dynamic, 1>>;
#pragma omp parallel for schedule(static) if (rows >= 64)
    for (int r = 0; r < rows; ++r) {
        const Eigen::Index at = static_cast<Eigen::Index>(r) * inputs;
        Halves(out + at, inputs) = Floats(x + at, inputs).cast<Eigen::bfloat16>();
    }
}

} // namespace

bool nativeBfloat16Available()
{
    // Ask oneDNN which kernel it would pick for a BERT-shaped product: only its AMX and AVX-512
    // BF16 kernels beat float32; the others convert element by element.
    static const bool available = [] {
        try {
            const memory::desc weights({768, 768}, Type::bf16, Tag::any);
            const dnnl::matmul::primitive_desc pd(
                dnnl::matmul::desc(sourceDesc(64, 768), weights, destinationDesc(64, 768, 768)), cpuEngine());
            const std::string impl = pd.impl_info_str();
            return impl.find("amx") != std::string::npos || impl.find("bf16") != std::string::npos;
        } catch (const dnnl::error&) {
            return false;
        }
    }();
    return available;
}

constexpr int kRowTile = 16;  // rows of one AMX tile of bfloat16 inputs

struct Bf16Linear::Impl {
    int inputs = 0;
    int outputs = 0;
    memory::desc weightsDesc;
    memory weights;              // packed bfloat16, oneDNN's layout
    std::vector<float> bias;     // empty: no bias
    memory biasMemory;

    // Lengths are padded to whole tiles (see apply), so a few recent ones cover typing without
    // letting a long session collect a primitive (and its generated kernel) for every length.
    struct Cached {
        int rows;
        int ldo;
        dnnl::matmul primitive;
    };
    static constexpr size_t kCacheSize = 6;
    mutable std::mutex mutex;
    mutable std::vector<Cached> recent;  // most recent first

    dnnl::matmul primitiveFor(int rows, int ldo) const
    {
        {
            std::lock_guard lock(mutex);
            for (size_t i = 0; i < recent.size(); ++i) {
                if (recent[i].rows == rows && recent[i].ldo == ldo) {
                    std::rotate(recent.begin(), recent.begin() + static_cast<std::ptrdiff_t>(i),
                                recent.begin() + static_cast<std::ptrdiff_t>(i) + 1);
                    return recent.front().primitive;
                }
            }
        }
        const auto desc = bias.empty()
                              ? dnnl::matmul::desc(sourceDesc(rows, inputs), weightsDesc,
                                                   destinationDesc(rows, outputs, ldo))
                              : dnnl::matmul::desc(sourceDesc(rows, inputs), weightsDesc, biasDesc(outputs),
                                                   destinationDesc(rows, outputs, ldo));
        dnnl::matmul primitive(dnnl::matmul::primitive_desc(desc, cpuEngine()));
        std::lock_guard lock(mutex);
        recent.insert(recent.begin(), Cached{rows, ldo, primitive});
        if (recent.size() > kCacheSize)
            recent.pop_back();
        return primitive;
    }
};

Bf16Linear::Bf16Linear(const std::vector<const LinearWeights*>& stacked) : impl_(std::make_unique<Impl>())
{
    if (stacked.empty())
        throw Error("bfloat16 packing needs at least one layer");
    Impl& m = *impl_;
    m.inputs = static_cast<int>(stacked.front()->weight.cols());
    bool anyBias = false;
    for (const LinearWeights* w : stacked) {
        if (w->weight.empty() || w->weight.shape.size() != 2 || w->weight.cols() != m.inputs)
            throw Error("bfloat16 packing: layers of different input widths cannot be stacked");
        m.outputs += static_cast<int>(w->weight.rows());
        anyBias = anyBias || !w->bias.empty();
    }
    if (anyBias) {
        m.bias.assign(static_cast<size_t>(m.outputs), 0.0f);
        size_t at = 0;
        for (const LinearWeights* w : stacked) {
            if (!w->bias.empty()) {
                if (w->bias.numel() != w->weight.rows())
                    throw Error("bfloat16 packing: a bias does not match its layer's outputs");
                std::copy(w->bias.data, w->bias.data + w->bias.numel(), m.bias.begin() + static_cast<std::ptrdiff_t>(at));
            }
            at += static_cast<size_t>(w->weight.rows());
        }
    }

    // One stacked float32 copy only when there is something to stack; a single matrix (the 94 MB
    // decoder among them) is read where it lies.
    std::vector<float> joined;
    const float* source = stacked.front()->weight.data;
    if (stacked.size() > 1) {
        joined.reserve(static_cast<size_t>(m.outputs) * static_cast<size_t>(m.inputs));
        for (const LinearWeights* w : stacked)
            joined.insert(joined.end(), w->weight.data, w->weight.data + w->weight.numel());
        source = joined.data();
    }
    try {
        const dnnl::engine& engine = cpuEngine();
        // Weights are laid out [K, N] for oneDNN; torch's [N, K] rows are that matrix's columns.
        const memory::desc any({m.inputs, m.outputs}, Type::bf16, Tag::any);
        const dnnl::matmul::primitive_desc pd(
            dnnl::matmul::desc(sourceDesc(64, m.inputs), any, destinationDesc(64, m.outputs, m.outputs)), engine);
        m.weightsDesc = pd.weights_desc();
        memory plain({{m.inputs, m.outputs}, Type::f32, Tag::ba}, engine, const_cast<float*>(source));
        m.weights = memory(m.weightsDesc, engine);
        dnnl::stream stream(engine);
        dnnl::reorder(plain, m.weights).execute(stream, plain, m.weights);
        stream.wait();
        if (!m.bias.empty())
            m.biasMemory = memory(biasDesc(m.outputs), engine, m.bias.data());
    } catch (const dnnl::error& e) {
        throw Error("cannot pack a " + std::to_string(m.outputs) + " x " + std::to_string(m.inputs) +
                    " layer as bfloat16: " + e.what());
    }
}

Bf16Linear::Bf16Linear(Bf16Linear&&) noexcept = default;
Bf16Linear& Bf16Linear::operator=(Bf16Linear&&) noexcept = default;
Bf16Linear::~Bf16Linear() = default;

int Bf16Linear::inputs() const
{
    return impl_->inputs;
}

int Bf16Linear::outputs() const
{
    return impl_->outputs;
}

void Bf16Linear::apply(const float* x, int rows, float* out, int ldo) const
{
    if (rows <= 0)
        return;
    const Impl& m = *impl_;
    if (ldo < m.outputs)
        throw Error("bfloat16 product: an output row stride of " + std::to_string(ldo) + " is shorter than its " +
                    std::to_string(m.outputs) + " outputs");
    // Rows go in by whole 16-row tiles: a pass whose length is not a multiple of 16 after one
    // that was runs the AMX kernels' tail path cold, which measured up to 50 ms on 12 layers here.
    // The zero rows cost next to nothing, since the weights dominate.
    const int padded = (rows + kRowTile - 1) / kRowTile * kRowTile;
    Eigen::Array<Eigen::bfloat16, Eigen::Dynamic, 1> rounded(static_cast<Eigen::Index>(padded) * m.inputs);
    roundToBfloat16(rounded.data(), x, rows, m.inputs);
    rounded.tail(static_cast<Eigen::Index>(padded - rows) * m.inputs).setZero();
    // The padded product needs room for its extra rows; the caller's buffer has only `rows`.
    std::vector<float> spare;
    float* target = out;
    int ldTarget = ldo;
    if (padded != rows) {
        spare.resize(static_cast<size_t>(padded) * static_cast<size_t>(m.outputs));
        target = spare.data();
        ldTarget = m.outputs;
    }
    try {
        const dnnl::engine& engine = cpuEngine();
        const dnnl::matmul primitive = m.primitiveFor(padded, ldTarget);
        memory source(sourceDesc(padded, m.inputs), engine, rounded.data());
        memory destination(destinationDesc(padded, m.outputs, ldTarget), engine, target);
        dnnl::stream stream(engine);
        std::unordered_map<int, memory> args{
            {DNNL_ARG_SRC, source}, {DNNL_ARG_WEIGHTS, m.weights}, {DNNL_ARG_DST, destination}};
        if (!m.bias.empty())
            args.emplace(DNNL_ARG_BIAS, m.biasMemory);
        primitive.execute(stream, args);
        stream.wait();
    } catch (const dnnl::error& e) {
        throw Error(std::string("bfloat16 product failed: ") + e.what());
    }
    if (target != out)
        for (int r = 0; r < rows; ++r)
            std::copy_n(target + static_cast<size_t>(r) * m.outputs, m.outputs, out + static_cast<size_t>(r) * ldo);
}

} // namespace bertlab
