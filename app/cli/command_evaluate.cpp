// `bertlab-cli evaluate MODEL --examples FILE [--batch-size B] [--json]`: held-out MLM and NSP loss and accuracy.
#include "command.h"
#include "model_arguments.h"

#include "error.h"
#include "training/parameter_buffer.h"
#include "training/pretraining_example.h"
#include "training/trainer.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace bertlab::cli {
namespace {

int runEvaluate(const Args& args)
{
    const auto model = loadModelArgument(args);
    // Scores from a randomly initialised head would be meaningless; refuse rather than report them.
    if (!model->hasMlm() || !model->hasNsp())
        throw Error("evaluate needs both pretraining heads; this model has " +
                    std::string(model->hasMlm() ? "no NSP head" : model->hasNsp() ? "no MLM head" : "neither head"));
    auto examples = readExamplesJsonl(args.require("--examples"), model->config().vocabSize);
    if (examples.empty()) throw Error(args.get("--examples") + " holds no examples");
    TrainerOptions options;
    options.batchSize = args.getInt("--batch-size", 64);
    options.dropout = 0.0f;
    std::vector<std::string> fresh;
    ParameterBuffer params = ParameterBuffer::fromModel(*model, options.seed, &fresh);
    if (!fresh.empty()) throw Error("the model lacks " + fresh.front() + " weights: cannot evaluate it");
    // The trainer's own evaluation (dropout off, every masked position, every example), so the
    // numbers are the ones a run's eval.jsonl reports. It trains on nothing; the training set
    // only has to be non-empty.
    std::vector<PretrainingExample> unused(examples.begin(), examples.begin() + 1);
    Trainer trainer(std::move(params), model->tokenizer().sharedVocab(), model->tokenizer().lowerCase(),
                    std::move(unused), std::move(examples), options, "");
    const EvaluationMetrics e = trainer.evaluate();
    if (args.has("--json")) {
        const nlohmann::json j = {{"examples", e.examples},         {"loss", e.loss},
                                  {"mlm_loss", e.mlmLoss},          {"nsp_loss", e.nspLoss},
                                  {"mlm_accuracy", e.mlmAccuracy},  {"nsp_accuracy", e.nspAccuracy}};
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("%lld examples: MLM accuracy %.2f%% (loss %.4f), NSP accuracy %.2f%% (loss %.4f)\n",
                static_cast<long long>(e.examples), 100.0 * e.mlmAccuracy, e.mlmLoss, 100.0 * e.nspAccuracy, e.nspLoss);
    return 0;
}

const CommandRegistration registration(
    {"evaluate",
     "evaluate MODEL --examples FILE [--batch-size B] [--json]",
     "Masked-word and next-sentence loss and accuracy of a model on pre-training examples.",
     {modelPositional()},
     {textOption("--examples", "FILE", "examples.jsonl from make-examples"),
      wholeOption("--batch-size", "B", "examples per pass (default 64)"),
      jsonOption()},
     runEvaluate});

} // namespace
} // namespace bertlab::cli
