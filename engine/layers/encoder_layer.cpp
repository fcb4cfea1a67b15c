// The encoder block composed from the layer kernels, in Hugging Face's order.
#include "layers/encoder_layer.h"

#include "bf16_linear.h"
#include "cancelled.h"
#include "layers/activation.h"
#include "layers/counter_random.h"
#include "layers/dense.h"
#include "layers/dropout.h"
#include "layers/layer_norm.h"

namespace bertlab::layers {

namespace {

// Distinct dropout sites of a layer get distinct streams of the pass's key.
enum Site : uint64_t { kAttention = 0, kAttended = 1, kFfn = 2 };

uint64_t streamOf(const LayerOptions& o, Site site)
{
    return mixKey(o.dropoutKey, o.dropoutSite + site);
}

void checkStop(const std::stop_token& stop)
{
    if (stop.stop_requested()) throw Cancelled();
}

AttentionOptions attentionOptions(const EncoderLayerActs& a, const LayerOptions& o)
{
    return {o.headMultiplier, o.attentionDropout, streamOf(o, kAttention), a.probsDrop, o.dHeadMultiplier};
}

// How many of the projections from `first` on (query, key, value order) have their weights and
// biases back to back, as BertModel::packWeights lays them out: those run as one
// product of 2H or 3H outputs, one pass over the input (and, backward, one product with a longer
// sum) instead of two or three. Not under bf16, whose shadows are looked up per weight.
int adjacentProjections(const LinearOf<const float>* const* p, int count, int H, const LayerOptions& o)
{
    if (o.bf16) return 1;
    const size_t HH = static_cast<size_t>(H) * H;
    int n = 1;
    while (n < count && p[n]->weight && p[n]->bias && p[n - 1]->weight && p[n - 1]->bias &&
           p[n]->weight == p[n - 1]->weight + HH && p[n]->bias == p[n - 1]->bias + H)
        ++n;
    return n;
}

// out[:, first*H ...] = x · [W_first; ...]ᵀ + b for `count` of query, key, value (row stride 3H).
void projectionsForward(float* qkv, const float* x, int N, const EncoderLayerOf<const float>& w, int first, int count,
                        int H, const LayerOptions& o)
{
    const LinearOf<const float>* all[3] = {&w.query, &w.key, &w.value};
    const LinearOf<const float>* const* p = all + first;
    for (int i = 0; i < count;) {
        const int n = adjacentProjections(p + i, count - i, H, o);
        denseForward(qkv + static_cast<size_t>(first + i) * H, x, p[i]->weight, p[i]->bias, N, H, n * H, nullptr,
                     3 * H, o.bf16);
        i += n;
    }
}

// dx (+)= Σ dqkv[:, part] · W_part for `count` projections from `first`, with their weight and bias
// gradients where g has them. Adjacent projections share one product only in an input-gradient-
// only pass (attribution's): a pass that also wants their weight gradients takes them one by one.
void projectionsBackward(float* dx, bool accumulate, EncoderLayerOf<float>& g, const float* dqkv, const float* x,
                         int N, const EncoderLayerOf<const float>& w, int first, int count, int H, const LayerOptions& o)
{
    const LinearOf<const float>* all[3] = {&w.query, &w.key, &w.value};
    LinearOf<float>* grads[3] = {&g.query, &g.key, &g.value};
    bool inputOnly = true;
    for (int i = first; i < first + count; ++i) inputOnly = inputOnly && !grads[i]->weight && !grads[i]->bias;
    const LinearOf<const float>* const* p = all + first;
    for (int i = 0; i < count;) {
        const int n = inputOnly ? adjacentProjections(p + i, count - i, H, o) : 1;
        LinearOf<float>* gi = grads[first + i];
        denseBackward(dx, gi->weight, gi->bias, dqkv + static_cast<size_t>(first + i) * H, x, p[i]->weight, N, H, n * H,
                      accumulate || i > 0, 3 * H, o.bf16);
        i += n;
    }
}

} // namespace

void encoderLayerForward(float* out, const float* x, EncoderLayerActs& a, const EncoderLayerOf<const float>& w,
                         const SequenceLayout& layout, const BertConfig& c, const LayerOptions& o)
{
    const int N = layout.rows, H = c.hiddenSize;
    checkStop(o.stop);
    if (o.fast) {
        denseForward(a.qkv, x, nullptr, nullptr, N, H, 3 * H, &o.fast->qkv);
    } else {
        projectionsForward(a.qkv, x, N, w, 0, 3, H, o);
    }
    attentionForward(a.context, a.probs, a.qkv, a.qkv + H, a.qkv + 2 * H, 3 * H, layout, H, c.numAttentionHeads,
                     attentionOptions(a, o));
    encoderLayerOutputForward(out, x, a, w, N, c, o);
}

void encoderLayerOutputForward(float* out, const float* x, EncoderLayerActs& a, const EncoderLayerOf<const float>& w,
                               int N, const BertConfig& c, const LayerOptions& o)
{
    const int H = c.hiddenSize, I = c.intermediateSize;
    const size_t NH = static_cast<size_t>(N) * H;
    // A few checks per layer: an interactive caller waits at most one matrix product.
    checkStop(o.stop);
    denseForward(a.attended, a.context, w.attentionOutput.weight, w.attentionOutput.bias, N, H, H,
                 o.fast ? &o.fast->attentionOutput : nullptr, 0, o.bf16);
    dropoutForward(a.attended, a.attendedDrop, NH, o.hiddenDropout, streamOf(o, kAttended));
    layerNormForward(a.h1, a.h1Mean, a.h1Rstd, a.attended, x, w.attentionNorm.gamma, w.attentionNorm.beta, N, H,
                     c.layerNormEps);
    checkStop(o.stop);
    denseForward(a.inter, a.h1, w.intermediate.weight, w.intermediate.bias, N, H, I,
                 o.fast ? &o.fast->intermediate : nullptr, 0, o.bf16);
    activationForward(a.act, a.inter, static_cast<size_t>(N) * I, c.hiddenAct);
    checkStop(o.stop);
    denseForward(a.ffn, a.act, w.output.weight, w.output.bias, N, I, H, o.fast ? &o.fast->output : nullptr, 0, o.bf16);
    dropoutForward(a.ffn, a.ffnDrop, NH, o.hiddenDropout, streamOf(o, kFfn));
    layerNormForward(out, a.outMean, a.outRstd, a.ffn, a.h1, w.outputNorm.gamma, w.outputNorm.beta, N, H,
                     c.layerNormEps);
}

void encoderLayerRowsForward(float* out, const float* x, const float* xr, const int* rows, int R,
                             EncoderLayerActs& a, const EncoderLayerOf<const float>& w, const SequenceLayout& layout,
                             const BertConfig& c, const LayerOptions& o)
{
    const int N = layout.rows, H = c.hiddenSize;
    checkStop(o.stop);
    projectionsForward(a.qkv, x, N, w, 1, 2, H, o);  // keys and values of every row
    projectionsForward(a.qkv, xr, R, w, 0, 1, H, o);  // queries of the chosen rows
    rowAttentionForward(a.context, a.probs, a.qkv, 3 * H, a.qkv + H, a.qkv + 2 * H, 3 * H, rows, R, layout, H,
                        c.numAttentionHeads, o.headMultiplier);
    encoderLayerOutputForward(out, xr, a, w, R, c, o);
}

void encoderLayerOutputBackward(float* dx, EncoderLayerOf<float>& g, const EncoderLayerScratch& s, const float* x,
                                const EncoderLayerActs& a, const EncoderLayerOf<const float>& w, int N,
                                const BertConfig& c, const LayerOptions& o)
{
    const int H = c.hiddenSize, I = c.intermediateSize;
    const size_t NH = static_cast<size_t>(N) * H;
    checkStop(o.stop);
    // output.LayerNorm: dA = d(ffn + h1)
    layerNormBackward(s.dA, g.outputNorm.gamma, g.outputNorm.beta, dx, a.ffn, a.h1, w.outputNorm.gamma, a.outMean,
                      a.outRstd, N, H, false);
    // Without dropout its backward is the identity: read the gradient in place rather than copy it
    // (a single-threaded copy of every row, twice per layer: ~1% of an attribution run).
    const bool dropout = o.hiddenDropout > 0.0f;
    if (dropout) dropoutBackward(s.dB, s.dA, a.ffnDrop, NH, o.hiddenDropout);
    denseBackward(s.dI, g.output.weight, g.output.bias, dropout ? s.dB : s.dA, a.act, w.output.weight, N, I, H, false,
                  0, o.bf16);
    activationBackward(s.dI, s.dI, a.inter, static_cast<size_t>(N) * I, c.hiddenAct);
    // h1 feeds both the intermediate layer and the residual: their gradients add in dA.
    denseBackward(s.dA, g.intermediate.weight, g.intermediate.bias, s.dI, a.h1, w.intermediate.weight, N, H, I, true, 0,
                  o.bf16);
    // attention.output.LayerNorm: dx = d(attended + x), the residual's share of dx
    layerNormBackward(dx, g.attentionNorm.gamma, g.attentionNorm.beta, s.dA, a.attended, x, w.attentionNorm.gamma,
                      a.h1Mean, a.h1Rstd, N, H, false);
    if (dropout) dropoutBackward(s.dB, dx, a.attendedDrop, NH, o.hiddenDropout);
    denseBackward(s.dA, g.attentionOutput.weight, g.attentionOutput.bias, dropout ? s.dB : dx, a.context,
                  w.attentionOutput.weight, N, H, H, false, 0, o.bf16);
}

void encoderLayerBackward(float* dx, EncoderLayerOf<float>& g, const EncoderLayerScratch& s, const float* x,
                          const EncoderLayerActs& a, const EncoderLayerOf<const float>& w,
                          const SequenceLayout& layout, const BertConfig& c, const LayerOptions& o)
{
    const int N = layout.rows, H = c.hiddenSize;
    encoderLayerOutputBackward(dx, g, s, x, a, w, N, c, o);
    checkStop(o.stop);
    attentionBackward(s.dqkv, s.dqkv + H, s.dqkv + 2 * H, 3 * H, s.dA, a.probs, a.qkv, a.qkv + H, a.qkv + 2 * H,
                      3 * H, layout, H, c.numAttentionHeads, attentionOptions(a, o));
    projectionsBackward(dx, true, g, s.dqkv, x, N, w, 0, 3, H, o);
}

void encoderLayerRowsBackward(float* dx, float* dr, EncoderLayerOf<float>& g, const EncoderLayerScratch& s,
                              const float* x, const float* xr, const int* rows, int R, const EncoderLayerActs& a,
                              const EncoderLayerOf<const float>& w, const SequenceLayout& layout, const BertConfig& c,
                              const LayerOptions& o)
{
    const int N = layout.rows, H = c.hiddenSize;
    encoderLayerOutputBackward(dr, g, s, xr, a, w, R, c, o);
    checkStop(o.stop);
    // The chosen rows' query gradients sit in the query columns of dqkv's first R rows.
    rowAttentionBackward(s.dqkv, 3 * H, s.dqkv + H, s.dqkv + 2 * H, 3 * H, s.dA, a.probs, a.qkv, 3 * H, a.qkv + H,
                         a.qkv + 2 * H, 3 * H, rows, R, layout, H, c.numAttentionHeads, o.headMultiplier,
                         o.dHeadMultiplier);
    projectionsBackward(dx, false, g, s.dqkv, x, N, w, 1, 2, H, o);
    projectionsBackward(dr, true, g, s.dqkv, xr, R, w, 0, 1, H, o);
}

} // namespace bertlab::layers
