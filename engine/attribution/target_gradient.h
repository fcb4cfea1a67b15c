// The gradient of one target (a masked word's or NSP's log-probability) through TrainingModel, for copies of one input.
#pragma once

#include "attribution/attribution_target.h"
#include "layers/bert_parameters.h"
#include "training/training_batch.h"
#include "training/training_model.h"

#include <memory>
#include <stop_token>
#include <vector>

namespace bertlab {

class BertModel;
struct Encoding;

// Throws Error unless the input fits the model (length, ids, segment types).
void checkInput(const BertModel& model, const Encoding& input);

// resolveTarget without computing the target's value (left 0) unless naming a missing TOKEN
// needed the intact pass anyway: the attribution passes compute it themselves.
ResolvedTarget nameTarget(const BertModel& model, const Encoding& input, const AttributionTarget& target,
                          std::stop_token stop);

// Runs `copies` copies of one input as one padded batch, each on its own word vectors, with the
// loss reduced to the target alone (masked-LM loss at the target row, or NSP's with label IsNext)
// and the backward scaled so that it yields d target / d e exactly: the loss is a mean of minus
// log-probabilities. Input gradients only: the weights are constants, as with PyTorch's frozen
// weights. One object per call, so concurrent callers share nothing but the const model; a
// thread's next call reuses the last one's activation buffers (see the destructor).
class TargetGradient {
public:
    TargetGradient(const BertModel& model, const Encoding& input, const ResolvedTarget& target,
                   std::vector<float> headMultipliers, std::stop_token stop);
    // Leaves a pass of modest size to this thread's next TargetGradient of the same architecture.
    ~TargetGradient();
    TargetGradient(const TargetGradient&) = delete;
    TargetGradient& operator=(const TargetGradient&) = delete;

    int tokens() const { return T_; }
    int hidden() const { return H_; }
    // e: the word-embedding vector of each position, [T, H].
    const std::vector<float>& wordVectors() const { return words_; }
    // How many copies fit one batch within `budgetBytes` of activations (at least 1).
    int copiesWithin(size_t budgetBytes) const;

    // embeds [copies·T, H]. Fills values[copies] with the target of each copy and, when
    // `backward`, gradient() [copies·T, H] = d target_c / d e of each copy's rows (and, when
    // `headGradient`, headGradient() [L·heads] = Σ_c d target_c / d m).
    void run(const float* embeds, int copies, std::vector<double>& values, bool backward, bool headGradient = false);
    const float* gradient() const;
    const std::vector<float>& headGradient() const;

private:
    const BertModel& model_;
    ResolvedTarget target_;
    BertConfig passConfig_;  // the model's, dropout off
    std::unique_ptr<TrainingModel> pass_;
    layers::BertParams params_;
    const Encoding& input_;
    int T_ = 0, H_ = 0;
    std::vector<float> words_;
    TrainingBatch batch_;
};

} // namespace bertlab
