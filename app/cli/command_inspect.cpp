// `bertlab-cli inspect MODEL --text A [--pair B] [--ablate L:H,...] --json`: every intermediate the views draw.
#include "command.h"
#include "json_output.h"
#include "model_arguments.h"

#include <cstdio>

namespace bertlab::cli {
namespace {

int runInspect(const Args& args)
{
    const auto model = loadModelArgument(args);
    const Encoding e = encodeTextArguments(*model, args);
    Probe probe;
    probe.embeddingParts = probe.hiddenStates = probe.attentions = true;
    probe.nsp = model->hasNsp() && args.has("--pair");
    if (model->hasMlm()) {
        probe.mlmPositions = maskPositions(*model, e);
        probe.logitLens = !probe.mlmPositions.empty();
    }
    const HeadAblation ablation = ablationArgument(*model, args);
    probe.headMultipliers = ablation.multipliers();  // the attentions then show them multiplied
    const Trace trace = model->forward(e, probe);

    nlohmann::json j = encodingJson(e);
    const EmbeddingParts& parts = *trace.embeddings;
    j["embeddings"] = {{"token", matrixJson(parts.token)},     {"segment", matrixJson(parts.segment)},
                       {"position", matrixJson(parts.position)}, {"sum", matrixJson(parts.sum)},
                       {"normalized", matrixJson(parts.normalized)}};
    nlohmann::json hidden = nlohmann::json::array();
    for (const Matrix& h : trace.hiddenStates) hidden.push_back(matrixJson(h));
    j["hidden_states"] = std::move(hidden);
    nlohmann::json attentions = nlohmann::json::array();
    for (const auto& layer : trace.attentions) {
        nlohmann::json heads = nlohmann::json::array();
        for (const Matrix& a : layer) heads.push_back(matrixJson(a));
        attentions.push_back(std::move(heads));
    }
    j["attentions"] = std::move(attentions);
    j["nsp"] = trace.nsp ? nspJson(*trace.nsp) : nlohmann::json(nullptr);
    if (!trace.mlm.empty()) {
        j["predictions"] = predictionsJson(trace.mlm);
        nlohmann::json lens = nlohmann::json::array();
        for (const auto& layer : trace.logitLens) lens.push_back(predictionsJson(layer));
        j["logit_lens"] = std::move(lens);
    }
    if (!ablation.empty()) j["ablated"] = ablation.toString();
    std::printf("%s\n", j.dump().c_str());
    return 0;
}

const CommandRegistration registration(
    {"inspect",
     "inspect MODEL --text A [--pair B] [--ablate L:H[,L:H...]] --json",
     "Everything the explorer shows for a text, as JSON: tokens, embeddings, attention, guesses.",
     {modelPositional()},
     {textInputOption(),
      pairOption(),
      ablateOption(),
      jsonOption()},
     runInspect});

} // namespace
} // namespace bertlab::cli
