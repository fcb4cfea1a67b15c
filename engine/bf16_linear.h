// Linear layers packed as bfloat16 for oneDNN's native kernels (AMX, AVX-512 BF16): the fast pass.
#pragma once

#include "bert_weights.h"

#include <memory>
#include <optional>
#include <vector>

namespace bertlab {

// Whether oneDNN multiplies bfloat16 natively on this CPU (AMX or AVX-512 BF16). Elsewhere it
// would emulate the format, slower than the float32 sgemm it is meant to beat, so callers keep
// to float32.
bool nativeBfloat16Available();

// y = x·Wᵀ + b with W (and x, on the way in) rounded to bfloat16 and products summed in float32.
// Half the weight bytes of float32 and several times its multiply rate on AMX: a BERT-Base
// pass streams 215 MB instead of 430 MB.
class Bf16Linear {
public:
    // Stacks the layers along their outputs (query | key | value become one [3H, H] product) and
    // packs the result once into oneDNN's blocked layout. All must take the same input width.
    // Throws Error (one line) if the shapes disagree or oneDNN has no kernel for them.
    explicit Bf16Linear(const std::vector<const LinearWeights*>& stacked);
    Bf16Linear(Bf16Linear&&) noexcept;
    Bf16Linear& operator=(Bf16Linear&&) noexcept;
    ~Bf16Linear();

    int inputs() const;
    int outputs() const;

    // out[rows, outputs()] with row stride ldo = x[rows, inputs()] (contiguous) · Wᵀ + b.
    // Thread-safe. Throws Error if oneDNN fails.
    void apply(const float* x, int rows, float* out, int ldo) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The bfloat16 copies a BertModel keeps for Precision::Bfloat16 passes: every matrix a pass reads
// in full. The NSP head (2 x H) and the embeddings (rows are looked up, not multiplied) stay float32.
struct Bf16EncoderLayer {
    Bf16Linear qkv;             // query | key | value
    Bf16Linear attentionOutput;
    Bf16Linear intermediate;
    Bf16Linear output;
};

struct Bf16Weights {
    std::vector<Bf16EncoderLayer> layers;
    std::optional<Bf16Linear> pooler;
    std::optional<Bf16Linear> mlmTransform;
    std::optional<Bf16Linear> mlmDecoder;  // [V, H]: a copy even where the float32 one is tied
    int64_t bytes = 0;                      // of packed weights, for the memory figure
};

} // namespace bertlab
