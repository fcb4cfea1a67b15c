// `bertlab-cli info MODEL [--json]`: config, parameter count, heads present, source format.
#include "command.h"
#include "model_arguments.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace bertlab::cli {
namespace {

int runInfo(const Args& args)
{
    const auto model = loadModelArgument(args);
    const BertConfig& c = model->config();
    const ModelInfo& info = model->info();
    if (args.has("--json")) {
        nlohmann::json j = {
            {"path", info.path},
            {"source_format", info.sourceFormat},
            {"config", nlohmann::json::parse(c.toJson())},
            {"parameters", info.parameterCount},
            {"weight_bytes", info.weightBytes},
            {"vocab_size", model->vocab().size()},
            {"lower_case", model->tokenizer().lowerCase()},
            {"heads", {{"pooler", info.hasPooler}, {"mlm", model->hasMlm()}, {"nsp", model->hasNsp()},
                       {"classifier", model->hasClassifier()}}},
            {"task", classifierTaskName(info.classifierTask)},
            {"labels", model->labels()},
            {"warnings", info.warnings},
        };
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("model:       %s\n", info.path.c_str());
    std::printf("format:      %s\n", info.sourceFormat.c_str());
    std::printf("layers:      %d\nhidden:      %d\nheads:       %d\nintermediate:%d\n", c.numHiddenLayers,
                c.hiddenSize, c.numAttentionHeads, c.intermediateSize);
    std::printf("activation:  %s\nmax tokens:  %d\nvocab:       %d (%s)\n", activationName(c.hiddenAct),
                c.maxPositionEmbeddings, model->vocab().size(), model->tokenizer().lowerCase() ? "uncased" : "cased");
    std::printf("parameters:  %lld (%.1f MB of weights)\n", static_cast<long long>(info.parameterCount),
                static_cast<double>(info.weightBytes) / 1e6);
    std::printf("MLM head:    %s\nNSP head:    %s\n", model->hasMlm() ? "present" : "missing",
                model->hasNsp() ? "present" : "missing");
    if (info.classifierTask != ClassifierTask::None) {
        std::string labels;
        for (const std::string& l : model->labels()) labels += (labels.empty() ? "" : ", ") + l;
        std::printf("classifier:  %s task, %s\n", classifierTaskName(info.classifierTask),
                    model->hasClassifier() ? (std::to_string(model->labels().size()) + " labels: " + labels).c_str()
                                           : "missing");
    }
    for (const std::string& w : info.warnings) std::printf("warning:     %s\n", w.c_str());
    return 0;
}

const CommandRegistration registration(
    {"info",
     "info MODEL [--json]",
     "What a model is: its format, shape, vocabulary, heads and task.",
     {modelPositional()},
     {jsonOption()},
     runInfo});

} // namespace
} // namespace bertlab::cli
