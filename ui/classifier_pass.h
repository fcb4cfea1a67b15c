// The fine-tuned classifier's answer for the explorer's input, computed on the analysis thread with the forward pass.
#pragma once

#include "bert_config.h"
#include "finetune/classifier.h"

#include <QString>

#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace bertlab::ui {

struct ClassifierOutput {
    ClassifierTask task = ClassifierTask::None;
    std::vector<std::string> labels;               // label-id order
    std::optional<SequenceClassification> sequence; // task Sequence
    std::optional<TokenClassification> tokens;      // task Token
};

// Sequence task: the encoding the model saw (sentence pair and masks included), as `classify`
// reads it. Token task: sentence A split at whitespace, one word each (as `classify --text` does);
// sentence B plays no part. Throws Error / Cancelled like the engine.
// `headMultipliers`: the explorer's switched-off heads (empty: none).
ClassifierOutput classifyInput(const BertModel& model, const Encoding& encoding, const QString& textA,
                               const std::vector<float>& headMultipliers = {}, std::stop_token stop = {});

} // namespace bertlab::ui
