// `bertlab-cli finetune`: labelled data and a base model into a fine-tuned classifier folder, with a progress line.
#include "command.h"
#include "model_arguments.h"
#include "progress_line.h"

#include "bert_model.h"
#include "error.h"
#include "finetune/finetuner.h"
#include "model_io.h"
#include "training/checkpoint.h"

#include <cstdio>
#include <filesystem>
#include <optional>

namespace fs = std::filesystem;

namespace bertlab::cli {
namespace {

ClassifierTask taskArgument(const Args& args)
{
    const std::string task = args.require("--task");
    if (task == "sequence") return ClassifierTask::Sequence;
    if (task == "token") return ClassifierTask::Token;
    throw Error("option --task expects sequence or token, got '" + task + "'");
}

uint64_t seedArgument(const Args& args)
{
    const std::string s = args.get("--seed", "42");
    try {
        size_t used = 0;
        const uint64_t v = std::stoull(s, &used);
        if (used == s.size() && s.front() != '-') return v;
    } catch (...) {
    }
    throw Error("option --seed expects a non-negative whole number, got '" + s + "'");
}

// The labelled examples of one file for the run's task and labels.
std::vector<FinetuneExample> examplesOf(const std::string& path, const FinetuneOptions& o, const Tokenizer& tokenizer)
{
    if (path.empty()) return {};
    if (o.task == ClassifierTask::Sequence)
        return sequenceExamples(readSequenceTask(path), tokenizer, o.labels, o.maxSeqLength);
    int lost = 0;
    auto examples = tokenExamples(readTokenTask(path), tokenizer, o.labels, o.maxSeqLength, &lost);
    if (lost > 0)
        std::fprintf(stderr, "note: %s: %d words fall past --max-seq-length %d and are not trained on\n", path.c_str(),
                     lost, o.maxSeqLength);
    return examples;
}

// Label order: --labels, else the base model's id2label (when it is a classifier of the same
// task), else first appearance in the training file.
std::vector<std::string> labelsFor(const Args& args, const BertModel& init, ClassifierTask task, const std::string& train)
{
    if (args.has("--labels")) return parseLabelList(args.get("--labels"));
    if (init.config().classifierTask() == task && !init.config().labels.empty()) return init.config().labels;
    if (task == ClassifierTask::Sequence) return labelsByFirstAppearance(readSequenceTask(train));
    return labelsByFirstAppearance(readTokenTask(train));
}

// Never write into a folder that holds something else: a user's model or an earlier run.
void checkOutputFolder(const std::string& out, const std::string& init)
{
    std::error_code ec;
    if (fs::exists(out, ec) && fs::equivalent(out, init, ec))
        throw Error("--out is the --init model's folder; choose a new folder so the base model stays intact");
    if (fs::exists(out, ec) && !fs::is_directory(out, ec)) throw Error("--out " + out + " is a file, not a folder");
    if (fs::is_directory(out, ec) && !fs::is_empty(out, ec))
        throw Error("--out " + out + " is not empty; use --resume " + out + " to continue its run, or a new folder");
}

int runFinetune(const Args& args)
{
    std::unique_ptr<Finetuner> run;
    std::string outDir;
    if (args.has("--resume")) {
        outDir = args.get("--resume");
        for (const char* flag : {"--init", "--task", "--labels", "--out"})
            if (args.has(flag)) throw Error(std::string("--resume takes the model and recipe from the checkpoint; drop ") + flag);
        FinetuneOptions o = Finetuner::savedOptions(outDir);
        if (args.has("--train")) o.trainPath = args.get("--train");  // the data may have moved
        if (args.has("--dev")) o.devPath = args.get("--dev");
        const auto snapshots = listModelSnapshots(outDir);
        const auto model = loadModel(snapshots.back().second);
        run = Finetuner::resume(outDir, examplesOf(o.trainPath, o, model->tokenizer()),
                                examplesOf(o.devPath, o, model->tokenizer()));
        std::fprintf(stderr, "resuming at step %lld of %lld\n", static_cast<long long>(run->step()),
                     static_cast<long long>(run->totalSteps()));
    } else {
        FinetuneOptions o;
        o.task = taskArgument(args);
        o.initPath = resolveModelArgument(args.require("--init"));  // a folder, or a repo id in the Hub cache
        o.trainPath = args.require("--train");
        o.devPath = args.get("--dev");
        outDir = args.require("--out");
        o.epochs = args.getInt("--epochs", 3);
        o.batchSize = args.getInt("--batch-size", 32);
        o.lr = args.getDouble("--lr", 2e-5);
        o.warmupRatio = args.getDouble("--warmup-ratio", 0.1);
        o.weightDecay = args.getDouble("--weight-decay", 0.01);
        o.maxSeqLength = args.getInt("--max-seq-length", 128);
        o.dropout = static_cast<float>(args.getDouble("--dropout", 0.1));
        o.seed = seedArgument(args);
        const std::string shuffle = args.get("--shuffle", "on");
        if (shuffle != "on" && shuffle != "off") throw Error("option --shuffle expects on or off, got '" + shuffle + "'");
        o.shuffle = shuffle == "on";
        o.validate();
        checkOutputFolder(outDir, o.initPath);
        const auto init = loadModel(o.initPath);
        if (o.maxSeqLength > init->config().maxPositionEmbeddings)
            throw Error("--max-seq-length " + std::to_string(o.maxSeqLength) + " exceeds the model's " +
                        std::to_string(init->config().maxPositionEmbeddings) + " positions");
        o.labels = labelsFor(args, *init, o.task, o.trainPath);
        // The data first: a bad file should fail before anything else is said or done.
        auto train = examplesOf(o.trainPath, o, init->tokenizer());
        auto dev = examplesOf(o.devPath, o, init->tokenizer());
        BertConfig config = init->config();
        config.architectures = {o.task == ClassifierTask::Sequence ? "BertForSequenceClassification"
                                                                   : "BertForTokenClassification"};
        config.labels = o.labels;
        config.hiddenDropoutProb = config.attentionDropoutProb = o.dropout;
        std::vector<std::string> fresh;
        ParameterBuffer params = ParameterBuffer::fromModel(*init, config, o.seed, &fresh);
        for (const std::string& head : fresh)
            std::fprintf(stderr, "note: %s* starts fresh (N(0, %g), seed %llu)\n", head.c_str(),
                         static_cast<double>(config.initializerRange), static_cast<unsigned long long>(o.seed));
        std::fprintf(stderr, "%s task, %zu labels, %zu training and %zu dev examples\n", classifierTaskName(o.task),
                     o.labels.size(), train.size(), dev.size());
        run = std::make_unique<Finetuner>(std::move(params), init->tokenizer().sharedVocab(),
                                          init->tokenizer().lowerCase(), o, std::move(train), std::move(dev), outDir);
    }
    ProgressLine line;
    run->onStep([&](const FinetuneStepMetrics& m) {
        char details[128];
        std::snprintf(details, sizeof details, "epoch %d loss %.4f lr %.2e %.1f ex/s ETA %s", m.epoch, m.loss, m.lr,
                      m.itemsPerSecond, formatDuration(m.etaSeconds).c_str());
        line.update(m.step, m.totalSteps, details);
        if (m.dev) {
            line.finish();
            std::fprintf(stderr, "epoch %d dev: loss %.4f, accuracy %.4f, macro-F1 %.4f (%d items)\n", m.epoch,
                         m.dev->loss, m.dev->accuracy, m.dev->macroF1, m.dev->items);
        }
    });
    try {
        run->run();
    } catch (...) {
        line.finish();
        throw;
    }
    line.finish();
    std::fprintf(stderr, "fine-tuned model written to %s\n", outDir.c_str());
    return 0;
}

const CommandRegistration registration({
    "finetune",
    "finetune --task sequence|token --init MODEL --train FILE [--dev FILE] --out DIR [--labels L1,L2,...] "
    "[--epochs 3] [--batch-size 32] [--lr 2e-5] [--warmup-ratio 0.1] [--weight-decay 0.01] [--max-seq-length 128] "
    "[--dropout 0.1] [--seed 42] [--shuffle on|off] | finetune --resume DIR [--train FILE] [--dev FILE]",
    {},
    runFinetune,
});

} // namespace
} // namespace bertlab::cli
