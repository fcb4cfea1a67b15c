// `bertlab-cli nsp MODEL --text A --pair B [--ablate L:H,...] [--json]`: does B follow A?
#include "command.h"
#include "json_output.h"
#include "model_arguments.h"

#include "error.h"

#include <cstdio>

namespace bertlab::cli {
namespace {

int runNsp(const Args& args)
{
    const auto model = loadModelArgument(args);
    if (!args.has("--pair")) throw Error("nsp needs a second sentence: --pair B");
    const Encoding e = encodeTextArguments(*model, args);
    Probe probe;
    probe.nsp = true;
    const HeadAblation ablation = ablationArgument(*model, args);
    probe.headMultipliers = ablation.multipliers();
    const Trace trace = model->forward(e, probe);
    if (args.has("--json")) {
        nlohmann::json j = nspJson(*trace.nsp);
        if (!ablation.empty()) j["ablated"] = ablation.toString();
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    if (!ablation.empty()) std::printf("heads switched off: %s\n", ablation.toString().c_str());
    std::printf("B follows A (IsNext):        %6.2f%%\n", 100.0 * trace.nsp->isNext);
    std::printf("B is random (NotNext):       %6.2f%%\n", 100.0 * trace.nsp->notNext);
    return 0;
}

const CommandRegistration registration(
    {"nsp",
     "nsp MODEL --text A --pair B [--ablate L:H[,L:H...]] [--json]",
     "The next-sentence verdict for a sentence pair.",
     {modelPositional()},
     {textInputOption(),
      pairOption(),
      ablateOption(),
      jsonOption()},
     runNsp});

} // namespace
} // namespace bertlab::cli
