// BERT's inference pass: the engine's layer kernels (engine/layers/) over packed sequences, probes kept on request.
#include "bert_model.h"

#include "bf16_linear.h"
#include "cancelled.h"
#include "error.h"
#include "layers/embeddings.h"
#include "layers/encoder_layer.h"
#include "layers/pretraining_heads.h"
#include "layers/sequence_layout.h"
#include "layers/softmax.h"

#include <algorithm>
#include <numeric>

namespace bertlab {
namespace {

using layers::LinearOf;
using layers::NormOf;

LinearOf<const float> linearOf(const LinearWeights& w) { return {w.weight.data, w.bias.data}; }
NormOf<const float> normOf(const LayerNormWeights& w) { return {w.weight.data, w.bias.data}; }

// The loaded tensors as the kernels read them; heads the model lacks stay null.
layers::BertParams paramsOf(const BertWeights& w)
{
    layers::BertParams p;
    const EmbeddingWeights& e = w.embeddings;
    p.embeddings = {e.word.data, e.position.data, e.tokenType.data, normOf(e.norm)};
    for (const EncoderLayerWeights& l : w.layers)
        p.layers.push_back({linearOf(l.query), linearOf(l.key), linearOf(l.value), linearOf(l.attentionOutput),
                            normOf(l.attentionNorm), linearOf(l.intermediate), linearOf(l.output), normOf(l.outputNorm)});
    if (w.pooler) p.pooler = linearOf(*w.pooler);
    if (w.nsp) p.nsp = linearOf(*w.nsp);
    if (w.mlm) {
        const TensorView& decoder = w.mlm->decoderWeight.empty() ? e.word : w.mlm->decoderWeight;
        p.mlm = {linearOf(w.mlm->transform), normOf(w.mlm->norm), {decoder.data, w.mlm->decoderBias.data}};
    }
    return p;
}

std::vector<TokenGuess> topK(const float* probs, int vocabSize, int k, const Vocab& vocab)
{
    k = std::clamp(k, 1, vocabSize);
    std::vector<int> order(static_cast<size_t>(vocabSize));
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) {
        return probs[a] > probs[b] || (probs[a] == probs[b] && a < b);
    });
    std::vector<TokenGuess> guesses;
    guesses.reserve(static_cast<size_t>(k));
    for (int i = 0; i < k; ++i) {
        const int id = order[static_cast<size_t>(i)];
        guesses.push_back({id, id < vocab.size() ? vocab.token(id) : std::string("[?]"), probs[id]});
    }
    return guesses;
}

} // namespace

layers::BertParams BertModel::parameters() const { return paramsOf(weights_); }

void BertModel::fillMlm(const Matrix& rows, const std::vector<Trace*>& traces, const std::vector<int>& positions,
                        int lensLayers, const Probe& probe, const Bf16Weights* fast) const
{
    const BertConfig& c = config_;
    const int V = c.vocabSize;
    const int batch = static_cast<int>(traces.size());
    const int count = static_cast<int>(positions.size());
    const int perBlock = batch * count;

    // One projection for the final rows and every logit-lens row together: with a row or two per
    // layer, sgemm would otherwise pack the whole V x H decoder (94 MB for BERT-Base) once per
    // layer, which cost more than the encoder itself.
    const int n = static_cast<int>(rows.rows());
    Matrix t(n, c.hiddenSize);
    layers::MlmHeadActs acts{t.data(), t.data(), t.data()};
    Matrix logits(n, V);
    layers::MlmHeadFast products;
    if (fast) products = {&*fast->mlmTransform, &*fast->mlmDecoder};
    layers::mlmHeadForward(logits.data(), acts, rows.data(), parameters().mlm, n, c, products);

    auto predictions = [&](const float* block) {
        std::vector<MaskedPrediction> out;
        std::vector<float> probs(static_cast<size_t>(V));
        for (int j = 0; j < count; ++j) {
            std::copy(block + static_cast<size_t>(j) * V, block + static_cast<size_t>(j + 1) * V, probs.begin());
            layers::softmaxRows(probs.data(), 1, V, V);
            out.push_back({positions[static_cast<size_t>(j)], topK(probs.data(), V, probe.topK, *vocab_)});
        }
        return out;
    };
    for (int s = 0; s < batch; ++s) {
        const float* mine = logits.data() + static_cast<size_t>(s) * count * V;
        if (probe.mlmLogits) traces[s]->mlmLogits = ConstMatrixMap(mine, count, V);
        traces[s]->mlm = predictions(mine);
        traces[s]->logitLens.clear();
        for (int l = 0; l < lensLayers; ++l)
            traces[s]->logitLens.push_back(
                predictions(logits.data() + (static_cast<size_t>(1 + l) * perBlock + static_cast<size_t>(s) * count) * V));
    }
}

void BertModel::completeMlm(Trace& trace, const Probe& probe, std::stop_token stop) const
{
    if (probe.mlmPositions.empty()) return;
    if (!hasMlm())
        throw Error("this model has no masked-LM head (cls.predictions.* missing), so it cannot guess masked words");
    const int H = config_.hiddenSize;
    const auto& states = trace.hiddenStates;
    if (states.empty() || states.back().cols() != H)
        throw Error("this trace kept no hidden states, so its masked-LM guesses cannot be added afterwards");
    for (int p : probe.mlmPositions)
        if (p < 0 || p >= states.back().rows())
            throw Error("masked-LM position " + std::to_string(p) + " is outside the " +
                        std::to_string(states.back().rows()) + "-token input");
    const int count = static_cast<int>(probe.mlmPositions.size());
    const int lensLayers = probe.logitLens ? static_cast<int>(states.size()) : 0;
    Matrix rows((1 + lensLayers) * count, H);
    for (int j = 0; j < count; ++j)
        rows.row(j) = states.back().row(probe.mlmPositions[static_cast<size_t>(j)]);
    for (int l = 0; l < lensLayers; ++l)
        for (int j = 0; j < count; ++j)
            rows.row((1 + l) * count + j) = states[static_cast<size_t>(l)].row(probe.mlmPositions[static_cast<size_t>(j)]);
    if (stop.stop_requested()) throw Cancelled();
    fillMlm(rows, {&trace}, probe.mlmPositions, lensLayers, probe);
}

Trace BertModel::forward(const Encoding& input, const Probe& probe, std::stop_token stop, Precision precision) const
{
    std::vector<Encoding> one{input};
    return std::move(forwardBatch(one, probe, std::move(stop), precision).front());
}

std::vector<Trace> BertModel::forwardBatch(const std::vector<Encoding>& inputs, const Probe& probe,
                                           std::stop_token stop, Precision precision) const
{
    const BertConfig& c = config_;
    const int H = c.hiddenSize;
    const int heads = c.numAttentionHeads;
    const int L = c.numHiddenLayers;
    const int V = c.vocabSize;
    const int batch = static_cast<int>(inputs.size());
    if (batch == 0) return {};

    const bool wantMlm = !probe.mlmPositions.empty();
    if (wantMlm && !hasMlm())
        throw Error("this model has no masked-LM head (cls.predictions.* missing), so it cannot guess masked words");
    if (probe.nsp && !hasNsp())
        throw Error("this model has no next-sentence head (cls.seq_relationship.* missing)");
    if (probe.pooled && !weights_.pooler)
        throw Error("this model has no pooler (bert.pooler.dense missing)");
    if (!probe.headMultipliers.empty() && probe.headMultipliers.size() != static_cast<size_t>(L) * heads)
        throw Error("head multipliers need one value per layer and head (" + std::to_string(L * heads) + "), not " +
                    std::to_string(probe.headMultipliers.size()));
    const Bf16Weights* fast = nullptr;
    if (precision == Precision::Bfloat16) {
        if (!bf16_)
            throw Error("a bfloat16 pass needs the model's bfloat16 weights (prepareBfloat16) first");
        fast = bf16_.get();
    }

    // Sequences are packed back to back without padding: the matrix work then never touches a pad
    // token, and attention runs per sequence on its own length, which is what the padding mask does.
    std::vector<int> lengths, ids, types;
    for (const Encoding& e : inputs) {
        const int t = e.size();
        if (t == 0) throw Error("cannot run the model on an empty input");
        if (t > c.maxPositionEmbeddings)
            throw Error("input has " + std::to_string(t) + " tokens; this model takes at most " +
                        std::to_string(c.maxPositionEmbeddings));
        if (e.typeIds.size() != e.ids.size())
            throw Error("input has " + std::to_string(e.ids.size()) + " ids but " +
                        std::to_string(e.typeIds.size()) + " token type ids");
        for (int i = 0; i < t; ++i) {
            if (e.ids[i] < 0 || e.ids[i] >= V)
                throw Error("token id " + std::to_string(e.ids[i]) + " at position " + std::to_string(i) +
                            " is outside the vocabulary of " + std::to_string(V));
            if (e.typeIds[i] < 0 || e.typeIds[i] >= c.typeVocabSize)
                throw Error("token type id " + std::to_string(e.typeIds[i]) + " at position " + std::to_string(i) +
                            " is outside this model's " + std::to_string(c.typeVocabSize) + " segment types");
        }
        for (int p : probe.mlmPositions)
            if (p < 0 || p >= t)
                throw Error("masked-LM position " + std::to_string(p) + " is outside the " + std::to_string(t) +
                            "-token input");
        lengths.push_back(t);
        ids.insert(ids.end(), e.ids.begin(), e.ids.begin() + t);
        types.insert(types.end(), e.typeIds.begin(), e.typeIds.begin() + t);
    }
    const layers::SequenceLayout pack = layers::SequenceLayout::packed(lengths);
    const int rows = pack.rows;
    const layers::BertParams params = paramsOf(weights_);

    std::vector<Trace> traces(static_cast<size_t>(batch));
    for (int n = 0; n < batch; ++n) traces[n].length = pack.length[n];

    // ---- embeddings: x[rows, H] = LayerNorm(word[id] + position[p] + type[t])
    Matrix x(rows, H), sum(rows, H);
    layers::EmbeddingActs embedding{sum.data()};
    layers::embeddingsForward(x.data(), embedding, ids.data(), types.data(), nullptr, pack, H, params.embeddings,
                              c.layerNormEps, 0.0f, 0);
    if (probe.embeddingParts) {
        const EmbeddingWeights& emb = weights_.embeddings;
        for (int n = 0; n < batch; ++n) {
            const Encoding& e = inputs[n];
            const int s = pack.start[n], t = pack.length[n];
            EmbeddingParts parts;
            parts.token.resize(t, H);
            parts.segment.resize(t, H);
            parts.position.resize(t, H);
            for (int i = 0; i < t; ++i) {
                parts.token.row(i) = ConstMatrixMap(emb.word.data + static_cast<size_t>(e.ids[i]) * H, 1, H);
                parts.segment.row(i) = ConstMatrixMap(emb.tokenType.data + static_cast<size_t>(e.typeIds[i]) * H, 1, H);
                parts.position.row(i) = ConstMatrixMap(emb.position.data + static_cast<size_t>(i) * H, 1, H);
            }
            parts.sum = sum.middleRows(s, t);
            parts.normalized = x.middleRows(s, t);
            traces[n].embeddings = std::move(parts);
        }
    }

    // Hidden states at the asked positions of every layer, for the logit lens: [L+1][batch] of [P, H].
    std::vector<std::vector<Matrix>> lensRows;
    auto keepLayer = [&](const Matrix& h) {
        for (int n = 0; n < batch; ++n) {
            if (probe.hiddenStates) traces[n].hiddenStates.push_back(h.middleRows(pack.start[n], pack.length[n]));
        }
        if (probe.logitLens && wantMlm) {
            std::vector<Matrix> perSequence;
            for (int n = 0; n < batch; ++n) {
                Matrix r(static_cast<int>(probe.mlmPositions.size()), H);
                for (size_t j = 0; j < probe.mlmPositions.size(); ++j)
                    r.row(static_cast<int>(j)) = h.row(pack.start[n] + probe.mlmPositions[j]);
                perSequence.push_back(std::move(r));
            }
            lensRows.push_back(std::move(perSequence));
        }
    };
    keepLayer(x);
    if (probe.attentions)
        for (auto& tr : traces) tr.attentions.resize(static_cast<size_t>(L));

    // ---- encoder: one set of scratch buffers for every layer; the attention probabilities are
    // kept only when the probe asks for them. [rows, 3H] qkv: each row is q | k | v of one token.
    const int Tm = pack.longest();
    Matrix qkv(rows, 3 * H), context(rows, H), attended(rows, H), inner(rows, c.intermediateSize), ffn(rows, H);
    // Eigen's allocation: a fixed alignment keeps the softmax sums in the same order every pass.
    Eigen::ArrayXf probs(probe.attentions ? static_cast<Eigen::Index>(batch) * heads * Tm * Tm : 0);
    layers::EncoderLayerActs acts;
    acts.qkv = qkv.data();
    acts.probs = probe.attentions ? probs.data() : nullptr;
    acts.context = context.data();
    acts.attended = acts.h1 = attended.data();
    acts.inter = acts.act = inner.data();
    acts.ffn = ffn.data();
    for (int l = 0; l < L; ++l) {
        // The documented entry point of per-head interventions (ablation): m(l, h) multiplies the
        // attention probabilities of head h in layer l (layers::AttentionOptions::headMultiplier).
        const float* multiplier =
            probe.headMultipliers.empty() ? nullptr : probe.headMultipliers.data() + static_cast<size_t>(l) * heads;
        layers::LayerOptions options;
        options.headMultiplier = multiplier;
        options.fast = fast ? &fast->layers[static_cast<size_t>(l)] : nullptr;
        options.stop = stop;
        layers::encoderLayerForward(x.data(), x.data(), acts, params.layers[static_cast<size_t>(l)], pack, c, options);
        if (probe.attentions)
            for (int n = 0; n < batch; ++n) {
                auto& kept = traces[n].attentions[static_cast<size_t>(l)];
                kept.assign(static_cast<size_t>(heads), Matrix());
                const int t = pack.length[n];
                for (int h = 0; h < heads; ++h) {
                    // The trace shows the weights the values saw: the probabilities times m(l, h).
                    const float* p = probs.data() + (static_cast<size_t>(n) * heads + h) * Tm * Tm;
                    kept[static_cast<size_t>(h)] =
                        Eigen::Map<const Matrix, 0, Eigen::OuterStride<>>(p, t, t, Eigen::OuterStride<>(Tm)) *
                        (multiplier ? multiplier[h] : 1.0f);
                }
            }
        keepLayer(x);
    }

    if (stop.stop_requested()) throw Cancelled();
    // ---- pooler and NSP: [CLS] rows only
    if ((probe.nsp || probe.pooled) && weights_.pooler) {
        Matrix cls(batch, H), pooled(batch, H);
        for (int n = 0; n < batch; ++n) cls.row(n) = x.row(pack.start[n]);
        layers::poolerForward(pooled.data(), pooled.data(), cls.data(), params.pooler, batch, H,
                              fast ? &*fast->pooler : nullptr);
        if (probe.pooled)
            for (int n = 0; n < batch; ++n) traces[n].pooled = pooled.row(n).transpose();
        if (probe.nsp) {
            Matrix logits(batch, 2);
            layers::nspForward(logits.data(), pooled.data(), params.nsp, batch, H);
            Matrix p = logits;
            layers::softmaxRows(p.data(), batch, 2, 2);
            for (int n = 0; n < batch; ++n) {
                NspResult r;
                r.logits[0] = logits(n, 0);
                r.logits[1] = logits(n, 1);
                r.isNext = p(n, 0);
                r.notNext = p(n, 1);
                traces[n].nsp = r;
            }
        }
    }

    // ---- MLM head, paid only at the asked positions
    if (wantMlm) {
        // Final rows first, then every logit-lens layer: one projection for all of them (see
        // fillMlm), laid out [block][sequence][position].
        const int positions = static_cast<int>(probe.mlmPositions.size());
        const int perBlock = batch * positions;
        const int lensLayers = probe.logitLens ? static_cast<int>(lensRows.size()) : 0;
        Matrix stacked((1 + lensLayers) * perBlock, H);
        for (int n = 0; n < batch; ++n)
            for (int j = 0; j < positions; ++j)
                stacked.row(n * positions + j) = x.row(pack.start[n] + probe.mlmPositions[j]);
        for (int l = 0; l < lensLayers; ++l)
            for (int n = 0; n < batch; ++n)
                stacked.middleRows((1 + l) * perBlock + n * positions, positions) = lensRows[l][n];
        if (stop.stop_requested()) throw Cancelled();
        std::vector<Trace*> targets;
        for (Trace& t : traces) targets.push_back(&t);
        fillMlm(stacked, targets, probe.mlmPositions, lensLayers, probe, fast);
    }
    return traces;
}

} // namespace bertlab
