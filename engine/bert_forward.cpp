// BERT's inference forward pass: packed batch, sgemm (or bfloat16 oneDNN) for the matrix work, probes kept on request.
#include "bert_model.h"

#include "bf16_linear.h"
#include "blas.h"
#include "cancelled.h"
#include "error.h"

#include <unsupported/Eigen/SpecialFunctions>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace bertlab {
namespace {

using Array = Eigen::Map<Eigen::ArrayXf>;
using ConstArray = Eigen::Map<const Eigen::ArrayXf>;

// Sequences are packed back to back without padding: the matrix work then never touches a pad
// token, and attention runs per sequence on its own length, which is what the padding mask does.
struct Packing {
    std::vector<int> start;   // first row of each sequence
    std::vector<int> length;  // its valid tokens
    int rows = 0;
};

// x[r] = LayerNorm(x[r] (+ residual[r])) for every row; torch's biased variance, eps inside sqrt.
void addLayerNorm(float* x, const float* residual, int rows, int cols, const LayerNormWeights& w, float eps)
{
    const ConstArray gamma(w.weight.data, cols);
    const ConstArray beta(w.bias.data, cols);
#pragma omp parallel for schedule(static)
    for (int r = 0; r < rows; ++r) {
        Array v(x + static_cast<size_t>(r) * cols, cols);
        if (residual) v += ConstArray(residual + static_cast<size_t>(r) * cols, cols);
        const float mean = v.mean();
        v -= mean;
        const float inv = 1.0f / std::sqrt(v.square().mean() + eps);
        v = v * inv * gamma + beta;
    }
}

void activate(float* x, int64_t count, Activation act)
{
    const int threads = omp_get_max_threads();
    const int64_t chunk = (count + threads - 1) / threads;
#pragma omp parallel for schedule(static)
    for (int t = 0; t < threads; ++t) {
        const int64_t begin = t * chunk;
        const int64_t n = std::min<int64_t>(chunk, count - begin);
        if (n <= 0) continue;
        Array v(x + begin, n);
        switch (act) {
        case Activation::Gelu:
            v = 0.5f * v * (1.0f + (v * static_cast<float>(M_SQRT1_2)).erf());
            break;
        case Activation::GeluTanh: {
            const float c = std::sqrt(2.0f / static_cast<float>(M_PI));
            v = 0.5f * v * (1.0f + (c * (v + 0.044715f * v.cube())).tanh());
            break;
        }
        case Activation::Relu:
            v = v.max(0.0f);
            break;
        }
    }
}

void softmaxRow(float* row, int n)
{
    Array v(row, n);
    v = (v - v.maxCoeff()).exp();
    v /= v.sum();
}

// y[rows, out] = x[rows, in] · Wᵀ + b, on the bfloat16 copy when the pass has one
Matrix dense(const float* x, int rows, const LinearWeights& w, const Bf16Linear* fast = nullptr)
{
    const int out = static_cast<int>(w.weight.shape[0]);
    const int in = static_cast<int>(w.weight.shape[1]);
    Matrix y(rows, out);
    if (rows <= 0) return y;
    if (fast)
        fast->apply(x, rows, y.data(), out);
    else
        matmulTransB(x, in, w.weight.data, in, y.data(), out, rows, out, in, w.bias.data);
    return y;
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

void BertModel::fillMlm(const Matrix& rows, const std::vector<Trace*>& traces, const std::vector<int>& positions,
                        int lensLayers, const Probe& probe, const Bf16Weights* fast) const
{
    const BertConfig& c = config_;
    const int H = c.hiddenSize;
    const int V = c.vocabSize;
    const MlmHeadWeights& head = *weights_.mlm;
    const TensorView& decoder = head.decoderWeight.empty() ? weights_.embeddings.word : head.decoderWeight;
    const int batch = static_cast<int>(traces.size());
    const int count = static_cast<int>(positions.size());
    const int perBlock = batch * count;

    // One projection for the final rows and every logit-lens row together: with a row or two per
    // layer, sgemm would otherwise pack the whole V x H decoder (94 MB for BERT-Base) once per
    // layer, which cost more than the encoder itself.
    Matrix t = dense(rows.data(), static_cast<int>(rows.rows()), head.transform,
                     fast ? &*fast->mlmTransform : nullptr);
    activate(t.data(), t.size(), c.hiddenAct);
    addLayerNorm(t.data(), nullptr, static_cast<int>(t.rows()), H, head.norm, c.layerNormEps);
    Matrix logits(t.rows(), V);
    if (fast)
        fast->mlmDecoder->apply(t.data(), static_cast<int>(t.rows()), logits.data(), V);
    else
        matmulTransB(t.data(), H, decoder.data, H, logits.data(), V, static_cast<int>(t.rows()), V, H,
                     head.decoderBias.data);

    auto predictions = [&](const float* block) {
        std::vector<MaskedPrediction> out;
        std::vector<float> probs(static_cast<size_t>(V));
        for (int j = 0; j < count; ++j) {
            std::copy(block + static_cast<size_t>(j) * V, block + static_cast<size_t>(j + 1) * V, probs.begin());
            softmaxRow(probs.data(), V);
            out.push_back({positions[static_cast<size_t>(j)], topK(probs.data(), V, probe.topK, *vocab_)});
        }
        return out;
    };
    for (int n = 0; n < batch; ++n) {
        const float* mine = logits.data() + static_cast<size_t>(n) * count * V;
        if (probe.mlmLogits) traces[n]->mlmLogits = ConstMatrixMap(mine, count, V);
        traces[n]->mlm = predictions(mine);
        traces[n]->logitLens.clear();
        for (int l = 0; l < lensLayers; ++l)
            traces[n]->logitLens.push_back(
                predictions(logits.data() + (static_cast<size_t>(1 + l) * perBlock + static_cast<size_t>(n) * count) * V));
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
    const auto checkStop = [&stop] {
        if (stop.stop_requested())
            throw Cancelled();
    };
    const BertConfig& c = config_;
    const int H = c.hiddenSize;
    const int heads = c.numAttentionHeads;
    const int d = c.headSize();
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
    const Bf16Weights* fast = nullptr;
    if (precision == Precision::Bfloat16) {
        if (!bf16_)
            throw Error("a bfloat16 pass needs the model's bfloat16 weights (prepareBfloat16) first");
        fast = bf16_.get();
    }

    Packing pack;
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
        pack.start.push_back(pack.rows);
        pack.length.push_back(t);
        pack.rows += t;
    }
    const int rows = pack.rows;

    std::vector<Trace> traces(static_cast<size_t>(batch));
    for (int n = 0; n < batch; ++n) traces[n].length = pack.length[n];

    // ---- embeddings: x[rows, H] = word[id] + position[p] + type[t], then LayerNorm
    const EmbeddingWeights& emb = weights_.embeddings;
    Matrix x(rows, H);
    for (int n = 0; n < batch; ++n) {
        const Encoding& e = inputs[n];
        const int s = pack.start[n];
        for (int i = 0; i < pack.length[n]; ++i) {
            x.row(s + i) = ConstMatrixMap(emb.word.data + static_cast<size_t>(e.ids[i]) * H, 1, H) +
                           ConstMatrixMap(emb.position.data + static_cast<size_t>(i) * H, 1, H) +
                           ConstMatrixMap(emb.tokenType.data + static_cast<size_t>(e.typeIds[i]) * H, 1, H);
        }
        if (probe.embeddingParts) {
            EmbeddingParts parts;
            const int t = pack.length[n];
            parts.token.resize(t, H);
            parts.segment.resize(t, H);
            parts.position.resize(t, H);
            for (int i = 0; i < t; ++i) {
                parts.token.row(i) = ConstMatrixMap(emb.word.data + static_cast<size_t>(e.ids[i]) * H, 1, H);
                parts.segment.row(i) = ConstMatrixMap(emb.tokenType.data + static_cast<size_t>(e.typeIds[i]) * H, 1, H);
                parts.position.row(i) = ConstMatrixMap(emb.position.data + static_cast<size_t>(i) * H, 1, H);
            }
            parts.sum = x.middleRows(s, t);
            traces[n].embeddings = std::move(parts);
        }
    }
    addLayerNorm(x.data(), nullptr, rows, H, emb.norm, c.layerNormEps);

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
    for (int n = 0; n < batch; ++n)
        if (probe.embeddingParts) traces[n].embeddings->normalized = x.middleRows(pack.start[n], pack.length[n]);
    keepLayer(x);
    if (probe.attentions)
        for (auto& tr : traces) tr.attentions.resize(static_cast<size_t>(L));

    // ---- encoder
    const float scale = 1.0f / std::sqrt(static_cast<float>(d));
    Matrix context(rows, H);
    const int maxLen = *std::max_element(pack.length.begin(), pack.length.end());
    const int threads = omp_get_max_threads();
    std::vector<Matrix> scratch(static_cast<size_t>(threads), Matrix(maxLen, maxLen));
    // [rows, 3H]: each row is q | k | v of one token, written by three sgemms straight from the
    // mapped weights (a fused [3H, H] copy would cost 85 MB of RSS on BERT-Base for no gain).
    Matrix qkv(rows, 3 * H);
    for (int l = 0; l < L; ++l) {
        checkStop();
        const EncoderLayerWeights& lw = weights_.layers[l];
        const Bf16EncoderLayer* fastLayer = fast ? &fast->layers[static_cast<size_t>(l)] : nullptr;
        const LinearWeights* projections[3] = {&lw.query, &lw.key, &lw.value};
        if (fastLayer)
            fastLayer->qkv.apply(x.data(), rows, qkv.data(), 3 * H);
        else
            for (int i = 0; i < 3; ++i)
                matmulTransB(x.data(), H, projections[i]->weight.data, H, qkv.data() + i * H, 3 * H, rows, H, H,
                             projections[i]->bias.data);
        if (probe.attentions)
            for (int n = 0; n < batch; ++n) traces[n].attentions[l].assign(static_cast<size_t>(heads), Matrix());

        // One (sequence, head) pair per task; the sgemm calls inside run single-threaded there.
        const int tasks = batch * heads;
#pragma omp parallel for schedule(dynamic)
        for (int task = 0; task < tasks; ++task) {
            const int n = task / heads;
            const int h = task % heads;
            const int s = pack.start[n];
            const int t = pack.length[n];
            Matrix& scores = scratch[static_cast<size_t>(omp_get_thread_num())];
            float* sc = scores.data();
            const float* q = qkv.data() + static_cast<size_t>(s) * 3 * H + static_cast<size_t>(h) * d;
            const float* k = q + H;
            const float* v = q + 2 * H;
            matmulTransB(q, 3 * H, k, 3 * H, sc, t, t, t, d, nullptr, scale);
            for (int i = 0; i < t; ++i) softmaxRow(sc + static_cast<size_t>(i) * t, t);
            float* out = context.data() + static_cast<size_t>(s) * H + static_cast<size_t>(h) * d;
            matmul(sc, t, v, 3 * H, out, H, t, d, t);
            if (probe.attentions) traces[n].attentions[l][h] = ConstMatrixMap(sc, t, t);
        }

        checkStop();  // a few checks per layer: an interactive caller waits at most one matrix product
        Matrix attended = dense(context.data(), rows, lw.attentionOutput, fastLayer ? &fastLayer->attentionOutput : nullptr);
        addLayerNorm(attended.data(), x.data(), rows, H, lw.attentionNorm, c.layerNormEps);
        checkStop();
        Matrix inner = dense(attended.data(), rows, lw.intermediate, fastLayer ? &fastLayer->intermediate : nullptr);
        activate(inner.data(), inner.size(), c.hiddenAct);
        checkStop();
        x = dense(inner.data(), rows, lw.output, fastLayer ? &fastLayer->output : nullptr);
        addLayerNorm(x.data(), attended.data(), rows, H, lw.outputNorm, c.layerNormEps);
        keepLayer(x);
    }

    checkStop();
    // ---- pooler and NSP: [CLS] rows only
    if ((probe.nsp || probe.pooled) && weights_.pooler) {
        Matrix cls(batch, H);
        for (int n = 0; n < batch; ++n) cls.row(n) = x.row(pack.start[n]);
        Matrix pooled = dense(cls.data(), batch, *weights_.pooler, fast ? &*fast->pooler : nullptr);
        pooled = pooled.array().tanh().matrix();
        if (probe.pooled)
            for (int n = 0; n < batch; ++n) traces[n].pooled = pooled.row(n).transpose();
        if (probe.nsp) {
            const Matrix logits = dense(pooled.data(), batch, *weights_.nsp);
            for (int n = 0; n < batch; ++n) {
                NspResult r;
                r.logits[0] = logits(n, 0);
                r.logits[1] = logits(n, 1);
                const float m = std::max(r.logits[0], r.logits[1]);
                const float e0 = std::exp(r.logits[0] - m), e1 = std::exp(r.logits[1] - m);
                r.isNext = e0 / (e0 + e1);
                r.notNext = e1 / (e0 + e1);
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
        Matrix rows((1 + lensLayers) * perBlock, H);
        for (int n = 0; n < batch; ++n)
            for (int j = 0; j < positions; ++j)
                rows.row(n * positions + j) = x.row(pack.start[n] + probe.mlmPositions[j]);
        for (int l = 0; l < lensLayers; ++l)
            for (int n = 0; n < batch; ++n)
                rows.middleRows((1 + l) * perBlock + n * positions, positions) = lensRows[l][n];
        checkStop();
        std::vector<Trace*> targets;
        for (Trace& t : traces) targets.push_back(&t);
        fillMlm(rows, targets, probe.mlmPositions, lensLayers, probe, fast);
    }
    return traces;
}

} // namespace bertlab
