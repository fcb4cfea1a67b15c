// TrainingModel as a differentiable function of the word vectors: target-only loss, input-only backward.
#include "attribution/target_gradient.h"

#include "bert_model.h"
#include "error.h"
#include "faster_float_products.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace bertlab {
namespace {

double logSoftmaxRow(const float* logits, int count, int index)
{
    const float mx = *std::max_element(logits, logits + count);
    double sum = 0.0;
    for (int i = 0; i < count; ++i) sum += std::exp(static_cast<double>(logits[i]) - mx);
    return static_cast<double>(logits[index]) - mx - std::log(sum);
}

// A pass's activation buffers, handed from one call to the next on the same thread. Allocating
// them afresh made every call fault in and zero tens of MB (BERT-Base at 64 tokens: ~55 MB, a
// quarter of a grad-input call, page faults being dear on a virtual machine); the explorer repeats
// such calls on every edit. Passes above the bound (IG's large batches, long inputs) are freed
// instead, so an idle worker thread holds at most this much.
constexpr size_t kKeptPassBytes = size_t(96) << 20;

struct KeptPass {
    BertConfig config;
    std::unique_ptr<TrainingModel> pass;
};
thread_local KeptPass keptPass;

// Everything TrainingModel reads of its config (dropout is off in both).
bool sameArchitecture(const BertConfig& a, const BertConfig& b)
{
    return a.vocabSize == b.vocabSize && a.hiddenSize == b.hiddenSize && a.numHiddenLayers == b.numHiddenLayers &&
           a.numAttentionHeads == b.numAttentionHeads && a.intermediateSize == b.intermediateSize &&
           a.hiddenAct == b.hiddenAct && a.maxPositionEmbeddings == b.maxPositionEmbeddings &&
           a.typeVocabSize == b.typeVocabSize && a.layerNormEps == b.layerNormEps &&
           a.hiddenDropoutProb == b.hiddenDropoutProb && a.attentionDropoutProb == b.attentionDropoutProb &&
           a.initializerRange == b.initializerRange && a.padTokenId == b.padTokenId &&
           a.architectures == b.architectures && a.labels == b.labels;
}

std::unique_ptr<TrainingModel> takePass(const BertConfig& config)
{
    if (keptPass.pass && sameArchitecture(keptPass.config, config)) return std::move(keptPass.pass);
    keptPass.pass.reset();
    return std::make_unique<TrainingModel>(config);
}

} // namespace

void checkInput(const BertModel& model, const Encoding& input)
{
    const BertConfig& c = model.config();
    const int T = input.size();
    if (T == 0) throw Error("cannot attribute an empty input");
    if (T > c.maxPositionEmbeddings)
        throw Error("input has " + std::to_string(T) + " tokens; this model takes at most " +
                    std::to_string(c.maxPositionEmbeddings));
    if (input.typeIds.size() != input.ids.size())
        throw Error("input has " + std::to_string(input.ids.size()) + " ids but " +
                    std::to_string(input.typeIds.size()) + " token type ids");
    for (int i = 0; i < T; ++i)
        if (input.ids[i] < 0 || input.ids[i] >= c.vocabSize || input.typeIds[i] < 0 || input.typeIds[i] >= c.typeVocabSize)
            throw Error("token " + std::to_string(i) + " of the input is outside this model's vocabulary or segments");
}

TargetGradient::TargetGradient(const BertModel& model, const Encoding& input, const ResolvedTarget& target,
                               std::vector<float> headMultipliers, std::stop_token stop)
    : model_(model), target_(target), params_(model.parameters()), input_(input)
{
    BertConfig c = model.config();
    c.hiddenDropoutProb = c.attentionDropoutProb = 0.0f;
    T_ = input.size();
    H_ = c.hiddenSize;
    checkInput(model, input);
    passConfig_ = c;
    pass_ = takePass(c);
    pass_->setDropout(0.0f, 0.0f);
    pass_->setHeadMultipliers(std::move(headMultipliers));
    pass_->setKeepLogits(true);
    pass_->setKeepInputGradient(true);
    pass_->setLastLayerOnLossRows(true);  // a target reads one row of the last layer
    pass_->setStopToken(std::move(stop));
    pass_->setLossHeads(target.kind == AttributionTarget::Kind::NextSentence ? LossHeads::NextSentence
                                                                              : LossHeads::MaskedLm);
    words_.resize(static_cast<size_t>(T_) * H_);
    for (int t = 0; t < T_; ++t)
        std::memcpy(words_.data() + static_cast<size_t>(t) * H_,
                    params_.embeddings.word + static_cast<size_t>(input.ids[t]) * H_, sizeof(float) * H_);
}

TargetGradient::~TargetGradient()
{
    if (!pass_ || pass_->activationBytes() > kKeptPassBytes) return;
    pass_->setInputEmbeddings(nullptr);  // the caller's vectors die with this call
    pass_->setStopToken({});
    keptPass.config = std::move(passConfig_);  // moves only: nothing here can throw
    keptPass.pass = std::move(pass_);
}

int TargetGradient::copiesWithin(size_t budgetBytes) const
{
    const BertConfig& c = model_.config();
    const size_t T = static_cast<size_t>(T_), H = c.hiddenSize, I = c.intermediateSize, L = c.numHiddenLayers,
                 heads = c.numAttentionHeads;
    // What TrainingModel keeps per row: every layer's activations, masks and probabilities, the
    // layer inputs and the backward's scratch; plus the target's vocabulary row.
    const size_t perRow = L * ((7 * H + 2 * I + 4) * 4 + 2 * H + heads * T * 5) + (L + 1) * H * 4 + H * 9 +
                          (6 * H + I) * 4 + H * 8;
    const size_t perCopy = T * perRow + static_cast<size_t>(c.vocabSize) * 8;
    return static_cast<int>(std::max<size_t>(1, budgetBytes / perCopy));
}

void TargetGradient::run(const float* embeds, int copies, std::vector<double>& values, bool backward,
                         bool headGradient)
{
    const int T = T_;
    batch_.batchSize = copies;
    batch_.seqLength = T;
    batch_.ids.clear(), batch_.typeIds.clear();
    for (int c = 0; c < copies; ++c) {
        batch_.ids.insert(batch_.ids.end(), input_.ids.begin(), input_.ids.end());
        batch_.typeIds.insert(batch_.typeIds.end(), input_.typeIds.begin(), input_.typeIds.end());
    }
    batch_.attentionMask.assign(static_cast<size_t>(copies) * T, 1.0f);
    batch_.maskedRows.clear(), batch_.maskedIds.clear();
    if (target_.kind == AttributionTarget::Kind::MaskedWord)
        for (int c = 0; c < copies; ++c) {
            batch_.maskedRows.push_back(c * T + target_.position);
            batch_.maskedIds.push_back(target_.tokenId);
        }
    batch_.nspLabels.assign(static_cast<size_t>(copies), 0);  // 0 = IsNext
    batch_.realTokens = copies * T;

    // Inference stays on OpenBLAS; attribution's passes take whichever library is faster here.
    const BertConfig& c = model_.config();
    pass_->setFloatProducts(fasterFloatProducts(copies * T, c.hiddenSize, c.intermediateSize));
    pass_->setInputEmbeddings(embeds);
    pass_->setKeepHeadMultiplierGradient(headGradient);
    pass_->forward(params_, batch_, 0, false);
    values.assign(static_cast<size_t>(copies), 0.0);
    const bool mlm = target_.kind == AttributionTarget::Kind::MaskedWord;
    const int V = model_.config().vocabSize;
    for (int c = 0; c < copies; ++c)
        values[static_cast<size_t>(c)] =
            mlm ? logSoftmaxRow(pass_->mlmLogits().data() + static_cast<size_t>(c) * V, V, target_.tokenId)
                : logSoftmaxRow(pass_->nspLogits().data() + static_cast<size_t>(c) * 2, 2, 0);
    if (!backward) return;
    // The loss is the mean over the copies of -log p(target): -copies undoes both.
    pass_->backward(params_, nullptr, -static_cast<float>(copies));
}

const float* TargetGradient::gradient() const { return pass_->inputGradient().data(); }

const std::vector<float>& TargetGradient::headGradient() const { return pass_->headMultiplierGradient(); }

} // namespace bertlab
