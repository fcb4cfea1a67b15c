// Runs classifySequence / classifyTokens for the analysis worker (both are thread-safe on a const model).
#include "classifier_pass.h"

#include "bert_model.h"

#include "finetune/word_encoding.h"

namespace bertlab::ui {

ClassifierOutput classifyInput(const BertModel& model, const Encoding& encoding, const QString& textA,
                               const std::vector<float>& headMultipliers, std::stop_token stop)
{
    ClassifierOutput out;
    out.task = model.config().classifierTask();
    out.labels = model.labels();
    if (out.task == ClassifierTask::Sequence)
        out.sequence = classifySequence(model, encoding, headMultipliers, std::move(stop));
    else if (out.task == ClassifierTask::Token)
        out.tokens = classifyTokens(model, splitWords(textA.toStdString()), headMultipliers, std::move(stop));
    return out;
}

} // namespace bertlab::ui
