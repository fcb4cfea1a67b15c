// BertLayer (self-attention, output, intermediate, output) forward and backward: the one encoder block inference and training both run.
#pragma once

#include "bert_config.h"
#include "layers/attention.h"
#include "layers/bert_parameters.h"
#include "layers/sequence_layout.h"

#include <cstdint>
#include <stop_token>

namespace bertlab {
struct Bf16EncoderLayer;
}

namespace bertlab::layers {

struct Bf16Shadow;

// One layer's activations. Training keeps a set per layer for the backward; the inference pass
// points one set of scratch buffers at every layer, leaves the statistics, masks and probs null
// and lets `act` alias `inter`. N rows, Tm = layout.longest().
struct EncoderLayerActs {
    float* qkv = nullptr;         // [N, 3H] query | key | value of each row
    float* probs = nullptr;       // [S, heads, Tm, Tm] attention probabilities; null = not kept
    uint8_t* probsDrop = nullptr;  // [S, heads, Tm, Tm]
    float* context = nullptr;     // [N, H] attention's weighted values
    float* attended = nullptr;    // [N, H] attention.output.dense(context), after dropout
    uint8_t* attendedDrop = nullptr;  // [N, H]
    float* h1 = nullptr;          // [N, H] attention.output.LayerNorm(attended + x); may alias attended
    float* h1Mean = nullptr;      // [N]
    float* h1Rstd = nullptr;      // [N]
    float* inter = nullptr;       // [N, I] intermediate.dense(h1)
    float* act = nullptr;         // [N, I] hidden_act(inter); may alias inter
    float* ffn = nullptr;         // [N, H] output.dense(act), after dropout
    uint8_t* ffnDrop = nullptr;   // [N, H]
    float* outMean = nullptr;     // [N]
    float* outRstd = nullptr;     // [N]
};

// What changes how a pass runs, not what it computes: dropout (training), the bfloat16 products
// (inference preview), cancellation (interactive callers), and the per-head multipliers.
struct LayerOptions {
    float hiddenDropout = 0.0f;
    float attentionDropout = 0.0f;
    uint64_t dropoutKey = 0;       // the pass's dropout key
    uint64_t dropoutSite = 0;      // this layer's first of three streams of that key
    // [heads] m(h) on this layer's attention probabilities (AttentionOptions::headMultiplier).
    const float* headMultiplier = nullptr;
    // Backward only: [heads] d loss / d m(h) added here (AttentionOptions::dHeadMultiplier); null = not wanted.
    float* dHeadMultiplier = nullptr;
    const Bf16EncoderLayer* fast = nullptr;  // bfloat16 copies of the layer's matrices
    // Training in bfloat16: the dense layers' products, forward and backward, on the weights'
    // bfloat16 twins; attention's per-head products, LayerNorm, GELU and dropout stay float32.
    const Bf16Shadow* bf16 = nullptr;
    std::stop_token stop;          // checked before each matrix product; throws Cancelled
};

// out[N, H] = BertLayer(x[N, H]); out may alias x (x is last read before out is written).
void encoderLayerForward(float* out, const float* x, EncoderLayerActs& acts, const EncoderLayerOf<const float>& w,
                         const SequenceLayout& layout, const BertConfig& config, const LayerOptions& options);

// The layer from acts.context on (attention output, residual LayerNorm, feed-forward): out[N, H]
// from the context and the layer's input x[N, H], row by row, so any subset of rows can run it
// (the head-importance sweep runs only the rows its target reads). out may alias x.
void encoderLayerOutputForward(float* out, const float* x, EncoderLayerActs& acts, const EncoderLayerOf<const float>& w,
                               int N, const BertConfig& config, const LayerOptions& options);

// The layer when only rows `rows` [R] of its output are read afterwards (attribution's last layer:
// the target's rows): keys and values of every row of x [N, H], the query, attention and the rest
// of the layer for those rows alone. xr [R, H]: those rows of x; out [R, H]. acts: qkv [N, 3H]
// gets every row's key and value and, in the query columns of its first R rows, the chosen rows'
// queries; probs [R, heads, Tm]; the others hold R rows. No dropout, no bfloat16 preview.
void encoderLayerRowsForward(float* out, const float* x, const float* xr, const int* rows, int R,
                             EncoderLayerActs& acts, const EncoderLayerOf<const float>& w, const SequenceLayout& layout,
                             const BertConfig& config, const LayerOptions& options);

// Scratch for the backward: [N, H] dA and dB, [N, I] dI, [N, 3H] dqkv.
struct EncoderLayerScratch {
    float *dA = nullptr, *dB = nullptr, *dI = nullptr, *dqkv = nullptr;
};

// dx [N, H]: dLoss/dout on the way in, dLoss/dx on the way out. Adds the layer's parameter
// gradients into g (null pointers in g are skipped: input gradients only). x and acts as the forward left them.
void encoderLayerBackward(float* dx, EncoderLayerOf<float>& g, const EncoderLayerScratch& scratch, const float* x,
                          const EncoderLayerActs& acts, const EncoderLayerOf<const float>& w,
                          const SequenceLayout& layout, const BertConfig& config, const LayerOptions& options);

// Backward of encoderLayerOutputForward over N rows: dx [N, H] dLoss/dout on the way in, the
// residual's share of dLoss/dx on the way out; leaves dLoss/d(context) in scratch.dA.
void encoderLayerOutputBackward(float* dx, EncoderLayerOf<float>& g, const EncoderLayerScratch& scratch, const float* x,
                                const EncoderLayerActs& acts, const EncoderLayerOf<const float>& w, int N,
                                const BertConfig& config, const LayerOptions& options);

// Backward of encoderLayerRowsForward: dr [R, H] dLoss/dout on the way in, the chosen rows' own
// share of dLoss/dx (residual and query) on the way out; dx [N, H] is overwritten with the share
// through keys and values, every row's. The caller adds dr into dx's rows.
void encoderLayerRowsBackward(float* dx, float* dr, EncoderLayerOf<float>& g, const EncoderLayerScratch& scratch,
                              const float* x, const float* xr, const int* rows, int R, const EncoderLayerActs& acts,
                              const EncoderLayerOf<const float>& w, const SequenceLayout& layout,
                              const BertConfig& config, const LayerOptions& options);

} // namespace bertlab::layers
