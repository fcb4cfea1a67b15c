// `bertlab-cli head-importance MODEL --text A [--pair B] --target T [--method sweep|gradient] [--json]`.
#include "command.h"
#include "json_output.h"
#include "model_arguments.h"

#include "attribution/head_importance.h"
#include "error.h"

#include <unistd.h>

#include <cstdio>

namespace bertlab::cli {
namespace {

int runHeadImportance(const Args& args)
{
    const auto model = loadModelArgument(args);
    const Encoding e = encodeTextArguments(*model, args);
    const AttributionTarget target = AttributionTarget::parse(args.require("--target"));
    const std::string name = args.get("--method", "sweep");
    const auto method = parseImportanceMethod(name);
    if (!method) throw Error("--method \"" + name + "\" is not sweep or gradient");
    // The sweep runs L·heads + 1 passes: packed weights (BertModel::packWeights) pay back within it.
    if (*method == ImportanceMethod::Sweep) model->packWeights();
    const bool tty = ::isatty(2) != 0;
    AttributionProgress progress;
    if (tty && *method == ImportanceMethod::Sweep)
        progress = [](int done, int total) {
            std::fprintf(stderr, "\rsweep: layer %d of %d", done, total);
            if (done == total) std::fprintf(stderr, "\r\033[K");
            std::fflush(stderr);
        };
    const HeadImportance imp = headImportance(*model, e, target, *method, {}, progress);

    if (args.has("--json")) {
        nlohmann::json rows = nlohmann::json::array();
        for (int l = 0; l < imp.layers; ++l) {
            nlohmann::json row = nlohmann::json::array();
            for (int h = 0; h < imp.heads; ++h) row.push_back(imp.at(l, h));
            rows.push_back(std::move(row));
        }
        const nlohmann::json j{{"tokens", e.tokens},
                               {"target", targetJson(imp.target)},
                               {"method", importanceMethodName(imp.method)},
                               {"importance", std::move(rows)}};
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    const ResolvedTarget& t = imp.target;
    if (t.kind == AttributionTarget::Kind::NextSentence)
        std::printf("target: nsp, log p(IsNext) %.6f\n", t.logprob);
    else
        std::printf("target: mlm:%d \"%s\" (id %d), log-probability %.6f\n", t.position, t.token.c_str(), t.tokenId,
                    t.logprob);
    std::printf(imp.method == ImportanceMethod::Sweep
                    ? "method: sweep, target(intact) - target(only that head switched off)\n\n"
                    : "method: gradient, d target / d m(l, h) at m = 1\n\n");
    std::printf("     ");
    for (int h = 0; h < imp.heads; ++h) std::printf(" %9s", ("H" + std::to_string(h + 1)).c_str());
    std::printf("\n");
    for (int l = 0; l < imp.layers; ++l) {
        std::printf("%-5s", ("L" + std::to_string(l + 1)).c_str());
        for (int h = 0; h < imp.heads; ++h) std::printf(" %9.4f", imp.at(l, h));
        std::printf("\n");
    }
    return 0;
}

const CommandRegistration registration(
    {"head-importance",
     "head-importance MODEL --text A [--pair B] --target mlm:POS[:TOKEN]|nsp [--method sweep|gradient] [--json]",
     "Ranks every attention head by how much the chosen guess depends on it.",
     {modelPositional()},
     {textInputOption(),
      pairOption(),
      textOption("--target", "mlm:POS[:TOKEN]|nsp", "the guess at token position POS (optionally for TOKEN), or the NSP verdict"),
      textOption("--method", "sweep|gradient", "switch each head off in turn, or the gradient estimate (default sweep)"),
      jsonOption()},
     runHeadImportance});

} // namespace
} // namespace bertlab::cli
