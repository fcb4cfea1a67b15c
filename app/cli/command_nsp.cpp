// `bertlab-cli nsp MODEL --text A --pair B [--json]`: does B follow A?
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
    const Trace trace = model->forward(e, probe);
    if (args.has("--json")) {
        std::printf("%s\n", nspJson(*trace.nsp).dump().c_str());
        return 0;
    }
    std::printf("B follows A (IsNext):        %6.2f%%\n", 100.0 * trace.nsp->isNext);
    std::printf("B is random (NotNext):       %6.2f%%\n", 100.0 * trace.nsp->notNext);
    return 0;
}

const CommandRegistration registration({"nsp", "nsp MODEL --text A --pair B [--json]", {"--json"}, runNsp});

} // namespace
} // namespace bertlab::cli
