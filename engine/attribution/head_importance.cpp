// Head importance: the exact single-head ablation sweep (batched, sharing every unchanged prefix) and its gradient estimate.
#include "attribution/head_importance.h"

#include "attribution/target_gradient.h"
#include "bert_model.h"
#include "cancelled.h"
#include "error.h"
#include "faster_float_products.h"
#include "layers/dense.h"
#include "layers/embeddings.h"
#include "layers/encoder_layer.h"
#include "layers/pretraining_heads.h"
#include "layers/sequence_layout.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace bertlab {
namespace {

// Buffers of one encoder layer run over `rows` rows (inference: no statistics, no masks).
struct LayerScratch {
    std::vector<float> qkv, context, attended, inner, ffn;
    layers::EncoderLayerActs acts;
    LayerScratch(size_t rows, int H, int I)
        : qkv(rows * 3 * H), context(rows * H), attended(rows * H), inner(rows * I), ffn(rows * H)
    {
        acts.qkv = qkv.data();
        acts.context = context.data();
        acts.attended = acts.h1 = attended.data();
        acts.inter = acts.act = inner.data();
        acts.ffn = ffn.data();
    }
};

// The last layer where only row `r` of each of the S sequences (length T, back to back in x) is
// read afterwards (encoderLayerRowsForward: keys and values of every row, the rest at row r). out [S, H].
void lastLayerAtRow(float* out, const float* x, const layers::SequenceLayout& batch, int T, int r,
                    const layers::EncoderLayerOf<const float>& w, const BertConfig& c, const layers::LayerOptions& o,
                    LayerScratch& all, LayerScratch& few)
{
    const int S = batch.count(), H = c.hiddenSize;
    std::vector<int> rows(static_cast<size_t>(S));
    std::vector<float> xr(static_cast<size_t>(S) * H), probs(static_cast<size_t>(S) * c.numAttentionHeads * T);
    for (int s = 0; s < S; ++s) {
        rows[static_cast<size_t>(s)] = s * T + r;
        std::memcpy(xr.data() + static_cast<size_t>(s) * H, x + static_cast<size_t>(s * T + r) * H, sizeof(float) * H);
    }
    layers::EncoderLayerActs acts = few.acts;
    acts.qkv = all.qkv.data();  // every row's key and value
    acts.probs = probs.data();
    layers::encoderLayerRowsForward(out, x, xr.data(), rows.data(), S, acts, w, batch, c, o);
}

// log-probability of the target from final hidden rows [R, H] (the target's row of each pass).
std::vector<double> targetOfRows(const BertModel& model, const layers::BertParams& P, const ResolvedTarget& target,
                                 const std::vector<float>& rows, int R)
{
    const BertConfig& c = model.config();
    const int H = c.hiddenSize;
    std::vector<double> values(static_cast<size_t>(R));
    if (target.kind == AttributionTarget::Kind::NextSentence) {
        std::vector<float> pooled(static_cast<size_t>(R) * H), logits(static_cast<size_t>(R) * 2);
        layers::poolerForward(pooled.data(), pooled.data(), rows.data(), P.pooler, R, H);
        layers::nspForward(logits.data(), pooled.data(), P.nsp, R, H);
        for (int i = 0; i < R; ++i) {
            const double a = logits[2 * i], b = logits[2 * i + 1], m = std::max(a, b);
            values[static_cast<size_t>(i)] = a - m - std::log(std::exp(a - m) + std::exp(b - m));
        }
        return values;
    }
    const int V = c.vocabSize;
    std::vector<float> t(static_cast<size_t>(R) * H), logits(static_cast<size_t>(R) * V);
    layers::MlmHeadActs acts{t.data(), t.data(), t.data()};
    layers::mlmHeadForward(logits.data(), acts, rows.data(), P.mlm, R, c);
#pragma omp parallel for schedule(static)
    for (int i = 0; i < R; ++i) {
        const float* l = logits.data() + static_cast<size_t>(i) * V;
        const float mx = *std::max_element(l, l + V);
        double sum = 0.0;
        for (int v = 0; v < V; ++v) sum += std::exp(static_cast<double>(l[v]) - mx);
        values[static_cast<size_t>(i)] = static_cast<double>(l[target.tokenId]) - mx - std::log(sum);
    }
    return values;
}

HeadImportance sweep(const BertModel& model, const Encoding& input, HeadImportance out, std::stop_token stop,
                     const AttributionProgress& progress)
{
    const BertConfig& c = model.config();
    const int L = c.numHiddenLayers, heads = c.numAttentionHeads, H = c.hiddenSize, I = c.intermediateSize;
    const int d = H / heads, T = input.size(), S = heads;
    // Its batches of `heads` copies take the float32 library measured faster here, as the gradients do.
    const FloatProductsScope products(fasterFloatProducts(S * T, H, I));
    const int r = out.target.kind == AttributionTarget::Kind::NextSentence ? 0 : out.target.position;
    const layers::BertParams P = model.parameters();
    const size_t TH = static_cast<size_t>(T) * H;
    layers::LayerOptions options;
    options.stop = stop;
    if (progress) progress(0, L);

    // The intact pass, keeping every layer's input and attention context: a copy that ablates a
    // head of layer l shares everything before that layer's context with it.
    const layers::SequenceLayout one = layers::SequenceLayout::packed({T});
    std::vector<std::vector<float>> inputs(static_cast<size_t>(L) + 1, std::vector<float>(TH)),
        contexts(static_cast<size_t>(L), std::vector<float>(TH));
    {
        std::vector<float> sum(TH);
        layers::EmbeddingActs emb{sum.data()};
        layers::embeddingsForward(inputs[0].data(), emb, input.ids.data(), input.typeIds.data(), nullptr, one, H,
                                  P.embeddings, c.layerNormEps, 0.0f, 0);
        LayerScratch s(static_cast<size_t>(T), H, I);
        for (int l = 0; l < L; ++l) {
            s.acts.context = contexts[static_cast<size_t>(l)].data();
            layers::encoderLayerForward(inputs[l + 1].data(), inputs[l].data(), s.acts, P.layers[static_cast<size_t>(l)],
                                        one, c, options);
        }
    }
    // Final rows: [0] intact, then [1 + l·heads + h] with only head (l, h) ablated.
    const int R = 1 + L * heads;
    std::vector<float> finals(static_cast<size_t>(R) * H);
    std::memcpy(finals.data(), inputs[static_cast<size_t>(L)].data() + static_cast<size_t>(r) * H, sizeof(float) * H);

    const layers::SequenceLayout batch = layers::SequenceLayout::packed(std::vector<int>(static_cast<size_t>(S), T));
    LayerScratch all(static_cast<size_t>(S) * T, H, I), few(static_cast<size_t>(S), H, I);
    std::vector<float> x(static_cast<size_t>(S) * TH), residual(static_cast<size_t>(S) * TH);
    for (int l = 0; l < L; ++l) {
        if (stop.stop_requested()) throw Cancelled();
        const auto& w = P.layers;
        float* dst = finals.data() + (1 + static_cast<size_t>(l) * heads) * H;
        // Copy h's context of layer l is the intact one with head h's columns zeroed: what a zero
        // multiplier on its probabilities gives, with no q, k, v or attention to recompute.
        const bool last = l == L - 1;
        const int rows = last ? 1 : T;  // the last layer: only the target row is read afterwards
        for (int h = 0; h < S; ++h)
            for (int t = 0; t < rows; ++t) {
                const int src = last ? r : t;
                const size_t at = (static_cast<size_t>(h) * rows + t) * H;
                std::memcpy(all.context.data() + at, contexts[static_cast<size_t>(l)].data() + static_cast<size_t>(src) * H,
                            sizeof(float) * H);
                std::fill_n(all.context.data() + at + static_cast<size_t>(h) * d, d, 0.0f);
                std::memcpy(residual.data() + at, inputs[static_cast<size_t>(l)].data() + static_cast<size_t>(src) * H,
                            sizeof(float) * H);
            }
        if (last) {
            layers::encoderLayerOutputForward(dst, residual.data(), all.acts, w[static_cast<size_t>(l)], S, c, options);
        } else {
            layers::encoderLayerOutputForward(x.data(), residual.data(), all.acts, w[static_cast<size_t>(l)], S * T, c,
                                              options);
            for (int k = l + 1; k < L - 1; ++k)
                layers::encoderLayerForward(x.data(), x.data(), all.acts, w[static_cast<size_t>(k)], batch, c, options);
            lastLayerAtRow(dst, x.data(), batch, T, r, w[static_cast<size_t>(L - 1)], c, options, all, few);
        }
        if (progress) progress(l + 1, L);
    }
    if (stop.stop_requested()) throw Cancelled();
    const std::vector<double> values = targetOfRows(model, P, out.target, finals, R);
    out.target.logprob = values[0];
    out.importance.resize(static_cast<size_t>(L) * heads);
    for (int i = 0; i < L * heads; ++i) out.importance[static_cast<size_t>(i)] = values[0] - values[static_cast<size_t>(1 + i)];
    return out;
}

} // namespace

std::string_view importanceMethodName(ImportanceMethod method)
{
    return method == ImportanceMethod::Sweep ? "sweep" : "gradient";
}

std::optional<ImportanceMethod> parseImportanceMethod(std::string_view name)
{
    if (name == "sweep") return ImportanceMethod::Sweep;
    if (name == "gradient") return ImportanceMethod::Gradient;
    return std::nullopt;
}

HeadImportance headImportance(const BertModel& model, const Encoding& input, const AttributionTarget& target,
                              ImportanceMethod method, std::stop_token stop, const AttributionProgress& progress)
{
    HeadImportance out;
    out.method = method;
    out.layers = model.config().numHiddenLayers;
    out.heads = model.config().numAttentionHeads;
    out.target = nameTarget(model, input, target, stop);  // the passes below give its value
    if (method == ImportanceMethod::Sweep) return sweep(model, input, std::move(out), stop, progress);

    if (progress) progress(0, 1);
    TargetGradient pass(model, input, out.target, {}, stop);
    std::vector<double> values;
    pass.run(pass.wordVectors().data(), 1, values, true, true);
    out.target.logprob = values.front();
    const std::vector<float>& g = pass.headGradient();
    out.importance.assign(g.begin(), g.end());
    if (progress) progress(1, 1);
    return out;
}

} // namespace bertlab
