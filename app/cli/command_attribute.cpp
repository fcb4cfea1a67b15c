// `bertlab-cli attribute MODEL --text A [--pair B] --target T [--method grad|grad-input|ig] [--steps N] [--ablate ...] [--json]`.
#include "command.h"
#include "json_output.h"
#include "model_arguments.h"

#include "attribution/input_attribution.h"
#include "error.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bertlab::cli {
namespace {

// A diverging bar: '-' to the left of the axis for negative values, '+' to the right.
std::string bar(double value, double largest, int width)
{
    const int n = largest > 0.0 ? static_cast<int>(std::lround(std::abs(value) / largest * width)) : 0;
    // Appended in place: GCC 12 warns (-Warray-bounds, wrongly) on chains of operator+ temporaries.
    std::string out;
    if (value < 0.0) {
        out.append(static_cast<size_t>(width - n), ' ').append(static_cast<size_t>(n), '-').push_back('|');
    } else {
        out.append(static_cast<size_t>(width), ' ').append(1, '|').append(static_cast<size_t>(n), '+');
    }
    return out;
}

std::string describe(const ResolvedTarget& t)
{
    if (t.kind == AttributionTarget::Kind::NextSentence) return "nsp: log p(IsNext)";
    return "mlm:" + std::to_string(t.position) + " \"" + t.token + "\" (id " + std::to_string(t.tokenId) + ")";
}

int runAttribute(const Args& args)
{
    const auto model = loadModelArgument(args);
    const Encoding e = encodeTextArguments(*model, args);
    AttributionRequest request;
    request.target = AttributionTarget::parse(args.require("--target"));
    const std::string method = args.get("--method", "grad-input");
    const auto parsed = parseAttributionMethod(method);
    if (!parsed) throw Error("--method \"" + method + "\" is not grad, grad-input or ig");
    request.method = *parsed;
    if (args.has("--steps") && request.method != AttributionMethod::IntegratedGradients)
        throw Error("--steps applies to --method ig only");
    request.steps = args.getInt("--steps", 32);
    // Integrated gradients runs dozens of passes: packing the weights (one Q/K/V product, huge
    // pages) costs about one loading and pays back within the run; a single pass would not.
    if (request.method == AttributionMethod::IntegratedGradients) model->packWeights();
    const HeadAblation ablation = ablationArgument(*model, args);
    request.headMultipliers = ablation.multipliers();
    AttributionProgress progress;
    if (::isatty(2) != 0 && request.method == AttributionMethod::IntegratedGradients)
        progress = [](int done, int total) {
            std::fprintf(stderr, "\rintegrated gradients: %d of %d batches done", done, total);
            if (done == total) std::fprintf(stderr, "\r\033[K");
            std::fflush(stderr);
        };
    const InputAttribution a = attributeInputs(*model, e, request, {}, progress);

    if (args.has("--json")) {
        nlohmann::json j{{"tokens", e.tokens},
                         {"target", targetJson(a.target)},
                         {"method", attributionMethodName(a.method)},
                         {"steps", a.method == AttributionMethod::IntegratedGradients ? nlohmann::json(a.steps)
                                                                                       : nlohmann::json(nullptr)},
                         {"attributions", a.values},
                         {"sum", a.sum}};
        if (a.targetAtBaseline) j["target_at_baseline"] = *a.targetAtBaseline;
        if (!ablation.empty()) j["ablated"] = ablation.toString();
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    std::printf("target: %s, log-probability %.6f\n", describe(a.target).c_str(), a.target.logprob);
    if (!ablation.empty()) std::printf("heads switched off: %s\n", ablation.toString().c_str());
    std::printf("method: %s", std::string(attributionMethodName(a.method)).c_str());
    if (a.method == AttributionMethod::IntegratedGradients) std::printf(", %d steps", a.steps);
    std::printf("\n\n");
    double largest = 0.0;
    for (double v : a.values) largest = std::max(largest, std::abs(v));
    for (size_t t = 0; t < a.values.size(); ++t)
        std::printf("%4zu  %-16s %12.6f  %s\n", t, e.tokens[t].c_str(), a.values[t], bar(a.values[t], largest, 20).c_str());
    std::printf("\nsum %.6f\n", a.sum);
    if (a.targetAtBaseline) {
        const double expected = a.target.logprob - *a.targetAtBaseline;
        std::printf("completeness: sum %.6f vs log-probability - target at baseline (all-zero input) %.6f: gap %.2g\n",
                    a.sum, expected, a.sum - expected);
    }
    return 0;
}

const CommandRegistration registration(
    {"attribute",
     "attribute MODEL --text A [--pair B] --target mlm:POS[:TOKEN]|nsp [--method grad|grad-input|ig] [--steps N] "
     "[--ablate L:H[,L:H...]] [--json]",
     "Which input words a masked-word guess or the next-sentence verdict rests on (gradients or integrated gradients).",
     {modelPositional()},
     {textInputOption(),
      pairOption(),
      textOption("--target", "mlm:POS[:TOKEN]|nsp", "what to explain: the guess at token position POS (optionally for TOKEN), or the NSP verdict"),
      textOption("--method", "grad|grad-input|ig", "attribution method (default grad-input)"),
      wholeOption("--steps", "N", "integrated-gradients steps (default 32; --method ig only)"),
      ablateOption(),
      jsonOption()},
     runAttribute});

} // namespace
} // namespace bertlab::cli
