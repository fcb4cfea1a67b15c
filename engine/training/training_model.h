// BERT pretraining (MLM + NSP) forward pass that keeps its activations, and its backward pass.
#pragma once

#include "bert_config.h"
#include "layers/bf16_shadow.h"
#include "layers/sequence_layout.h"
#include "openblas_library.h"
#include "training/aligned_buffer.h"
#include "training/parameter_buffer.h"
#include "training/training_batch.h"

#include <cstdint>
#include <optional>
#include <stop_token>
#include <vector>

namespace bertlab::layers {
struct LayerOptions;
template <typename F>
struct BertOf;
using BertParams = BertOf<const float>;
using BertGrads = BertOf<float>;
}

namespace bertlab {

struct LossStats {
    double loss = 0.0;      // mlmLoss + nspLoss
    double mlmLoss = 0.0;   // mean cross-entropy over the batch's masked positions
    double nspLoss = 0.0;   // mean NSP cross-entropy over the batch
    int mlmCorrect = 0, mlmCount = 0;
    int nspCorrect = 0, nspCount = 0;
};

// Which heads' cross-entropy makes the loss. Attribution differentiates one log-probability: the
// masked-LM loss alone (one masked row per sequence) or NSP's alone (label 0 = IsNext).
// None: the encoder alone, for a loss the caller computes on output() (fine-tuning) and whose
// gradient it hands to backward.
enum class LossHeads { Both, MaskedLm, NextSentence, None };

// Runs the engine's layer kernels (engine/layers/) in training mode: a padded batch, dropout,
// every activation kept for the backward. The inference pass (bert_forward.cpp) runs the same
// kernels.
class TrainingModel {
public:
    explicit TrainingModel(const BertConfig& config);

    // Dropout after embeddings/attention output/FFN output (hidden) and on attention probabilities.
    void setDropout(float hidden, float attention) { hiddenDropout_ = hidden, attentionDropout_ = attention; }
    // Keeps a copy of the raw logits (costs an [M, V] buffer); for checks against the inference engine.
    void setKeepLogits(bool keep) { keepLogits_ = keep; }

    // [L * heads] multipliers m(l, h) on the attention probabilities of the following passes, as
    // Hugging Face's head_mask (the backward follows them); empty = none. Throws Error on a wrong size.
    void setHeadMultipliers(std::vector<float> multipliers);
    // Word vectors [B·T, H] that replace the word-embedding lookup of the following passes, as
    // Hugging Face's inputs_embeds (null = look the ids up). The caller keeps them alive; the
    // word table then gets no lookup gradient (the tied MLM decoder still adds its own).
    void setInputEmbeddings(const float* embeds) { inputEmbeds_ = embeds; }
    // After backward: dLoss/d(word vector) of each row, [B·T, H], when asked for before it.
    void setKeepInputGradient(bool keep) { keepInputGradient_ = keep; }
    const AlignedVector<float>& inputGradient() const { return inputGradient_; }
    // After backward: dLoss/d m(l, h), [L * heads], summed over the batch's sequences, at the
    // multipliers the pass ran with (1 where none were set), when asked for before it.
    void setKeepHeadMultiplierGradient(bool keep) { keepHeadMultiplierGradient_ = keep; }
    const std::vector<float>& headMultiplierGradient() const { return headMultiplierGradient_; }
    // Which heads enter the loss (default both); a model without the other head's weights can
    // then run: their views may stay null.
    void setLossHeads(LossHeads heads) { lossHeads_ = heads; }
    // Attribution's saving: when the loss reads one head's rows alone (LossHeads MaskedLm or
    // NextSentence) and no dropout runs, the last layer computes keys and values for every row but
    // its query, attention and feed-forward for the loss's rows only (masked rows, or [CLS]), in
    // the forward and the backward; output() then holds those rows alone. Off by default.
    void setLastLayerOnLossRows(bool on) { lastLayerOnLossRows_ = on; }
    // Training in bfloat16: the dense layers' products (encoder, pooler, MLM transform and decoder),
    // forward and backward, multiply bfloat16 twins of the weights (Bf16ParameterCopy, which the
    // caller keeps current) and of their inputs, summing in float32. nullopt: float32 throughout.
    // The weights handed to forward/backward must be the buffer the shadow mirrors.
    void setBfloat16Weights(std::optional<layers::Bf16Shadow> shadow) { bf16_ = shadow; }
    bool bfloat16() const { return bf16_.has_value(); }
    // The library of forward's and backward's float32 products (openblas_library.h). OpenBLAS by
    // default; the training and fine-tuning loops ask for oneDNN, faster on their batches.
    void setFloatProducts(FloatProducts products) { floatProducts_ = products; }
    FloatProducts floatProducts() const { return floatProducts_; }
    // Checked before every matrix product of forward and backward; throws Cancelled.
    void setStopToken(std::stop_token stop) { stop_ = std::move(stop); }

    // Runs the batch and keeps what the backward needs. `dropoutKey` seeds every dropout mask of
    // this pass; `train` = false disables dropout (evaluation).
    LossStats forward(const ParameterBuffer& params, const TrainingBatch& batch, uint64_t dropoutKey,
                      bool train = true);
    // The same over any view of the weights (a loaded BertModel's: BertModel::parameters()).
    LossStats forward(const layers::BertParams& params, const TrainingBatch& batch, uint64_t dropoutKey,
                      bool train = true);
    // Adds d(scale · loss)/d(params) into grads (the same layout as params), for the last forward.
    void backward(const ParameterBuffer& params, float* grads, float scale = 1.0f);
    // The same over a view; null grads (or null pointers in it) skip those parameter gradients, so
    // grads = nullptr is a pass for the input / head-multiplier gradients only.
    void backward(const layers::BertParams& params, layers::BertGrads* grads, float scale = 1.0f);
    // The same with dLoss/d(output) [B·T, H] of a caller's loss added (LossHeads::None).
    void backward(const ParameterBuffer& params, float* grads, const float* dOutput);
    void backward(const layers::BertParams& params, layers::BertGrads* grads, float scale, const float* dOutput);
    // The last forward's final hidden states, [B·T, H] (padded rows included), until the next
    // forward; only the loss's rows when the last layer ran on them alone (setLastLayerOnLossRows).
    const float* output() const;

    const AlignedVector<float>& mlmLogits() const { return mlmLogitsCopy_; }  // [M, V] when kept
    const AlignedVector<float>& nspLogits() const { return nspLogitsCopy_; }  // [B, 2] when kept

    // Bytes held by activation buffers (for the benchmark's memory report).
    size_t activationBytes() const;

private:
    // One encoder layer's kept activations (layers::EncoderLayerActs points into them).
    struct LayerBuffers {
        AlignedVector<float> qkv, probs, context, attended, h1, h1Mean, h1Rstd, inter, act, ffn, outMean, outRstd;
        std::vector<uint8_t> probsDrop, attendedDrop, ffnDrop;
    };
    void reserve(int B, int T, int M);
    // Dropout, streams and head multipliers of encoder layer `layer` in the last forward.
    layers::LayerOptions layerOptions(int layer) const;
    // The rows the last layer of this forward runs on alone (setLastLayerOnLossRows); empty = all.
    std::vector<int> lastLayerRows(const TrainingBatch& batch) const;

    BertConfig config_;
    float hiddenDropout_ = 0.1f, attentionDropout_ = 0.1f;
    bool keepLogits_ = false;
    std::vector<float> headMultipliers_;
    const float* inputEmbeds_ = nullptr;
    bool keepInputGradient_ = false;
    bool keepHeadMultiplierGradient_ = false;
    LossHeads lossHeads_ = LossHeads::Both;
    std::optional<layers::Bf16Shadow> bf16_;
    FloatProducts floatProducts_ = FloatProducts::OpenBlas;
    bool lastLayerOnLossRows_ = false;
    std::stop_token stop_;
    std::vector<float> headMultiplierGradient_;
    // What the last forward ran with.
    const TrainingBatch* batch_ = nullptr;
    layers::SequenceLayout layout_;
    float pHidden_ = 0.0f, pAttention_ = 0.0f;
    uint64_t dropoutKey_ = 0;
    bool ranOnInputEmbeds_ = false;
    LossHeads ranLossHeads_ = LossHeads::Both;
    std::vector<int> lossRows_;  // the rows the last layer ran on alone; empty = every row
    int B_ = 0, T_ = 0, M_ = 0;
    int capN_ = 0, capM_ = 0, capB_ = 0, capT_ = 0;

    AlignedVector<float> embSum_, embMean_, embRstd_;
    std::vector<uint8_t> embMask_;
    std::vector<AlignedVector<float>> inputs_;  // [L+1] of [N, H]: layer inputs, inputs_[L] = output
    std::vector<LayerBuffers> acts_;
    // Heads
    AlignedVector<float> cls_, poolPre_, pooled_, nspProbs_;  // [B, H], [B, H], [B, H], [B, 2]
    AlignedVector<float> mlmIn_, mlmPre_, mlmAct_, mlmNorm_, mlmMean_, mlmRstd_, mlmProbs_;
    AlignedVector<float> mlmLogitsCopy_, nspLogitsCopy_;
    AlignedVector<float> inputGradient_;
    AlignedVector<float> rowsIn_, rowsOut_, dRows_;  // [R, H]: the last layer's chosen rows
    // Backward scratch
    AlignedVector<float> dx_, dA_, dB_, dqkv_, dI_, dM1_, dM2_, dCls_, dPool_;
};

} // namespace bertlab
