// The pretraining forward/backward of BertForPreTraining over one contiguous parameter buffer.
#include "training/training_model.h"

#include "cancelled.h"
#include "error.h"
#include "layers/counter_random.h"
#include "layers/cross_entropy.h"
#include "layers/embeddings.h"
#include "layers/encoder_layer.h"
#include "layers/pretraining_heads.h"
#include "openblas_library.h"

#include <algorithm>
#include <cstring>

namespace bertlab {

namespace {

template <typename Buffer>
void grow(Buffer& v, size_t n)
{
    if (v.size() < n) v.resize(n);
}

// Distinct dropout sites get distinct streams of the pass's key: the embeddings one, every
// layer four from kLayerBase on (encoder_layer.cpp uses three).
enum Site : uint64_t { kEmbedding = 1, kLayerBase = 16 };

// The parameters (F = const float) or gradients (F = float) of the buffer at `base`, by layout.
template <typename F>
layers::BertOf<F> viewOf(F* base, const ParameterLayout& Lo)
{
    layers::BertOf<F> v;
    v.embeddings = {base + Lo.wordEmb, base + Lo.posEmb, base + Lo.typeEmb, {base + Lo.embLnG, base + Lo.embLnB}};
    for (const LayerOffsets& o : Lo.layers) {
        layers::EncoderLayerOf<F> l;
        l.query = {base + o.qW, base + o.qB};
        l.key = {base + o.kW, base + o.kB};
        l.value = {base + o.vW, base + o.vB};
        l.attentionOutput = {base + o.aoW, base + o.aoB};
        l.attentionNorm = {base + o.aln1G, base + o.aln1B};
        l.intermediate = {base + o.iW, base + o.iB};
        l.output = {base + o.oW, base + o.oB};
        l.outputNorm = {base + o.ln2G, base + o.ln2B};
        v.layers.push_back(l);
    }
    // A classifier's layout lacks some heads: their views stay null.
    const auto at = [base](size_t offset) -> F* { return offset == ParameterLayout::kAbsent ? nullptr : base + offset; };
    v.pooler = {at(Lo.poolerW), at(Lo.poolerB)};
    v.nsp = {at(Lo.nspW), at(Lo.nspB)};
    if (Lo.mlmDenseW != ParameterLayout::kAbsent)
        v.mlm = {{at(Lo.mlmDenseW), at(Lo.mlmDenseB)}, {at(Lo.mlmLnG), at(Lo.mlmLnB)},
                 {base + Lo.wordEmb, at(Lo.mlmBias)}};  // the decoder is tied to the word embeddings
    return v;
}

} // namespace

TrainingModel::TrainingModel(const BertConfig& config) : config_(config)
{
    config_.validate();
    hiddenDropout_ = config_.hiddenDropoutProb;
    attentionDropout_ = config_.attentionDropoutProb;
    inputs_.resize(static_cast<size_t>(config_.numHiddenLayers) + 1);
    acts_.resize(static_cast<size_t>(config_.numHiddenLayers));
}

void TrainingModel::setHeadMultipliers(std::vector<float> multipliers)
{
    const size_t want = static_cast<size_t>(config_.numHiddenLayers) * config_.numAttentionHeads;
    if (!multipliers.empty() && multipliers.size() != want)
        throw Error("head multipliers need one value per layer and head (" + std::to_string(want) + "), not " +
                    std::to_string(multipliers.size()));
    headMultipliers_ = std::move(multipliers);
}

void TrainingModel::reserve(int B, int T, int M)
{
    const size_t N = static_cast<size_t>(B) * T, H = config_.hiddenSize, I = config_.intermediateSize,
                 V = config_.vocabSize, heads = config_.numAttentionHeads;
    if (static_cast<int>(N) > capN_ || B > capB_ || T > capT_) {
        capN_ = std::max<int>(capN_, static_cast<int>(N));
        capB_ = std::max(capB_, B);
        capT_ = std::max(capT_, T);
        const size_t n = static_cast<size_t>(capN_);
        const size_t probs = static_cast<size_t>(capB_) * heads * capT_ * capT_;
        grow(embSum_, n * H), grow(embMean_, n), grow(embRstd_, n), grow(embMask_, n * H);
        for (auto& x : inputs_) grow(x, n * H);
        for (auto& a : acts_) {
            grow(a.qkv, n * 3 * H);
            for (auto* v : {&a.context, &a.attended, &a.h1, &a.ffn}) grow(*v, n * H);
            for (auto* v : {&a.h1Mean, &a.h1Rstd, &a.outMean, &a.outRstd}) grow(*v, n);
            grow(a.inter, n * I), grow(a.act, n * I), grow(a.probs, probs);
            grow(a.attendedDrop, n * H), grow(a.ffnDrop, n * H), grow(a.probsDrop, probs);
        }
        for (auto* v : {&dx_, &dA_, &dB_}) grow(*v, n * H);
        grow(dqkv_, n * 3 * H);
        grow(dI_, n * I);
        const size_t b = static_cast<size_t>(capB_);
        for (auto* v : {&cls_, &poolPre_, &pooled_, &dCls_, &dPool_}) grow(*v, b * H);
        grow(nspProbs_, b * 2);
    }
    if (M > capM_) {
        capM_ = M;
        const size_t m = static_cast<size_t>(M);
        for (auto* v : {&mlmIn_, &mlmPre_, &mlmAct_, &mlmNorm_, &dM1_, &dM2_}) grow(*v, m * H);
        grow(mlmMean_, m), grow(mlmRstd_, m), grow(mlmProbs_, m * V);
    }
}

size_t TrainingModel::activationBytes() const
{
    size_t bytes = 0;
    const auto add = [&bytes](const auto& v) { bytes += v.size() * sizeof(v[0]); };
    for (const auto* v : {&embSum_, &embMean_, &embRstd_, &cls_, &poolPre_, &pooled_, &nspProbs_, &mlmIn_, &mlmPre_,
                          &mlmAct_, &mlmNorm_, &mlmMean_, &mlmRstd_, &mlmProbs_, &dx_, &dA_, &dB_, &dqkv_, &dI_,
                          &dM1_, &dM2_, &dCls_, &dPool_})
        add(*v);
    add(embMask_);
    for (const auto& x : inputs_) add(x);
    for (const auto& a : acts_) {
        for (const auto* v : {&a.qkv, &a.probs, &a.context, &a.attended, &a.h1, &a.h1Mean, &a.h1Rstd, &a.inter,
                              &a.act, &a.ffn, &a.outMean, &a.outRstd})
            add(*v);
        for (const auto* v : {&a.probsDrop, &a.attendedDrop, &a.ffnDrop}) add(*v);
    }
    return bytes;
}

namespace {

// dst [R, H] = the rows `rows` of src [N, H].
void gatherRows(float* dst, const float* src, const std::vector<int>& rows, int H)
{
    for (size_t i = 0; i < rows.size(); ++i)
        std::memcpy(dst + i * H, src + static_cast<size_t>(rows[i]) * H, sizeof(float) * H);
}

layers::EncoderLayerActs actsOf(auto& a)
{
    return {a.qkv.data(),     a.probs.data(), a.probsDrop.data(), a.context.data(), a.attended.data(),
            a.attendedDrop.data(), a.h1.data(), a.h1Mean.data(), a.h1Rstd.data(), a.inter.data(),
            a.act.data(),     a.ffn.data(),   a.ffnDrop.data(),   a.outMean.data(), a.outRstd.data()};
}

} // namespace

std::vector<int> TrainingModel::lastLayerRows(const TrainingBatch& batch) const
{
    std::vector<int> rows;
    const bool mlmOnly = lossHeads_ == LossHeads::MaskedLm, nspOnly = lossHeads_ == LossHeads::NextSentence;
    if (!lastLayerOnLossRows_ || pHidden_ > 0.0f || pAttention_ > 0.0f || bf16_ || (!mlmOnly && !nspOnly))
        return rows;
    if (mlmOnly)
        rows = batch.maskedRows;
    else
        for (int b = 0; b < batch.batchSize; ++b) rows.push_back(b * batch.seqLength);
    // Each row once (its gradient is gathered once), and every one a real token, or the whole layer runs.
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    if (std::any_of(rows.begin(), rows.end(), [this](int r) { return layout_.sequenceOf(r) < 0; })) rows.clear();
    return rows;
}

layers::LayerOptions TrainingModel::layerOptions(int layer) const
{
    layers::LayerOptions o;
    o.hiddenDropout = pHidden_;
    o.attentionDropout = pAttention_;
    o.dropoutKey = dropoutKey_;
    o.dropoutSite = kLayerBase + 4 * static_cast<uint64_t>(layer);
    if (!headMultipliers_.empty())
        o.headMultiplier = headMultipliers_.data() + static_cast<size_t>(layer) * config_.numAttentionHeads;
    o.stop = stop_;
    o.bf16 = bf16_ ? &*bf16_ : nullptr;
    return o;
}

LossStats TrainingModel::forward(const ParameterBuffer& params, const TrainingBatch& batch, uint64_t dropoutKey,
                                 bool train)
{
    const BertConfig& c = config_;
    const BertConfig& pc = params.config();
    if (pc.hiddenSize != c.hiddenSize || pc.vocabSize != c.vocabSize || pc.numHiddenLayers != c.numHiddenLayers ||
        pc.intermediateSize != c.intermediateSize || pc.maxPositionEmbeddings != c.maxPositionEmbeddings ||
        pc.typeVocabSize != c.typeVocabSize)
        throw Error("the parameter buffer does not match the training model's config");
    return forward(viewOf(params.data(), params.layout()), batch, dropoutKey, train);
}

LossStats TrainingModel::forward(const layers::BertParams& P, const TrainingBatch& batch, uint64_t dropoutKey,
                                 bool train)
{
    using namespace layers;
    const FloatProductsScope products(floatProducts_);
    const BertConfig& c = config_;
    if (P.layers.size() != static_cast<size_t>(c.numHiddenLayers))
        throw Error("the weights do not match the training model's config");
    const bool wantMlm = lossHeads_ == LossHeads::Both || lossHeads_ == LossHeads::MaskedLm;
    const bool wantNsp = lossHeads_ == LossHeads::Both || lossHeads_ == LossHeads::NextSentence;
    if ((wantMlm && !batch.maskedRows.empty() && !P.mlm.decoder.weight) || (wantNsp && !P.nsp.weight))
        throw Error("the weights lack a head the loss needs");
    const int B = batch.batchSize, T = batch.seqLength, M = static_cast<int>(batch.maskedRows.size());
    const int H = c.hiddenSize, V = c.vocabSize;
    if (T > c.maxPositionEmbeddings) throw Error("batch is longer than the model's position table");
    layout_ = SequenceLayout::padded(B, T, batch.attentionMask.data());
    reserve(B, T, M);
    batch_ = &batch;
    B_ = B, T_ = T, M_ = M;
    pHidden_ = train ? hiddenDropout_ : 0.0f;
    pAttention_ = train ? attentionDropout_ : 0.0f;
    dropoutKey_ = dropoutKey;
    ranOnInputEmbeds_ = inputEmbeds_ != nullptr;
    ranLossHeads_ = lossHeads_;

    EmbeddingActs emb{embSum_.data(), embMean_.data(), embRstd_.data(), embMask_.data()};
    embeddingsForward(inputs_[0].data(), emb, batch.ids.data(), batch.typeIds.data(), inputEmbeds_, layout_, H,
                      P.embeddings, c.layerNormEps, pHidden_, mixKey(dropoutKey, kEmbedding));
    lossRows_ = lastLayerRows(batch);
    const int L = c.numHiddenLayers, R = static_cast<int>(lossRows_.size());
    for (int l = 0; l < L; ++l) {
        EncoderLayerActs a = actsOf(acts_[static_cast<size_t>(l)]);
        if (l < L - 1 || R == 0) {
            encoderLayerForward(inputs_[l + 1].data(), inputs_[l].data(), a, P.layers[static_cast<size_t>(l)], layout_,
                                c, layerOptions(l));
            continue;
        }
        const size_t RH = static_cast<size_t>(R) * H;
        grow(rowsIn_, RH), grow(rowsOut_, RH), grow(dRows_, RH);
        gatherRows(rowsIn_.data(), inputs_[l].data(), lossRows_, H);
        encoderLayerRowsForward(rowsOut_.data(), inputs_[l].data(), rowsIn_.data(), lossRows_.data(), R, a,
                                P.layers[static_cast<size_t>(l)], layout_, c, layerOptions(l));
        for (int i = 0; i < R; ++i)
            std::memcpy(inputs_[l + 1].data() + static_cast<size_t>(lossRows_[static_cast<size_t>(i)]) * H,
                        rowsOut_.data() + static_cast<size_t>(i) * H, sizeof(float) * H);
    }
    const float* out = inputs_[c.numHiddenLayers].data();

    if (stop_.stop_requested()) throw Cancelled();
    LossStats stats;
    const Bf16Shadow* bf16 = bf16_ ? &*bf16_ : nullptr;
    // NSP: tanh pooler over [CLS], then a 2-way classifier.
    if (wantNsp) {
        for (int b = 0; b < B; ++b)
            std::memcpy(cls_.data() + static_cast<size_t>(b) * H, out + static_cast<size_t>(b) * T * H,
                        sizeof(float) * H);
        poolerForward(pooled_.data(), poolPre_.data(), cls_.data(), P.pooler, B, H, nullptr, bf16);
        nspForward(nspProbs_.data(), pooled_.data(), P.nsp, B, H);
        if (keepLogits_) nspLogitsCopy_.assign(nspProbs_.begin(), nspProbs_.begin() + 2 * B);
        stats.nspLoss = crossEntropyForward(nspProbs_.data(), batch.nspLabels.data(), B, 2, &stats.nspCorrect) / B;
        stats.nspCount = B;
    } else if (keepLogits_) {
        nspLogitsCopy_.clear();
    }

    // MLM: transform + tied decoder, only at the masked positions.
    if (wantMlm && M > 0) {
        for (int m = 0; m < M; ++m)
            std::memcpy(mlmIn_.data() + static_cast<size_t>(m) * H, out + static_cast<size_t>(batch.maskedRows[m]) * H,
                        sizeof(float) * H);
        MlmHeadActs mlm{mlmPre_.data(), mlmAct_.data(), mlmNorm_.data(), mlmMean_.data(), mlmRstd_.data()};
        mlmHeadForward(mlmProbs_.data(), mlm, mlmIn_.data(), P.mlm, M, c, {}, bf16);
        if (keepLogits_) mlmLogitsCopy_.assign(mlmProbs_.begin(), mlmProbs_.begin() + static_cast<size_t>(M) * V);
        stats.mlmLoss = crossEntropyForward(mlmProbs_.data(), batch.maskedIds.data(), M, V, &stats.mlmCorrect) / M;
    } else if (keepLogits_) {
        mlmLogitsCopy_.clear();
    }
    stats.mlmCount = wantMlm ? M : 0;
    stats.loss = stats.mlmLoss + stats.nspLoss;
    return stats;
}

void TrainingModel::backward(const ParameterBuffer& params, float* grads, float scale)
{
    layers::BertGrads G = viewOf(grads, params.layout());
    backward(viewOf(params.data(), params.layout()), &G, scale);
}

void TrainingModel::backward(const ParameterBuffer& params, float* grads, const float* dOutput)
{
    layers::BertGrads G = viewOf(grads, params.layout());
    backward(viewOf(params.data(), params.layout()), &G, 1.0f, dOutput);
}

void TrainingModel::backward(const layers::BertParams& P, layers::BertGrads* grads, float scale)
{
    backward(P, grads, scale, nullptr);
}

const float* TrainingModel::output() const { return inputs_[static_cast<size_t>(config_.numHiddenLayers)].data(); }

void TrainingModel::backward(const layers::BertParams& P, layers::BertGrads* grads, float scale, const float* dOutput)
{
    using namespace layers;
    if (!batch_) throw Error("backward without a forward pass");
    const FloatProductsScope products(floatProducts_);
    const BertConfig& c = config_;
    const TrainingBatch& batch = *batch_;
    const bool mlmLoss = ranLossHeads_ == LossHeads::Both || ranLossHeads_ == LossHeads::MaskedLm;
    const bool nspLoss = ranLossHeads_ == LossHeads::Both || ranLossHeads_ == LossHeads::NextSentence;
    const int B = B_, T = T_, M = mlmLoss ? M_ : 0, N = B * T, H = c.hiddenSize,
              V = c.vocabSize, heads = c.numAttentionHeads;
    const size_t NH = static_cast<size_t>(N) * H;
    // Input gradients only: every parameter-gradient pointer null, which the kernels skip.
    BertGrads none;
    none.layers.resize(static_cast<size_t>(c.numHiddenLayers));
    BertGrads& G = grads ? *grads : none;
    const Bf16Shadow* bf16 = bf16_ ? &*bf16_ : nullptr;
    if (keepHeadMultiplierGradient_) headMultiplierGradient_.assign(static_cast<size_t>(c.numHiddenLayers) * heads, 0.0f);

    if (dOutput && !lossRows_.empty())
        throw Error("a caller's output gradient needs every row of the last layer, which ran on the loss's rows alone");
    if (dOutput)
        std::memcpy(dx_.data(), dOutput, NH * sizeof(float));
    else
        std::memset(dx_.data(), 0, NH * sizeof(float));
    if (M > 0) {
        crossEntropyBackward(mlmProbs_.data(), batch.maskedIds.data(), M, V, scale / M);
        const MlmHeadActs mlm{mlmPre_.data(), mlmAct_.data(), mlmNorm_.data(), mlmMean_.data(), mlmRstd_.data()};
        mlmHeadBackward(dM1_.data(), G.mlm, mlmProbs_.data(), dM2_.data(), mlm, mlmIn_.data(), P.mlm, M, c, bf16);
        for (int m = 0; m < M; ++m) {
            float* row = dx_.data() + static_cast<size_t>(batch.maskedRows[m]) * H;
            const float* g = dM1_.data() + static_cast<size_t>(m) * H;
            for (int h = 0; h < H; ++h) row[h] += g[h];
        }
    }
    if (nspLoss) {
        crossEntropyBackward(nspProbs_.data(), batch.nspLabels.data(), B, 2, scale / B);
        nspBackward(dPool_.data(), G.nsp, nspProbs_.data(), pooled_.data(), P.nsp, B, H);
        poolerBackward(dCls_.data(), G.pooler, dPool_.data(), pooled_.data(), cls_.data(), P.pooler, B, H, bf16);
        for (int b = 0; b < B; ++b) {
            float* row = dx_.data() + static_cast<size_t>(b) * T * H;
            const float* g = dCls_.data() + static_cast<size_t>(b) * H;
            for (int h = 0; h < H; ++h) row[h] += g[h];
        }
    }

    const EncoderLayerScratch scratch{dA_.data(), dB_.data(), dI_.data(), dqkv_.data()};
    const int R = static_cast<int>(lossRows_.size());
    for (int l = c.numHiddenLayers - 1; l >= 0; --l) {
        const EncoderLayerActs a = actsOf(acts_[static_cast<size_t>(l)]);
        LayerOptions options = layerOptions(l);
        if (keepHeadMultiplierGradient_)
            options.dHeadMultiplier = headMultiplierGradient_.data() + static_cast<size_t>(l) * heads;
        if (l < c.numHiddenLayers - 1 || R == 0) {
            encoderLayerBackward(dx_.data(), G.layers[static_cast<size_t>(l)], scratch, inputs_[l].data(), a,
                                 P.layers[static_cast<size_t>(l)], layout_, c, options);
            continue;
        }
        // The heads wrote only the chosen rows of dx: the rows' layer takes them from there.
        gatherRows(dRows_.data(), dx_.data(), lossRows_, H);
        encoderLayerRowsBackward(dx_.data(), dRows_.data(), G.layers[static_cast<size_t>(l)], scratch,
                                 inputs_[l].data(), rowsIn_.data(), lossRows_.data(), R, a,
                                 P.layers[static_cast<size_t>(l)], layout_, c, options);
        for (int i = 0; i < R; ++i) {
            float* row = dx_.data() + static_cast<size_t>(lossRows_[static_cast<size_t>(i)]) * H;
            const float* d = dRows_.data() + static_cast<size_t>(i) * H;
            for (int h = 0; h < H; ++h) row[h] += d[h];
        }
    }
    const EmbeddingActs emb{embSum_.data(), embMean_.data(), embRstd_.data(), embMask_.data()};
    float* wordGrad = G.embeddings.word;
    if (ranOnInputEmbeds_) G.embeddings.word = nullptr;
    if (keepInputGradient_) inputGradient_.resize(NH);
    embeddingsBackward(G.embeddings, keepInputGradient_ ? inputGradient_.data() : nullptr, dx_.data(), dA_.data(), emb,
                       batch.ids.data(), batch.typeIds.data(), layout_, H, P.embeddings, pHidden_);
    G.embeddings.word = wordGrad;
    batch_ = nullptr;  // the softmax buffers now hold gradients
}

} // namespace bertlab
