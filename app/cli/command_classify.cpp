// `bertlab-cli classify MODEL --text A [--pair B] [--json]`: a fine-tuned model's labels for a sentence (pair) or its words.
#include "command.h"
#include "model_arguments.h"

#include "error.h"
#include "finetune/classifier.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace bertlab::cli {
namespace {

int runSequence(const BertModel& model, const Args& args)
{
    const Encoding e = encodeTextArguments(model, args);
    const SequenceClassification result = classifySequence(model, e);
    const auto& labels = model.labels();
    std::vector<size_t> order(result.probs.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return result.probs[a] > result.probs[b]; });
    if (args.has("--json")) {
        nlohmann::json ranked = nlohmann::json::array();
        for (size_t i : order) ranked.push_back({{"label", labels[i]}, {"prob", result.probs[i]}});
        std::printf("%s\n", nlohmann::json{{"labels", ranked}, {"logits", result.logits}}.dump().c_str());
        return 0;
    }
    for (size_t i : order) std::printf("%-20s %6.2f%%\n", labels[i].c_str(), 100.0 * result.probs[i]);
    return 0;
}

int runToken(const BertModel& model, const Args& args)
{
    if (args.has("--pair")) throw Error("a token classifier labels the words of one text; --pair is for sequence tasks");
    const std::string text = args.require("--text");
    const TokenClassification result = classifyTokens(model, splitWords(text));
    const auto& labels = model.labels();
    if (args.has("--json")) {
        nlohmann::json words = nlohmann::json::array();
        for (const WordLabel& w : result.words)
            words.push_back({{"word", w.word}, {"label", labels[static_cast<size_t>(w.label)]}, {"prob", w.prob}});
        std::printf("%s\n", nlohmann::json{{"words", words}, {"tokens", result.input.encoding.tokens}}.dump().c_str());
        return 0;
    }
    for (const WordLabel& w : result.words)
        std::printf("%-24s %-12s %6.2f%%\n", w.word.c_str(), labels[static_cast<size_t>(w.label)].c_str(), 100.0 * w.prob);
    return 0;
}

int runClassify(const Args& args)
{
    const auto model = loadModelArgument(args);
    if (model->config().classifierTask() == ClassifierTask::Token) return runToken(*model, args);
    return runSequence(*model, args);
}

const CommandRegistration registration(
    {"classify",
     "classify MODEL --text A [--pair B] [--json]",
     "Runs a fine-tuned classifier (sequence or token task) on a text.",
     {modelPositional()},
     {textInputOption(),
      pairOption(),
      jsonOption()},
     runClassify});

} // namespace
} // namespace bertlab::cli
