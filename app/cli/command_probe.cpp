// `bertlab-cli probe MODEL --task token|sequence --train FILE --dev FILE [--json]`: a linear probe per layer.
#include "command.h"
#include "model_arguments.h"
#include "progress_line.h"

#include "error.h"
#include "finetune/linear_probe.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace bertlab::cli {
namespace {

int runProbe(const Args& args)
{
    const auto model = loadModelArgument(args);
    ProbeOptions o;
    const std::string task = args.require("--task");
    if (task == "sequence")
        o.task = ClassifierTask::Sequence;
    else if (task == "token")
        o.task = ClassifierTask::Token;
    else
        throw Error("option --task expects sequence or token, got '" + task + "'");
    o.maxSeqLength = args.getInt("--max-seq-length", std::min(128, model->config().maxPositionEmbeddings));
    o.maxTrainItems = args.getInt("--max-train-items", o.maxTrainItems);
    if (o.maxTrainItems < 1) throw Error("--max-train-items must be at least 1");
    ProgressLine line;
    const ProbeResult r = runLinearProbe(*model, args.require("--train"),
                                         args.require("--dev"), o, {}, [&](int done, int total) {
                                             line.update(done, total, done == 0 ? "reading features" : "fitting layers");
                                         });
    line.finish();
    if (args.has("--json")) {
        nlohmann::json layers = nlohmann::json::array();
        for (const ProbeLayerScore& s : r.layers) layers.push_back({{"layer", s.layer}, {"dev_accuracy", s.devAccuracy}});
        std::printf("%s\n", nlohmann::json{{"layers", layers}, {"majority_baseline", r.majorityBaseline}}.dump().c_str());
        return 0;
    }
    std::printf("%d training and %d dev items, %zu labels; majority baseline %.2f%% (%s)\n", r.trainItems, r.devItems,
                r.labels.size(), 100.0 * r.majorityBaseline, r.majorityLabel.c_str());
    std::printf("layer  dev accuracy  train accuracy\n");
    for (const ProbeLayerScore& s : r.layers)
        std::printf("%5d  %11.2f%%  %13.2f%%\n", s.layer, 100.0 * s.devAccuracy, 100.0 * s.trainAccuracy);
    return 0;
}

const CommandRegistration registration(
    {"probe",
     "probe MODEL --task token|sequence --train FILE --dev FILE "
                                        "[--max-seq-length 128] [--max-train-items 20000] [--json]",
     "Trains a linear probe on every layer's vectors to see where a task's information lives.",
     {modelPositional()},
     {textOption("--task", "token|sequence", "a label per word or per text"),
      textOption("--train", "FILE", "training data (docs/finetuning.md)"),
      textOption("--dev", "FILE", "held-out data the probes are scored on"),
      wholeOption("--max-seq-length", "L", "tokens per example (default 128)"),
      wholeOption("--max-train-items", "N", "training vectors per layer at most (default 20000)"),
      jsonOption()},
     runProbe});

} // namespace
} // namespace bertlab::cli
