// `bertlab-cli fill-mask MODEL --text "... [MASK] ..." [--pair B] [--top-k K] [--ablate L:H,...] [--json]`.
#include "command.h"
#include "json_output.h"
#include "model_arguments.h"

#include "error.h"

#include <cstdio>

namespace bertlab::cli {
namespace {

int runFillMask(const Args& args)
{
    const auto model = loadModelArgument(args);
    const Encoding e = encodeTextArguments(*model, args);
    Probe probe;
    probe.mlmPositions = maskPositions(*model, e);
    if (probe.mlmPositions.empty()) throw Error("the text has no [MASK] token to fill");
    probe.topK = args.getInt("--top-k", 5);
    if (probe.topK < 1) throw Error("--top-k must be at least 1");
    const HeadAblation ablation = ablationArgument(*model, args);
    probe.headMultipliers = ablation.multipliers();
    const Trace trace = model->forward(e, probe);
    if (args.has("--json")) {
        nlohmann::json j{{"predictions", predictionsJson(trace.mlm)}};
        if (!ablation.empty()) j["ablated"] = ablation.toString();
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    if (!ablation.empty()) std::printf("heads switched off: %s\n", ablation.toString().c_str());
    for (const MaskedPrediction& p : trace.mlm) {
        std::printf("position %d:\n", p.position);
        for (const TokenGuess& g : p.candidates) std::printf("  %-16s %6d  %6.2f%%\n", g.token.c_str(), g.id, 100.0 * g.prob);
    }
    return 0;
}

const CommandRegistration registration(
    {"fill-mask",
     "fill-mask MODEL --text \"... [MASK] ...\" [--pair B] [--top-k K] [--ablate L:H[,L:H...]] [--json]",
     "The model's guesses for every [MASK] in a text.",
     {modelPositional()},
     {textInputOption(),
      pairOption(),
      wholeOption("--top-k", "K", "guesses per [MASK] (default 5)"),
      ablateOption(),
      jsonOption()},
     runFillMask});

} // namespace
} // namespace bertlab::cli
