// `bertlab-cli classify MODEL --text A [--pair B] [--ablate L:H,...] [--json]`: a fine-tuned model's labels for a sentence (pair) or its words.
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
    const HeadAblation ablation = ablationArgument(model, args);
    const SequenceClassification result = classifySequence(model, e, ablation.multipliers());
    const auto& labels = model.labels();
    std::vector<size_t> order(result.probs.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return result.probs[a] > result.probs[b]; });
    if (args.has("--json")) {
        nlohmann::json ranked = nlohmann::json::array();
        for (size_t i : order) ranked.push_back({{"label", labels[i]}, {"prob", result.probs[i]}});
        nlohmann::json j{{"labels", ranked}, {"logits", result.logits}};
        if (!ablation.empty()) j["ablated"] = ablation.toString();
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    if (!ablation.empty()) std::printf("heads switched off: %s\n", ablation.toString().c_str());
    for (size_t i : order) std::printf("%-20s %6.2f%%\n", labels[i].c_str(), 100.0 * result.probs[i]);
    return 0;
}

int runToken(const BertModel& model, const Args& args)
{
    if (args.has("--pair")) throw Error("a token classifier labels the words of one text; --pair is for sequence tasks");
    const std::string text = args.require("--text");
    const HeadAblation ablation = ablationArgument(model, args);
    const TokenClassification result = classifyTokens(model, splitWords(text), ablation.multipliers());
    const auto& labels = model.labels();
    if (args.has("--json")) {
        nlohmann::json words = nlohmann::json::array();
        for (const WordLabel& w : result.words)
            words.push_back({{"word", w.word}, {"label", labels[static_cast<size_t>(w.label)]}, {"prob", w.prob}});
        nlohmann::json j{{"words", words}, {"tokens", result.input.encoding.tokens}};
        if (!ablation.empty()) j["ablated"] = ablation.toString();
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    if (!ablation.empty()) std::printf("heads switched off: %s\n", ablation.toString().c_str());
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
     "classify MODEL --text A [--pair B] [--ablate L:H[,L:H...]] [--json]",
     "Runs a fine-tuned classifier (sequence or token task) on a text.",
     {modelPositional()},
     {textInputOption(),
      pairOption(),
      ablateOption(),
      jsonOption()},
     runClassify});

} // namespace
} // namespace bertlab::cli
