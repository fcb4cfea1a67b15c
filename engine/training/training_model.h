// BERT pretraining (MLM + NSP) forward pass that keeps its activations, and its backward pass.
#pragma once

#include "bert_config.h"
#include "training/aligned_buffer.h"
#include "training/parameter_buffer.h"
#include "training/training_batch.h"

#include <cstdint>
#include <vector>

namespace bertlab {

struct LossStats {
    double loss = 0.0;      // mlmLoss + nspLoss
    double mlmLoss = 0.0;   // mean cross-entropy over the batch's masked positions
    double nspLoss = 0.0;   // mean NSP cross-entropy over the batch
    int mlmCorrect = 0, mlmCount = 0;
    int nspCorrect = 0, nspCount = 0;
};

class TrainingModel {
public:
    explicit TrainingModel(const BertConfig& config);

    // Dropout after embeddings/attention output/FFN output (hidden) and on attention probabilities.
    void setDropout(float hidden, float attention) { hiddenDropout_ = hidden, attentionDropout_ = attention; }
    // Keeps a copy of the raw logits (costs an [M, V] buffer); for checks against the inference engine.
    void setKeepLogits(bool keep) { keepLogits_ = keep; }

    // Runs the batch and keeps what the backward needs. `dropoutKey` seeds every dropout mask of
    // this pass; `train` = false disables dropout (evaluation).
    LossStats forward(const ParameterBuffer& params, const TrainingBatch& batch, uint64_t dropoutKey,
                      bool train = true);
    // Adds d(scale · loss)/d(params) into grads (the same layout as params), for the last forward.
    void backward(const ParameterBuffer& params, float* grads, float scale = 1.0f);

    const AlignedVector<float>& mlmLogits() const { return mlmLogitsCopy_; }  // [M, V] when kept
    const AlignedVector<float>& nspLogits() const { return nspLogitsCopy_; }  // [B, 2] when kept

    // Bytes held by activation buffers (for the benchmark's memory report).
    size_t activationBytes() const;

private:
    struct LayerActs {
        AlignedVector<float> q, k, v, ctx, probs, sum1, ln1Mean, ln1Rstd, h1, inter, gelu, sum2,
            ln2Mean, ln2Rstd;
        std::vector<uint8_t> attnMask, aoMask, outMask;
    };
    void reserve(int B, int T, int M);

    BertConfig config_;
    float hiddenDropout_ = 0.1f, attentionDropout_ = 0.1f;
    bool keepLogits_ = false;
    // What the last forward ran with.
    const TrainingBatch* batch_ = nullptr;
    float pHidden_ = 0.0f, pAttention_ = 0.0f;
    int B_ = 0, T_ = 0, M_ = 0;
    int capN_ = 0, capM_ = 0, capB_ = 0, capT_ = 0;

    AlignedVector<float> embSum_, embMean_, embRstd_;
    std::vector<uint8_t> embMask_;
    std::vector<AlignedVector<float>> inputs_;  // [L+1] of [N, H]: layer inputs, inputs_[L] = output
    std::vector<LayerActs> acts_;
    // Heads
    AlignedVector<float> cls_, poolPre_, pooled_, nspProbs_;  // [B, H], [B, H], [B, H], [B, 2]
    AlignedVector<float> mlmIn_, mlmPre_, mlmGelu_, mlmNorm_, mlmMean_, mlmRstd_, mlmProbs_;
    AlignedVector<float> mlmLogitsCopy_, nspLogitsCopy_;
    // Backward scratch
    AlignedVector<float> dx_, dA_, dB_, dq_, dk_, dv_, dI_, dM1_, dM2_, dCls_, dPool_;
};

} // namespace bertlab
