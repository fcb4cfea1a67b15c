// Model loading and input encoding shared by info, fill-mask, nsp, inspect and bench.
#include "model_arguments.h"

#include "error.h"
#include "hub/model_reference.h"
#include "model_io.h"

#include <cstdio>

namespace bertlab::cli {

std::string resolveModelArgument(const std::string& argument)
{
    return hub::resolveModelReference(argument);
}

std::shared_ptr<BertModel> loadModelArgument(const Args& args)
{
    return loadModel(resolveModelArgument(args.requirePositional(0, "MODEL (a model folder, weight file or Hugging Face repo id)")));
}

Encoding encodeTextArguments(const BertModel& model, const Args& args)
{
    const std::string a = args.require("--text");
    if (a.find_first_not_of(" \t\r\n") == std::string::npos) throw Error("--text is empty: give a sentence");
    if (args.has("--pair") && args.get("--pair").find_first_not_of(" \t\r\n") == std::string::npos)
        throw Error("--pair is empty: give a second sentence or leave --pair out");
    Encoding e;
    if (args.has("--pair")) {
        const std::string b = args.get("--pair");
        e = model.encode(a, &b);
    } else {
        e = model.encode(a);
    }
    if (e.truncated)
        std::fprintf(stderr, "warning: the input was truncated to the model's %d tokens\n",
                     model.config().maxPositionEmbeddings);
    return e;
}

HeadAblation ablationArgument(const BertModel& model, const Args& args)
{
    const BertConfig& c = model.config();
    if (!args.has("--ablate")) return HeadAblation(c.numHiddenLayers, c.numAttentionHeads);
    return HeadAblation::parse(args.get("--ablate"), c.numHiddenLayers, c.numAttentionHeads);
}

std::vector<int> maskPositions(const BertModel& model, const Encoding& encoding)
{
    std::vector<int> positions;
    const int mask = model.vocab().maskId();
    for (int i = 0; i < encoding.size(); ++i)
        if (encoding.ids[i] == mask) positions.push_back(i);
    return positions;
}

} // namespace bertlab::cli
