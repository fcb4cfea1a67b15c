// The pretraining forward/backward of BertForPreTraining over one contiguous parameter buffer.
#include "training/training_model.h"

#include "error.h"
#include "training/bert_layers.h"

#include <cstring>

namespace bertlab {

namespace {

template <typename Buffer>
void grow(Buffer& v, size_t n)
{
    if (v.size() < n) v.resize(n);
}

void addInPlace(float* dst, const float* src, size_t n)
{
#pragma omp parallel for schedule(static) if (n >= 32768)
    for (ptrdiff_t i = 0; i < static_cast<ptrdiff_t>(n); ++i) dst[i] += src[i];
}

// Distinct dropout sites get distinct streams of the pass's key.
enum Site : uint64_t { kEmbedding = 1, kLayerBase = 16 };

} // namespace

TrainingModel::TrainingModel(const BertConfig& config) : config_(config)
{
    config_.validate();
    if (config_.hiddenAct != Activation::Gelu)
        throw Error(std::string("training supports the erf GELU only, not ") + activationName(config_.hiddenAct));
    hiddenDropout_ = config_.hiddenDropoutProb;
    attentionDropout_ = config_.attentionDropoutProb;
    inputs_.resize(static_cast<size_t>(config_.numHiddenLayers) + 1);
    acts_.resize(static_cast<size_t>(config_.numHiddenLayers));
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
            for (auto* v : {&a.q, &a.k, &a.v, &a.ctx, &a.sum1, &a.h1, &a.sum2}) grow(*v, n * H);
            for (auto* v : {&a.ln1Mean, &a.ln1Rstd, &a.ln2Mean, &a.ln2Rstd}) grow(*v, n);
            grow(a.inter, n * I), grow(a.gelu, n * I), grow(a.probs, probs);
            grow(a.aoMask, n * H), grow(a.outMask, n * H), grow(a.attnMask, probs);
        }
        for (auto* v : {&dx_, &dA_, &dB_, &dq_, &dk_, &dv_}) grow(*v, n * H);
        grow(dI_, n * I);
        const size_t b = static_cast<size_t>(capB_);
        for (auto* v : {&cls_, &poolPre_, &pooled_, &dCls_, &dPool_}) grow(*v, b * H);
        grow(nspProbs_, b * 2);
    }
    if (M > capM_) {
        capM_ = M;
        const size_t m = static_cast<size_t>(M);
        for (auto* v : {&mlmIn_, &mlmPre_, &mlmGelu_, &mlmNorm_, &dM1_, &dM2_}) grow(*v, m * H);
        grow(mlmMean_, m), grow(mlmRstd_, m), grow(mlmProbs_, m * V);
    }
}

size_t TrainingModel::activationBytes() const
{
    size_t floats = embSum_.size() + embMean_.size() + embRstd_.size() + embMask_.size() / 4;
    for (const auto& x : inputs_) floats += x.size();
    for (const auto& a : acts_)
        floats += a.q.size() * 7 + a.ln1Mean.size() * 4 + a.inter.size() * 2 + a.probs.size() +
                  (a.aoMask.size() + a.outMask.size() + a.attnMask.size()) / 4;
    floats += dx_.size() * 6 + dI_.size() + cls_.size() * 5 + mlmIn_.size() * 6 + mlmProbs_.size();
    return floats * sizeof(float);
}

LossStats TrainingModel::forward(const ParameterBuffer& params, const TrainingBatch& batch,
                                 uint64_t dropoutKey, bool train)
{
    using namespace layers;
    const BertConfig& c = config_;
    const BertConfig& pc = params.config();
    if (pc.hiddenSize != c.hiddenSize || pc.vocabSize != c.vocabSize || pc.numHiddenLayers != c.numHiddenLayers ||
        pc.intermediateSize != c.intermediateSize || pc.maxPositionEmbeddings != c.maxPositionEmbeddings ||
        pc.typeVocabSize != c.typeVocabSize)
        throw Error("the parameter buffer does not match the training model's config");
    const int B = batch.batchSize, T = batch.seqLength, M = static_cast<int>(batch.maskedRows.size());
    const int N = B * T, H = c.hiddenSize, I = c.intermediateSize, V = c.vocabSize;
    const int heads = c.numAttentionHeads;
    if (T > c.maxPositionEmbeddings) throw Error("batch is longer than the model's position table");
    reserve(B, T, M);
    batch_ = &batch;
    B_ = B, T_ = T, M_ = M;
    pHidden_ = train ? hiddenDropout_ : 0.0f;
    pAttention_ = train ? attentionDropout_ : 0.0f;
    const float* P = params.data();
    const ParameterLayout& Lo = params.layout();
    const size_t NH = static_cast<size_t>(N) * H;

    embeddingsForward(embSum_.data(), batch.ids.data(), batch.typeIds.data(), B, T, H, P + Lo.wordEmb,
                      P + Lo.posEmb, P + Lo.typeEmb);
    layerNormForward(inputs_[0].data(), embMean_.data(), embRstd_.data(), embSum_.data(), P + Lo.embLnG,
                     P + Lo.embLnB, N, H, c.layerNormEps);
    dropoutForward(inputs_[0].data(), embMask_.data(), NH, pHidden_, mixKey(dropoutKey, kEmbedding));

    for (int l = 0; l < c.numHiddenLayers; ++l) {
        const LayerOffsets& o = Lo.layers[l];
        LayerActs& a = acts_[l];
        const float* x = inputs_[l].data();
        const uint64_t site = kLayerBase + 4 * static_cast<uint64_t>(l);
        denseForward(a.q.data(), x, P + o.qW, P + o.qB, N, H, H);
        denseForward(a.k.data(), x, P + o.kW, P + o.kB, N, H, H);
        denseForward(a.v.data(), x, P + o.vW, P + o.vB, N, H, H);
        attentionForward(a.ctx.data(), a.probs.data(), a.attnMask.data(), a.q.data(), a.k.data(),
                         a.v.data(), batch.attentionMask.data(), B, T, H, heads, pAttention_,
                         mixKey(dropoutKey, site));
        denseForward(a.sum1.data(), a.ctx.data(), P + o.aoW, P + o.aoB, N, H, H);
        dropoutForward(a.sum1.data(), a.aoMask.data(), NH, pHidden_, mixKey(dropoutKey, site + 1));
        addInPlace(a.sum1.data(), x, NH);
        layerNormForward(a.h1.data(), a.ln1Mean.data(), a.ln1Rstd.data(), a.sum1.data(), P + o.aln1G,
                         P + o.aln1B, N, H, c.layerNormEps);
        denseForward(a.inter.data(), a.h1.data(), P + o.iW, P + o.iB, N, H, I);
        geluForward(a.gelu.data(), a.inter.data(), static_cast<size_t>(N) * I);
        denseForward(a.sum2.data(), a.gelu.data(), P + o.oW, P + o.oB, N, I, H);
        dropoutForward(a.sum2.data(), a.outMask.data(), NH, pHidden_, mixKey(dropoutKey, site + 2));
        addInPlace(a.sum2.data(), a.h1.data(), NH);
        layerNormForward(inputs_[l + 1].data(), a.ln2Mean.data(), a.ln2Rstd.data(), a.sum2.data(),
                         P + o.ln2G, P + o.ln2B, N, H, c.layerNormEps);
    }
    const float* out = inputs_[c.numHiddenLayers].data();

    LossStats stats;
    // NSP: tanh pooler over [CLS], then a 2-way classifier.
    for (int b = 0; b < B; ++b)
        std::memcpy(cls_.data() + static_cast<size_t>(b) * H, out + static_cast<size_t>(b) * T * H,
                    sizeof(float) * H);
    denseForward(poolPre_.data(), cls_.data(), P + Lo.poolerW, P + Lo.poolerB, B, H, H);
    tanhForward(pooled_.data(), poolPre_.data(), static_cast<size_t>(B) * H);
    denseForward(nspProbs_.data(), pooled_.data(), P + Lo.nspW, P + Lo.nspB, B, H, 2);
    if (keepLogits_) nspLogitsCopy_.assign(nspProbs_.begin(), nspProbs_.begin() + 2 * B);
    stats.nspLoss = crossEntropyForward(nspProbs_.data(), batch.nspLabels.data(), B, 2, &stats.nspCorrect) / B;
    stats.nspCount = B;

    // MLM: transform + tied decoder, only at the masked positions.
    if (M > 0) {
        for (int m = 0; m < M; ++m)
            std::memcpy(mlmIn_.data() + static_cast<size_t>(m) * H,
                        out + static_cast<size_t>(batch.maskedRows[m]) * H, sizeof(float) * H);
        denseForward(mlmPre_.data(), mlmIn_.data(), P + Lo.mlmDenseW, P + Lo.mlmDenseB, M, H, H);
        geluForward(mlmGelu_.data(), mlmPre_.data(), static_cast<size_t>(M) * H);
        layerNormForward(mlmNorm_.data(), mlmMean_.data(), mlmRstd_.data(), mlmGelu_.data(),
                         P + Lo.mlmLnG, P + Lo.mlmLnB, M, H, c.layerNormEps);
        denseForward(mlmProbs_.data(), mlmNorm_.data(), P + Lo.wordEmb, P + Lo.mlmBias, M, H, V);
        if (keepLogits_)
            mlmLogitsCopy_.assign(mlmProbs_.begin(), mlmProbs_.begin() + static_cast<size_t>(M) * V);
        stats.mlmLoss = crossEntropyForward(mlmProbs_.data(), batch.maskedIds.data(), M, V, &stats.mlmCorrect) / M;
    } else if (keepLogits_) {
        mlmLogitsCopy_.clear();
    }
    stats.mlmCount = M;
    stats.loss = stats.mlmLoss + stats.nspLoss;
    return stats;
}

void TrainingModel::backward(const ParameterBuffer& params, float* grads, float scale)
{
    using namespace layers;
    if (!batch_) throw Error("backward without a forward pass");
    const BertConfig& c = config_;
    const TrainingBatch& batch = *batch_;
    const int B = B_, T = T_, M = M_, N = B * T, H = c.hiddenSize, I = c.intermediateSize,
              V = c.vocabSize, heads = c.numAttentionHeads;
    const size_t NH = static_cast<size_t>(N) * H;
    const float* P = params.data();
    float* G = grads;
    const ParameterLayout& Lo = params.layout();

    std::memset(dx_.data(), 0, NH * sizeof(float));
    if (M > 0) {
        crossEntropyBackward(mlmProbs_.data(), batch.maskedIds.data(), M, V, scale / M);
        denseBackward(dM1_.data(), G + Lo.wordEmb, G + Lo.mlmBias, mlmProbs_.data(), mlmNorm_.data(),
                      P + Lo.wordEmb, M, H, V, false);
        layerNormBackward(dM2_.data(), G + Lo.mlmLnG, G + Lo.mlmLnB, dM1_.data(), mlmGelu_.data(),
                          P + Lo.mlmLnG, mlmMean_.data(), mlmRstd_.data(), M, H, false);
        geluBackward(dM2_.data(), dM2_.data(), mlmPre_.data(), static_cast<size_t>(M) * H);
        denseBackward(dM1_.data(), G + Lo.mlmDenseW, G + Lo.mlmDenseB, dM2_.data(), mlmIn_.data(),
                      P + Lo.mlmDenseW, M, H, H, false);
        for (int m = 0; m < M; ++m) {
            float* row = dx_.data() + static_cast<size_t>(batch.maskedRows[m]) * H;
            const float* g = dM1_.data() + static_cast<size_t>(m) * H;
            for (int h = 0; h < H; ++h) row[h] += g[h];
        }
    }
    crossEntropyBackward(nspProbs_.data(), batch.nspLabels.data(), B, 2, scale / B);
    denseBackward(dPool_.data(), G + Lo.nspW, G + Lo.nspB, nspProbs_.data(), pooled_.data(), P + Lo.nspW,
                  B, H, 2, false);
    tanhBackward(dPool_.data(), dPool_.data(), pooled_.data(), static_cast<size_t>(B) * H);
    denseBackward(dCls_.data(), G + Lo.poolerW, G + Lo.poolerB, dPool_.data(), cls_.data(), P + Lo.poolerW,
                  B, H, H, false);
    for (int b = 0; b < B; ++b) {
        float* row = dx_.data() + static_cast<size_t>(b) * T * H;
        const float* g = dCls_.data() + static_cast<size_t>(b) * H;
        for (int h = 0; h < H; ++h) row[h] += g[h];
    }

    for (int l = c.numHiddenLayers - 1; l >= 0; --l) {
        const LayerOffsets& o = Lo.layers[l];
        LayerActs& a = acts_[l];
        const float* x = inputs_[l].data();
        layerNormBackward(dA_.data(), G + o.ln2G, G + o.ln2B, dx_.data(), a.sum2.data(), P + o.ln2G,
                          a.ln2Mean.data(), a.ln2Rstd.data(), N, H, false);
        dropoutBackward(dB_.data(), dA_.data(), a.outMask.data(), NH, pHidden_);
        denseBackward(dI_.data(), G + o.oW, G + o.oB, dB_.data(), a.gelu.data(), P + o.oW, N, I, H, false);
        geluBackward(dI_.data(), dI_.data(), a.inter.data(), static_cast<size_t>(N) * I);
        denseBackward(dA_.data(), G + o.iW, G + o.iB, dI_.data(), a.h1.data(), P + o.iW, N, H, I, true);
        layerNormBackward(dx_.data(), G + o.aln1G, G + o.aln1B, dA_.data(), a.sum1.data(), P + o.aln1G,
                          a.ln1Mean.data(), a.ln1Rstd.data(), N, H, false);
        dropoutBackward(dB_.data(), dx_.data(), a.aoMask.data(), NH, pHidden_);
        denseBackward(dA_.data(), G + o.aoW, G + o.aoB, dB_.data(), a.ctx.data(), P + o.aoW, N, H, H, false);
        attentionBackward(dq_.data(), dk_.data(), dv_.data(), dA_.data(), a.probs.data(), a.attnMask.data(),
                          a.q.data(), a.k.data(), a.v.data(), B, T, H, heads, pAttention_);
        denseBackward(dx_.data(), G + o.qW, G + o.qB, dq_.data(), x, P + o.qW, N, H, H, true);
        denseBackward(dx_.data(), G + o.kW, G + o.kB, dk_.data(), x, P + o.kW, N, H, H, true);
        denseBackward(dx_.data(), G + o.vW, G + o.vB, dv_.data(), x, P + o.vW, N, H, H, true);
    }
    dropoutBackward(dx_.data(), dx_.data(), embMask_.data(), NH, pHidden_);
    layerNormBackward(dA_.data(), G + Lo.embLnG, G + Lo.embLnB, dx_.data(), embSum_.data(), P + Lo.embLnG,
                      embMean_.data(), embRstd_.data(), N, H, false);
    embeddingsBackward(G + Lo.wordEmb, G + Lo.posEmb, G + Lo.typeEmb, dA_.data(), batch.ids.data(),
                       batch.typeIds.data(), B, T, H);
    batch_ = nullptr;  // the softmax buffers now hold gradients
}

} // namespace bertlab
