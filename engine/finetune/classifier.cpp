// Runs the single forward pass and a fine-tuned classifier on its pooled output or on every token's last state.
#include "finetune/classifier.h"

#include "bert_model.h"
#include "error.h"
#include "layers/dense.h"
#include "layers/softmax.h"

namespace bertlab {
namespace {

void requireTask(const BertModel& model, ClassifierTask task)
{
    const ClassifierTask has = model.config().classifierTask();
    if (has == ClassifierTask::None)
        throw Error("this model has no classifier: its config.json names neither BertForSequenceClassification nor "
                    "BertForTokenClassification (fine-tune it first)");
    if (has != task)
        throw Error(std::string("this model is a ") + classifierTaskName(has) + " classifier, not a " +
                    classifierTaskName(task) + " one");
    if (!model.hasClassifier())
        throw Error("this model's classifier head is missing (classifier.weight / classifier.bias, or the pooler); "
                    "see `bertlab-cli info`");
}

// rows [n, H] -> logits [n, labels]
std::vector<float> classifierLogits(const BertModel& model, const float* rows, int n)
{
    const LinearWeights& c = *model.weights().classifier;
    const int labels = static_cast<int>(c.weight.shape[0]);
    std::vector<float> logits(static_cast<size_t>(n) * labels);
    layers::denseForward(logits.data(), rows, c.weight.data, c.bias.data, n, model.config().hiddenSize, labels);
    return logits;
}

std::vector<float> softmaxOf(const float* logits, int n)
{
    std::vector<float> p(logits, logits + n);
    layers::softmaxRows(p.data(), 1, n, n);
    return p;
}

} // namespace

SequenceClassification classifySequence(const BertModel& model, const Encoding& input,
                                        const std::vector<float>& headMultipliers, std::stop_token stop)
{
    requireTask(model, ClassifierTask::Sequence);
    Probe probe;
    probe.pooled = true;
    probe.headMultipliers = headMultipliers;
    const Trace trace = model.forward(input, probe, std::move(stop));
    SequenceClassification out;
    out.logits = classifierLogits(model, trace.pooled.data(), 1);
    out.probs = softmaxOf(out.logits.data(), static_cast<int>(out.logits.size()));
    return out;
}

TokenClassification classifyTokens(const BertModel& model, const std::vector<std::string>& words,
                                   const std::vector<float>& headMultipliers, std::stop_token stop)
{
    requireTask(model, ClassifierTask::Token);
    if (words.empty()) throw Error("no words to label");
    TokenClassification out;
    out.input = encodeWords(model.tokenizer(), words, model.config().maxPositionEmbeddings);
    if (out.input.encoding.truncated)
        throw Error("the text has more wordpieces than this model's " +
                    std::to_string(model.config().maxPositionEmbeddings) + " positions");
    Probe probe;
    probe.hiddenStates = true;
    probe.headMultipliers = headMultipliers;
    const Trace trace = model.forward(out.input.encoding, probe, std::move(stop));
    const Matrix& last = trace.hiddenStates.back();
    const int T = static_cast<int>(last.rows()), labels = static_cast<int>(model.labels().size());
    const std::vector<float> logits = classifierLogits(model, last.data(), T);
    for (int t = 0; t < T; ++t)
        out.logits.emplace_back(logits.begin() + static_cast<ptrdiff_t>(t) * labels,
                                logits.begin() + static_cast<ptrdiff_t>(t + 1) * labels);
    for (size_t w = 0; w < words.size(); ++w) {
        const int t = out.input.firstPiece[w];
        WordLabel label;
        label.word = words[w];
        label.probs = softmaxOf(out.logits[static_cast<size_t>(t)].data(), labels);
        for (int k = 1; k < labels; ++k)
            if (label.probs[static_cast<size_t>(k)] > label.probs[static_cast<size_t>(label.label)]) label.label = k;
        label.prob = label.probs[static_cast<size_t>(label.label)];
        out.words.push_back(std::move(label));
    }
    return out;
}

} // namespace bertlab
